"""The frame of a new project around a draft (an import into a fresh folder): the starter's
Makefile and .gitignore and the generator's mkdocs.yml, as `new` writes them (new_project), and,
in place of the starter's invented example, a site file and a bibliography marked for the
editors. Texts only: the caller writes them."""

from __future__ import annotations

from build_scripts.new_project import GENERATOR, generator_config, starter_text
from build_scripts.pipeline.marks import marked
from build_scripts.pipeline.schema_info import SCHEMA_PATH
from build_scripts.qdpx.record import dump

README = """# {study}: a draft imported from a QDA project

Made by `python -m build_scripts import-qdpx` of the generator at `{generator}` from
`{archive}`. `content/{study}.yaml` holds the study, a quotation per coded selection (cut
from `sources/{study}.txt`, verbatim), the codes as candidate findings and concepts;
`imports/{study}.qdpx.yaml` records where each came from.

    make check   # lists every value marked TODO(editors): at its line: fill each in
    make site    # once none is left: build the site into site/

The source text is checked against but not published (`publish_source: false`): transcripts
are participants' words. The generator's README explains each field.
"""


def frame_files(study: str, archive: str) -> dict[str, str]:
    """The frame's files by their path in the project (see the module's docstring)."""
    files = {
        "Makefile": starter_text("Makefile"),
        ".gitignore": starter_text("gitignore"),
        "mkdocs.yml": generator_config(),
    }
    files["README.md"] = README.format(study=study, generator=GENERATOR, archive=archive)
    site = {
        "site": {
            "title": marked("the site's name, on every page"),
            "intro": marked("what the site holds, for its readers (Markdown)"),
            "about": marked("who made the site and how (Markdown)"),
            "licence": marked("the licence of the site's text"),
        }
    }
    schema = f"# yaml-language-server: $schema={SCHEMA_PATH}\n"
    files["content/site.yaml"] = schema + dump(site)
    files["bib/references.bib"] = (
        f"% The publication of the study '{study}' goes here (BibTeX); the study names it by its\n"
        "% key in `reference:`, and any prose cites it with [@key].\n"
    )
    return files
