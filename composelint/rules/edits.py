"""The text edits fixes are made of, computed from the model's spans and the source text it keeps.

Never a re-dump of the YAML: an edit replaces, removes or inserts whole lines or words at the
positions the front ends recorded, so comments, quoting, key order and layout outside it stay
byte for byte.  Indentation and line breaks are those of the file.  Where the layout is not the
plain block style these edits understand (a flow mapping, a key after `- `), there is no edit
and so no fix: a fix is offered only where it is certain.
"""

from __future__ import annotations

import json
import re

from composelint.model import Project, Span
from composelint.types import Edit

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BREAK = re.compile(r"\r\n|\r|\n")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class SourceLines:
    """The lines of one source file, each with its line break."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.lines: list[str] = _LINE.findall(text.removeprefix("\ufeff"))
        found = _BREAK.search(text)
        self.newline = found.group() if found else "\n"

    @classmethod
    def of(cls, project: Project, path: str) -> SourceLines | None:
        for source in project.sources:
            if source.path == path:
                return cls(path, source.text)
        return None

    def content(self, line: int) -> str:
        """Line `line` (1-based) without its break; empty past the end."""
        return _BREAK.sub("", self.lines[line - 1]) if 1 <= line <= len(self.lines) else ""

    def starts_line(self, span: Span) -> bool:
        """Only indentation stands before `span` on its line (a key of a block mapping)."""
        return self.content(span.line)[: span.column - 1].strip(" ") == ""

    def block_end(self, span: Span) -> int:
        """The last line of the block that the key at `span` begins: the lines after it that are
        indented deeper, blank lines and comments at its end left out."""
        indent = span.column - 1
        last = span.line
        for number in range(span.line + 1, len(self.lines) + 1):
            text = self.content(number)
            stripped = text.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if len(text) - len(stripped) <= indent:
                break
            last = number
        return last

    def lines_span(self, first: int, last: int) -> Span:
        """Lines `first` to `last` with their line breaks."""
        return Span(self.path, first, 1, last + 1, 1)

    def insertion_after(self, line: int, text_lines: list[str]) -> Edit:
        """An edit inserting `text_lines` (without breaks) after line `line`."""
        added = "".join(entry + self.newline for entry in text_lines)
        if line == len(self.lines) and not _BREAK.search(self.lines[-1]):
            added = self.newline + added.removesuffix(self.newline)
            return Edit(
                Span(self.path, line, len(self.content(line)) + 1, line, len(self.content(line)) + 1), added
            )
        return Edit(Span(self.path, line + 1, 1, line + 1, 1), added)

    def indentation(self, span: Span) -> str:
        return self.content(span.line)[: span.column - 1]


def remove_key(project: Project, key: Span) -> Edit | None:
    """An edit removing the block-mapping entry whose key is at `key`, with all its lines."""
    lines = SourceLines.of(project, key.path)
    if lines is None or not lines.starts_line(key):
        return None
    return Edit(lines.lines_span(key.line, lines.block_end(key)), "")


def add_network(project: Project, name: str, path: str) -> Edit | None:
    """An edit declaring network `name` (`NAME: {}`) after the last network the file `path`
    declares under top-level `networks:`."""
    lines = SourceLines.of(project, path)
    declared = [n.span for n in project.networks.values() if not n.implicit and n.span.path == path]
    if lines is None or not declared:
        return None
    last = max(declared, key=lambda span: span.line)
    if not all(lines.starts_line(span) and span.column == last.column for span in declared):
        return None
    return lines.insertion_after(lines.block_end(last), [f"{lines.indentation(last)}{yaml_key(name)}: {{}}"])


def yaml_key(name: str) -> str:
    """`name` as a YAML mapping key: plain when it reads back as the same string, else quoted."""
    if _PLAIN_KEY.fullmatch(name) and name.lower() not in _YAML_WORDS:
        return name
    return json.dumps(name)
