"""Where the lines of a text begin: file offsets to 1-based line and column, for every front end."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from composelint.patterns import lazy_pattern

LF = lazy_pattern("\n")


def line_starts(text: str, breaks: re.Pattern[str] = LF) -> list[int]:
    """The offset at which each line of `text` begins (the first is 0). `breaks` is what ends a line
    as the text's own parser counts them (the shell and make: LF; YAML and markdown-it: CR too)."""
    if breaks is LF:  # the lengths of the lines add up faster than a match object is made per line
        return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
    return [0] + [match.end() for match in breaks.finditer(text)]


def character_column(text: str, encoded: bytes) -> Callable[[Any], int]:
    """tree-sitter's point (row, byte column) in `encoded`, the UTF-8 of `text` -> the point's
    0-based column in characters: decoded by the line, so a file of many non-ASCII lines takes
    linear time, and not at all for an ASCII text."""
    if len(encoded) == len(text):
        return lambda point: point.column
    lines = encoded.split(b"\n")
    return lambda point: len(lines[point.row][: point.column].decode("utf-8", "ignore"))


def line_column(starts: list[int], offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset`, given the `line_starts` of its text."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
