"""Which front end reads which kind of file (the kinds of composelint.discovery).

`load(kind, files, options, display=..., texts=...)` returns the projects in a file set: one for a
compose file set or a shell script; for a file with embedded commands (Markdown code blocks, CI
steps, Makefile recipes), one per independent piece, since nothing carries from one to the next.
Every front end other than compose is a module with
`load(path, *, display, texts) -> list[Project]`, named in `FRONT_ENDS`.
"""

from __future__ import annotations

from importlib import import_module

from composelint.discovery import COMPOSE, SHELL
from composelint.model import Project

# kind -> module whose `load` reads one file of that kind
FRONT_ENDS: dict[str, str] = {
    SHELL: "composelint.sources.script",
}


def load(kind: str, files: list[str], options, *, display, texts: dict[str, str]) -> list[Project]:
    """The projects of one discovered file set (`options`: compose's LoadOptions)."""
    if kind == COMPOSE:
        from composelint.sources.project import load_project

        return [load_project(files, options, display=display, texts=texts)]
    return import_module(FRONT_ENDS[kind]).load(files[0], display=display, texts=texts)
