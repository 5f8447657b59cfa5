"""Which front end reads which kind of file (the kinds of composelint.discovery).

`load(kind, files, options, display=..., texts=...)` returns the projects in a file set: one for a
compose file set or a shell script; for a file with embedded commands (Markdown code blocks, CI
steps, Makefile recipes), one per independent piece, since nothing carries from one to the next.
Every front end other than compose is a module with
`load(path, *, display, texts) -> list[Project]`, named in `FRONT_ENDS`.
"""

from __future__ import annotations

import os
from importlib import import_module

from composelint.model import Diagnostic, Project, Span
from composelint.sources.files import UnreadableFile, read_text

# The kinds every installation reads; discovery names them (and the kinds in its KIND_NAMES).
COMPOSE, SHELL = "compose", "shell"

# kind -> module whose `load` reads one file of that kind
FRONT_ENDS: dict[str, str] = {
    SHELL: "composelint.sources.script",
}


def load(kind: str, files: list[str], options, *, display, texts: dict[str, str]) -> list[Project]:
    """The projects of one discovered file set (`options`: compose's LoadOptions)."""
    if kind == COMPOSE:
        from composelint.sources.project import load_project

        return [load_project(files, options, display=display, texts=texts)]
    path = files[0]
    if path not in texts:
        # Read here, once for every front end: a discovered file whose real location is outside its
        # directory (a symlink), or that is no regular file, is CL006 instead of being read.
        absolute = os.path.normpath(os.path.abspath(path))
        confined = not (options.allow_outside_root or absolute in options.named_files)
        try:
            texts = {**texts, path: read_text(path, os.path.dirname(absolute) if confined else None)}
        except UnreadableFile as error:
            shown = display(path)
            project = Project(name=shown)
            project.diagnostics.append(
                Diagnostic("CL006", f"File `{shown}` not read: {error.reason}", Span(shown, 1, 1, 1, 2))
            )
            return [project]
    return import_module(FRONT_ENDS[kind]).load(path, display=display, texts=texts)
