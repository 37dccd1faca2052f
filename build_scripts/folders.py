"""Where the package keeps its data: page templates, schemas, CSL styles and front-end assets."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"
SCHEMAS = PACKAGE / "schema"
STYLES = PACKAGE / "styles"
ASSETS = PACKAGE / "assets"
# Front-end packages installed by `npm ci` from the project's package-lock.json.
NODE_MODULES = PACKAGE.parent / "node_modules"
