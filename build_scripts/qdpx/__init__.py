"""REFI-QDA (.qdpx) import and export. Import, a draft of a study from a QDA tool's project:
read (the ZIP, safely) -> qde (the XML, safely) -> project (what it says) -> draft (the study's
content) -> record (the files' texts) -> run (the command: checks everything, then writes or
compares, qdpx.match). Export, the site's studies for a QDA tool: outline (the corpus as codes,
text sources, selections and notes: qdpx.exported) -> write_qde (the XML) -> xsd (checked
against the vendored REFI-QDA schema) -> pack (the deterministic ZIP, written atomically) ->
export (the command)."""
