"""`.env` files as Compose reads them (compose-go's dotenv parser).

`KEY=VALUE` or `KEY: VALUE`, an optional `export ` prefix, `#` comment lines,
` #` comments after unquoted values, single quotes literal, double quotes
with escapes, quoted values over several lines, and `${...}` interpolation
in unquoted and double-quoted values using the variables known so far.
A bare `KEY` takes its value from the given environment, if any.
"""

from __future__ import annotations

import re

from composelint.patterns import lazy_pattern
from composelint.sources.compose.interpolation import InterpolationError, InterpolationLimit, interpolate

_KEY = lazy_pattern(r"\s*(?:export\s+)?(?P<key>[A-Za-z0-9_.\-\[\]]+)\s*(?P<sep>[=:])?[ \t]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "$": "$$", "'": "'"}


class DotenvError(ValueError):
    """A line that is not a variable assignment; carries the 1-based line number.  The message
    names the key, never the value."""

    def __init__(self, message: str, line: int, limit: bool = False):
        super().__init__(message)
        self.line = line
        self.limit = limit  # a documented bound was hit (CL010), not a malformed line


def parse_dotenv(text: str, environment: dict[str, str] | None = None) -> dict[str, str]:
    """Variables defined by `text`; `environment` resolves bare keys and references."""
    known = dict(environment or {})
    values: dict[str, str] = {}
    position, line = 0, 1
    text = text.replace("\r\n", "\n")
    while position < len(text):
        end_of_line = text.find("\n", position)
        end_of_line = len(text) if end_of_line < 0 else end_of_line
        stripped = text[position:end_of_line].strip()
        if not stripped or stripped.startswith("#"):
            line += 1
            position = end_of_line + 1
            continue
        match = _KEY.match(text, position)
        if not match:
            raise DotenvError("not a `KEY=VALUE` assignment", line)
        key = match.group("key")
        if not match.group("sep"):
            if text[match.end() : end_of_line].strip():
                raise DotenvError(f"`{key}` must be followed by `=`", line)
            if key in known:
                values[key] = known[key]
            line += 1
            position = end_of_line + 1
            continue
        value, position, consumed_lines = _value(text, match.end(), line, known, key)
        # The process environment, when it is used at all, wins over the file.
        values[key] = known[key] = (environment or {}).get(key, value)
        line += consumed_lines
    return values


def _value(text: str, start: int, line: int, known: dict[str, str], key: str) -> tuple[str, int, int]:
    quote = text[start : start + 1]
    if quote in ("'", '"'):
        end = start + 1
        while end < len(text) and not (text[end] == quote and text[end - 1] != "\\"):
            end += 1
        if end >= len(text):
            raise DotenvError(f"the value of `{key}` has an unterminated {quote} quote", line)
        raw = text[start + 1 : end]
        after = text.find("\n", end)
        after = len(text) if after < 0 else after
        lines = raw.count("\n") + 1
        if quote == "'":
            return raw, after + 1, lines
        unescaped = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), raw)
        return _expand(unescaped, known, line, key), after + 1, lines
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    raw = re.split(r"\s+#", text[start:end], maxsplit=1)[0].strip()
    return _expand(raw, known, line, key), end + 1, 1


def _expand(value: str, known: dict[str, str], line: int, key: str) -> str:
    try:
        return interpolate(value, known).value
    except InterpolationLimit as error:
        raise DotenvError(f"the value of `{key}`: {error}", line, limit=True) from None
    except InterpolationError:
        # Reported by position and key only: the value may be a secret.
        raise DotenvError(f"the value of `{key}` has a malformed `${{...}}` expression", line) from None
