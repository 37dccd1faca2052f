"""project.qde against the REFI-QDA Project schema (schema/Project-mrt2019.xsd, vendored with
its MIT licence, schema/README.md), with libxml2's XML Schema validator through lxml. Neither
the schema nor the document may reach the network or expand an entity."""

from __future__ import annotations

from functools import cache
from typing import Any

from lxml import etree

from build_scripts.folders import PACKAGE

SCHEMA = PACKAGE / "qdpx" / "schema" / "Project-mrt2019.xsd"


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@cache
def _schema() -> Any:
    return etree.XMLSchema(etree.parse(str(SCHEMA), _parser()))


def schema_errors(qde: bytes) -> list[str]:
    """Why project.qde (its bytes) is not a valid REFI-QDA project, one `line:column: message`
    a reason; [] when it is. XML that is not well formed is one reason too."""
    try:
        document = etree.fromstring(qde, _parser())
    except etree.XMLSyntaxError as err:
        return [f"{err.lineno}:{err.offset}: XML is not well formed: {err.msg}"]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"{error.line}:{error.column}: {error.message}" for error in schema.error_log]
