"""`lazy_pattern`: a module-level regular expression compiled when it is first used.

Compiling the package's 120-odd patterns at import took about 6% of a one-compose-file run (34 of
550 million instructions), and most of them (Markdown, shell, discovery of other kinds, report
formats) serve nothing in a given run.  The object stands for the compiled pattern: its first
method call compiles it and keeps the compiled pattern's methods as its own attributes, so later
calls cost what a compiled pattern's do.  This module imports nothing of the package.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, Generic, cast

_FORWARDED = (
    "search",
    "match",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _Pending(Generic[AnyStr]):
    """A pattern and its flags until something of the compiled pattern is asked for."""

    def __init__(self, pattern: AnyStr, flags: int) -> None:
        self._source: tuple[AnyStr, int] = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for an attribute not set yet
        compiled = re.compile(*self._source)
        for attribute in _FORWARDED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy_pattern(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done on first use (`.search`, `.sub`, ...)."""
    return cast("re.Pattern[AnyStr]", _Pending(pattern, flags))
