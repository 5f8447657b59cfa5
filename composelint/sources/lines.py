"""Where the lines of a text begin: file offsets to 1-based line and column, for every front end."""

from __future__ import annotations

import bisect
import re

from composelint.patterns import lazy_pattern

LF = lazy_pattern("\n")


def line_starts(text: str, breaks: re.Pattern[str] = LF) -> list[int]:
    """The offset at which each line of `text` begins (the first is 0). `breaks` is what ends a line
    as the text's own parser counts them (the shell and make: LF; YAML and markdown-it: CR too)."""
    return [0] + [match.end() for match in breaks.finditer(text)]


def line_column(starts: list[int], offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset`, given the `line_starts` of its text."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
