"""Dockerfiles and Containerfiles: `RUN` instructions that start containers (Docker-in-Docker
during a build, `podman run` in a CI image's build).

tree-sitter-dockerfile (the Dockerfile grammar of editors and GitHub, on the tree-sitter runtime
the shell front end already uses) finds the instructions and where each ends: `\\` continuations,
here-documents, flags (`--mount=...`), the exec form.  The shell form of `RUN` is then joined as
BuildKit joins it before handing it to `/bin/sh -c`: the continuation character and line break
taken off, comment lines and empty lines inside the instruction dropped, the next line's
indentation kept; the shell front end reads the result, every position mapped back to the
Dockerfile.  `RUN <<EOF` runs the here-document's body as the script; a command with a
here-document (`RUN sh <<EOF`) is read with it, as the shell reads a here-document.

Not read: the exec form (`RUN ["docker", "run", ...]`: no shell), `ONBUILD RUN` (it runs in
the builds of other images), `RUN` after a `SHELL`
instruction whose shell is not a POSIX shell (`SHELL ["powershell", "-Command"]`), and files
whose `# escape=`` directive marks them as Windows Dockerfiles (cmd, PowerShell).  `ARG` and `ENV`
values are unknown values in the script.  Each `RUN` is a project of its own: every instruction
runs in a fresh build container, so nothing it starts outlives it.
"""

from __future__ import annotations

import functools
import json
import re

from composelint.limits import MAX_DOCKERFILE_BYTES, MAX_RUN_INSTRUCTIONS
from composelint.model import Project
from composelint.patterns import lazy_pattern
from composelint.sources.embedded.snippets import (
    HostFile,
    Snippet,
    embedded_project,
    mentions_tool,
    read_snippet,
)
from composelint.sources.lines import character_column

KIND = "dockerfile"
POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh"})
_WINDOWS_ESCAPE = lazy_pattern(
    r"\A(?:[ \t]*#[ \t]*\w+[ \t]*=[^\n]*\n)*[ \t]*#[ \t]*escape[ \t]*=[ \t]*`", re.I
)
_CONTINUED = lazy_pattern(r"\\[ \t]*\r?$")
_HEREDOC_ONLY = lazy_pattern(r"\A\s*<<-?([\"']?)(\w+)\1\s*\Z")


@functools.cache
def _parser():
    import warnings

    import tree_sitter
    import tree_sitter_dockerfile

    with warnings.catch_warnings():
        # The grammar's binding hands tree-sitter an int (deprecated since 0.22), not a capsule.
        warnings.simplefilter("ignore", DeprecationWarning)
        return tree_sitter.Parser(tree_sitter.Language(tree_sitter_dockerfile.language()))


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    """The file, and one project per `RUN` instruction whose shell names a container tool."""
    from composelint.sources.files import read_text, too_large, too_many

    shown = display(path)
    text = (texts[path] if path in texts else read_text(path)).removeprefix("\ufeff")
    host = HostFile(shown, text)
    projects = [embedded_project(host, KIND, shown)]  # the file, also when no instruction is read
    if len(text) > MAX_DOCKERFILE_BYTES:  # 10 MB of RUN took 580-660 MB (1 MB: 300 MB)
        projects[0].diagnostics.append(too_large(shown, "Dockerfile", MAX_DOCKERFILE_BYTES))
        return projects
    if not mentions_tool(text) or _WINDOWS_ESCAPE.match(text):
        return projects
    encoded = text.encode("utf-8")
    column = character_column(text, encoded)

    def offset(point) -> int:
        return host.starts[point.row] + column(point)

    posix = True
    for node in _parser().parse(encoded).root_node.children:
        if node.type == "shell_instruction":
            posix = _posix_shell(encoded[node.start_byte : node.end_byte].decode("utf-8", "replace"))
        if node.type != "run_instruction" or not posix:
            continue
        start = offset(node.start_point)
        if len(projects) > MAX_RUN_INSTRUCTIONS:
            line = host.point(start)[0]
            projects[0].diagnostics.append(too_many(shown, line, "RUN instructions", MAX_RUN_INSTRUCTIONS))
            break
        script = _run_script(text, node, offset)
        if script is not None and mentions_tool(script.text):
            snippet = _comments_above(text, start)
            snippet.append(script)
            project = embedded_project(host, KIND, f"{shown}:{host.point(start)[0]}")
            read_snippet(project, host, snippet)
            projects.append(project)
    return projects


def _posix_shell(instruction: str) -> bool:
    """Whether a `SHELL ["/bin/bash", "-c"]` instruction names a POSIX shell."""
    try:
        words = json.loads(instruction.split(None, 1)[1])
    except (ValueError, IndexError):
        return False
    return bool(words) and isinstance(words[0], str) and words[0].rsplit("/", 1)[-1] in POSIX_SHELLS


def _comments_above(text: str, start: int) -> Snippet:
    """The comment lines right above an instruction, each a line of the script, so that a
    `# composelint: ignore=CL301 -- reason` line covers the instruction's commands."""
    lines: list[tuple[int, str]] = []
    end = text.rfind("\n", 0, start)
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if not line.lstrip().startswith("#"):
            break
        lines.append((begin, line.rstrip("\r")))
        end = begin - 1
    snippet = Snippet()
    for begin, line in reversed(lines):
        snippet.add(line + "\n", begin)
    return snippet


def _run_script(text: str, node, offset) -> Snippet | None:
    """The script of a shell-form `RUN`, or None for the exec form."""
    command = next((child for child in node.children if child.type == "shell_command"), None)
    if command is None:
        return None
    snippet = _joined(text, offset(command.start_point), offset(command.end_point))
    heredocs = [child for child in node.children if child.type == "heredoc_block"]
    if not heredocs:
        return snippet
    if _HEREDOC_ONLY.match(snippet.text):
        script = Snippet()
        for line in heredocs[0].children:
            if line.type == "heredoc_line":
                script.add(
                    text[offset(line.start_point) : offset(line.end_point)] + "\n", offset(line.start_point)
                )
        return script
    snippet.add_at("\n", offset(command.end_point))
    for block in heredocs:
        start = text.find("\n", offset(block.start_point)) + 1  # the body starts on the next line
        end = offset(block.end_point)
        snippet.add(text[start:end] + "\n", start)
    return snippet


def _joined(text: str, start: int, end: int) -> Snippet:
    """The instruction's lines from `start` to `end` as one line, as BuildKit joins them: a line
    ending in `\\` goes on with the next, whose indentation is kept; comment and empty lines
    inside are dropped."""
    snippet = Snippet()
    position, first = start, True
    while position <= end:
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        line = text[position:line_end]
        if first or (line.strip() and not line.lstrip().startswith("#")):
            continued = _CONTINUED.search(line)
            snippet.add(line[: continued.start()] if continued else line.rstrip("\r"), position)
            if not continued:
                break
        first = False
        position = line_end + 1
    return snippet
