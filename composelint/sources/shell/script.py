"""A shell script as one project: every docker/podman/nerdctl invocation in it.

The shell front end (sources/shell.py) finds the invocations and their words;
the command-line grammar (sources/docker_cli/reader.py) turns each into workloads,
networks, execs and builds.  A script is one project, so a network created
by `docker network create backend` is the network `docker run --network
backend` joins, and two `docker run -p 8080:80` of one script collide (CL206).
"""

from __future__ import annotations

import os

from composelint.model import Diagnostic, Project, SourceFile, Span
from composelint.sources.directives import scan_directives
from composelint.sources.docker_cli.reader import Timeline, read_invocations

DEFAULT_TOOLS = ("docker", "podman", "nerdctl")


def load_script(
    path: str, *, display=None, texts: dict[str, str] | None = None, tools: tuple[str, ...] = DEFAULT_TOOLS
) -> Project:
    """Read the script at `path` (or `texts[path]` for standard input) into a project."""
    from composelint.sources.embedded.github_actions import hosted_ci_script
    from composelint.sources.files import read_text
    from composelint.sources.shell import Sources, parse_script
    from composelint.sources.shell.sourcing import project_root

    shown = display(path) if display else path
    text = texts[path] if texts and path in texts else read_text(path)
    text, dropped = _without_nul(shown, text.removeprefix("\ufeff"))
    # Files it sources are read from disk, inside the project root; standard input sources nothing.
    on_disk = os.path.isfile(path)
    sources = Sources(path, project_root(path), display or (lambda p: p)) if on_disk else None
    script = parse_script(shown, text, tools, sources=sources)
    project = Project(name=shown)
    project.sources.append(SourceFile(shown, "script", "shell", text))
    project.diagnostics.extend(dropped)
    project.diagnostics.extend(script.diagnostics)
    project.variable_values.update(script.env_values)
    project.ephemeral_host = on_disk and hosted_ci_script(path, project_root(path))
    read_invocations(project, script.invocations, Timeline())
    _name_branches(project, shown, text)
    project.directives = scan_directives(shown, text, script.extents, script.value_spans)
    return project


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    """The script as the one project of its file (the front-end interface of sources.kinds)."""
    return [load_script(path, display=display, texts=texts)]


def _name_branches(project: Project, shown: str, text: str) -> None:
    """A possible value assigned in a branch of the script says which branch (`if`, `case`, `&&`)."""
    from composelint.sources.shell.positions import normalise
    from composelint.sources.shell.syntax_tree import branch_labels

    origins = {(o.line, o.column) for o in project.possible_values.values() if o.path == shown}
    if not origins:
        return
    labels = branch_labels(normalise(text), origins)
    for span, origin in project.possible_values.items():
        label = labels.get((origin.line, origin.column)) if origin.path == shown else None
        if label:
            project.possible_reasons.setdefault(span, f"the value is assigned in {label}")


def _without_nul(shown: str, text: str) -> tuple[str, list[Diagnostic]]:
    """The script as bash and dash run it: NUL bytes dropped, so `--privi\0leged` is `--privileged`.
    A NUL is reported (CL007), since it hides a word from anyone reading the file."""
    if "\x00" not in text:
        return text, []
    diagnostics = []
    for number, line in enumerate(text.split("\n"), start=1):
        column = line.find("\x00")
        if column >= 0:
            diagnostics.append(
                Diagnostic(
                    "CL007",
                    "NUL bytes in this line are dropped, as bash and dash drop them: the words are read "
                    "without them",
                    Span(shown, number, column + 1, number, column + 2),
                )
            )
    return text.replace("\x00", ""), diagnostics
