"""Bats test files (`*.bats`): bash with `@test "name" {` blocks and the `run` helper.

Bats turns each `@test "name" {` line into a function; here it becomes a `{` group at the
same place, and `run` (with its `-N`, `!` and `--keep-empty-lines`/`--separate-stderr`
options) is taken off the front of a command, so `run docker run --privileged ...` is read
as the `docker run` it runs.  The file is one script, as bats runs it: setup code and every
test see the same variables.
"""

from __future__ import annotations

import re

from composelint.model import Project
from composelint.patterns import lazy_pattern
from composelint.sources.embedded.snippets import HostFile, Snippet, embedded_project, read_snippet

KIND = "bats"
_TEST = lazy_pattern(r"^([ \t]*)@test\s.*?(\{)[ \t]*$", re.MULTILINE)
_RUN = lazy_pattern(
    r"(?:^|(?<=[;&|({]))([ \t]*)run(?:[ \t]+(?:-\d+|!|--keep-empty-lines|--separate-stderr))*[ \t]+"
)


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    from composelint.sources.files import read_text

    shown = display(path)
    text = (texts[path] if path in texts else read_text(path)).removeprefix("\ufeff")
    host = HostFile(shown, text)
    project = embedded_project(host, KIND, shown)
    snippet = Snippet()
    for offset, line in _lines(text):
        test = _TEST.match(line)
        if test:
            snippet.add("{", offset + test.start(2))
        else:
            _add_without_run(snippet, offset, line)
        snippet.add_at("\n", offset + len(line))
    read_snippet(project, host, snippet)
    return [project]


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _add_without_run(snippet: Snippet, offset: int, line: str) -> None:
    """The line with the `run` helper (and its options) taken off each command it starts."""
    position = 0
    for match in _RUN.finditer(line):
        snippet.add(line[position : match.start()] + match.group(1), offset + position)
        position = match.end()
    snippet.add(line[position:], offset + position)
