"""MkDocs hook: the pages generated from the code (rule pages and index, command-line and
configuration references: composelint.site) join the site when it is built, so they are
never stale and never committed."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from composelint.site import pages


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, content in pages().items():
        files.append(File.generated(config, path, content=content))
    return files
