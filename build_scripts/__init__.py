"""Evidence site generator: content/*.yaml + bib/*.bib -> Markdown pages -> mkdocs-material site."""
