"""Which front end reads which kind of file (the kinds of composelint.discovery).

`load(kind, files, options, display=..., texts=...)` returns the projects in a file set: one for a
compose file set or a shell script; for a file with embedded commands (Markdown code blocks, CI
steps, Makefile recipes), one per independent piece, since nothing carries from one to the next.
Every front end other than compose is a module with
`load(path, *, display, texts) -> list[Project]`, named in `FRONT_ENDS`, or one that reads the whole
file set with compose's options (Quadlet's directory, a devcontainer.json with its compose files),
`load_set(files, options, *, display, texts) -> list[Project]`, named in `SET_FRONT_ENDS`.
"""

from __future__ import annotations

import os
from collections.abc import Set
from importlib import import_module

from composelint.model import Diagnostic, Project, Span
from composelint.sources.files import UnreadableFile, read_text

# The kinds every installation reads; discovery names them (and the kinds in its KIND_NAMES).
COMPOSE, SHELL = "compose", "shell"

# kind -> module whose `load` reads one file of that kind
FRONT_ENDS: dict[str, str] = {
    SHELL: "composelint.sources.shell.script",
    "systemd": "composelint.sources.units.systemd",
    "markdown": "composelint.sources.embedded.markdown",
    "github-actions": "composelint.sources.embedded.github_actions",
    "gitlab-ci": "composelint.sources.embedded.gitlab_ci",
    "makefile": "composelint.sources.embedded.makefile",
    "bats": "composelint.sources.embedded.bats",
    "dockerfile": "composelint.sources.embedded.dockerfile",
}
# kind -> module whose `load_set` reads a whole file set of that kind
SET_FRONT_ENDS: dict[str, str] = {
    "quadlet": "composelint.sources.units.quadlet",
    "devcontainer": "composelint.sources.devcontainer",
}


def load(kind: str, files: list[str], options, *, display, texts: dict[str, str]) -> list[Project]:
    """The projects of one discovered file set (`options`: compose's LoadOptions)."""
    if kind == COMPOSE:
        from composelint.sources.compose.project import load_project

        return [load_project(files, options, display=display, texts=texts)]
    paths = files if kind in SET_FRONT_ENDS else files[:1]
    texts, unread = _read(paths, options, display, texts)
    readable = [path for path in paths if path in texts]
    if not readable:
        return unread
    if kind in SET_FRONT_ENDS:
        projects = import_module(SET_FRONT_ENDS[kind]).load_set(
            readable, options, display=display, texts=texts
        )
    else:
        projects = import_module(FRONT_ENDS[kind]).load(readable[0], display=display, texts=texts)
    for project in unread:
        projects[0].diagnostics.extend(project.diagnostics)
    return projects


def prepare(kinds: Set[str]) -> None:
    """Import the front ends of `kinds` and make what their files share (ruamel's composer, the
    compose schema's validator) in this process: worker processes forked afterwards inherit them
    instead of each making its own."""
    for kind in kinds:
        if kind in FRONT_ENDS or kind in SET_FRONT_ENDS:
            import_module(FRONT_ENDS.get(kind) or SET_FRONT_ENDS[kind])
    if kinds & {COMPOSE, "devcontainer", "github-actions", "gitlab-ci", "markdown"}:  # read by ruamel.yaml
        from composelint.sources.compose.yaml_tree import prepare_composer

        prepare_composer()
    if kinds & {COMPOSE, "devcontainer"}:  # compose files, checked against the schema
        from composelint.sources.compose.schema import prepare_validator

        prepare_validator()


def _read(paths: list[str], options, display, texts: dict[str, str]) -> tuple[dict[str, str], list[Project]]:
    """Read each file here, once for every front end: a discovered file whose real location is outside
    its directory (a symlink), or that is no regular file, is CL006 (a project of its own) instead."""
    unread = []
    for path in paths:
        if path in texts:
            continue
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
            unread.append(project)
    return texts, unread
