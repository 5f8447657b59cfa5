"""Offsets: code points -> 1-based line/column, and nested code -> file.

All parsing happens on `src`, the file text with every CRLF turned into LF.
Removing the CR of a line ending moves no character to another line or
column, so a (line, column) computed on `src` is also right in the original
text.  Lines are counted at LF only (bash's view; a lone CR is an ordinary
character).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right

from composelint.model import Span
from composelint.patterns import lazy_pattern
from composelint.sources.lines import line_starts

_NON_ASCII = lazy_pattern(r"[^\x00-\x7f]")


def normalise(text: str) -> str:
    """The parse copy of a script: CRLF -> LF; NUL (which bash drops) and a stray
    BOM -> U+FFFD / a blank, same length."""
    src = text.replace("\r\n", "\n").replace("\x00", "\ufffd")
    return " " + src[1:] if src.startswith("\ufeff") else src


def utf8_size(src: str) -> int:
    """Bytes of UTF-8; lone surrogates (from a surrogateescape decode) count 3."""
    return len(src.encode("utf-8", "surrogatepass"))


def ascii_copy(src: str) -> bytes:
    """What tree-sitter parses: every non-ASCII character replaced by `x`.

    tree-sitter-bash 0.25's scanner calls ctype's isalpha()/isdigit() on the
    lookahead code point, which is undefined above 255 and segfaults at random
    (e.g. on `{` followed by U+10FFFF).  Bash treats non-ASCII characters as
    word characters, like `x`; one byte per character also makes tree-sitter's
    byte offsets code point offsets."""
    return (src if src.isascii() else _NON_ASCII.sub("x", src)).encode("ascii")


class LineIndex:
    """Char offset in `src` -> Span, and the original text for `Word.written`."""

    def __init__(self, path: str, src: str, text: str):
        self.path = path
        self.text = text
        # Where each line starts, then a bound past every offset, so `starts[line + 1]` always exists.
        self.starts = [*line_starts(src), sys.maxsize]
        self.line = 0  # the line of the last span's start: a command's words are mostly on one line
        # `src` offsets of the LFs whose CR was removed: the original offset is larger by the count before.
        self.crlf = [m.start() - i for i, m in enumerate(re.finditer("\r\n", text))] if "\r\n" in text else []
        self.verbatim = text == src  # the parse copy is the text: `written` is the parsed text itself

    def written(self, start: int, end: int) -> str:
        """The original text of src[start:end] (with the CRs of CRLF line ends inside it)."""
        if not self.crlf:
            return self.text[start:end]
        return self.text[start + bisect_left(self.crlf, start) : end + bisect_left(self.crlf, end)]

    def span(self, start: int, end: int) -> Span:
        starts, line = self.starts, self.line
        if not starts[line] <= start < starts[line + 1]:
            line = self.line = bisect_right(starts, start) - 1
        end = max(start, end)
        end_line = line if end < starts[line + 1] else bisect_right(starts, end, line) - 1
        # tuple.__new__ skips the named tuple's Python-level constructor (one Span per word).
        return tuple.__new__(
            Span, (self.path, line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1)
        )

    def spans(self, ranges: list[tuple[int, int]]) -> list[Span]:
        """The spans of ranges in file order (a command's words), as `span` gives each: those on the
        line of the one before are made without looking up their line again."""
        out: list[Span] = []
        path, starts, line_start, line_end, number = self.path, self.starts, 0, -1, 0
        for start, end in ranges:
            if line_start <= start and end < line_end:  # start <= end: within the same line
                out.append(
                    tuple.__new__(Span, (path, number, start - line_start + 1, number, end - line_start + 1))
                )
                continue
            span = self.span(start, end)
            out.append(span)
            number = span[3]  # the line where this one ends, where the next one may be
            line_start, line_end = starts[number - 1], starts[number]
        return out


class Code:
    """Shell code being parsed: the file itself, or nested code (the value of a
    `sh -c` string, an `eval` line, a here-doc body) whose characters each map
    back to a range of the file (one character for literal text, the whole
    expansion for text that came from `$VAR`)."""

    def __init__(
        self,
        text: str,
        starts: list[int] | None = None,
        ends: list[int] | None = None,
        lines: LineIndex | None = None,
    ):
        self.text = text
        self.starts = starts
        self.ends = ends
        self.lines = lines  # a sourced file's lines; None: the script's

    def slice(self, start: int, end: int) -> Code:
        """The code start..end (a here-doc body) as code of its own."""
        if self.starts is None or self.ends is None:
            return Code(
                self.text[start:end], list(range(start, end)), list(range(start + 1, end + 1)), self.lines
            )
        return Code(self.text[start:end], self.starts[start:end], self.ends[start:end], self.lines)

    def file_range(self, start: int, end: int) -> tuple[int, int]:
        """The file offsets of the code's characters start..end (end exclusive)."""
        starts, ends = self.starts, self.ends
        if starts is None or ends is None:
            return start, end
        if not starts:
            return 0, 0
        if start >= end:
            point = starts[start] if start < len(starts) else ends[-1]
            return point, point
        first, last = starts[min(start, len(starts) - 1)], ends[min(end, len(ends)) - 1]
        return first, max(first, last)
