"""REFI-QDA (.qdpx) import: a draft of a study from a QDA tool's project. read (the ZIP, safely)
-> qde (the XML, safely) -> project (what it says) -> draft (the study's content) -> record (the
files' texts) -> run (the command: checks everything, then writes or compares, qdpx.match)."""
