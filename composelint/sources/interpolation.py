"""Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
`${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`, nested defaults and `$$`.

Values come only from the mapping the caller passes (the project's env files),
never from this process's environment, so a checkout lints the same anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class InterpolationError(ValueError):
    """A malformed expression, or a `:?`/`?` variable that is not set."""


@dataclass
class Interpolated:
    value: str
    variables: list[str] = field(default_factory=list)  # every variable referenced
    unset: list[str] = field(default_factory=list)  # used without value or default

    @property
    def from_variable(self) -> bool:
        return bool(self.variables)


def interpolate(text: str, env: dict[str, str]) -> Interpolated:
    if "$" not in text:
        return Interpolated(text)
    result = Interpolated("")
    value, _ = _parse(text, 0, env, result, stop=None)
    result.value = value
    return result


def _parse(text: str, pos: int, env: dict[str, str], result: Interpolated, stop: str | None) -> tuple[str, int]:
    out: list[str] = []
    while pos < len(text):
        char = text[pos]
        if stop and char == "}":
            return "".join(out), pos
        if char != "$":
            out.append(char)
            pos += 1
            continue
        following = text[pos + 1: pos + 2]
        if following == "$":
            out.append("$")
            pos += 2
        elif following == "{":
            value, pos = _braced(text, pos + 2, env, result)
            out.append(value)
        else:
            match = _NAME.match(text, pos + 1)
            if not match:
                raise InterpolationError(f"invalid interpolation format for `{text}`: `$` must be followed by a name, `{{` or `$`")
            name = match.group()
            result.variables.append(name)
            if name not in env:
                result.unset.append(name)
            out.append(env.get(name, ""))
            pos = match.end()
    if stop:
        raise InterpolationError(f"invalid interpolation format for `{text}`: missing `}}`")
    return "".join(out), pos


def _braced(text: str, pos: int, env: dict[str, str], result: Interpolated) -> tuple[str, int]:
    match = _NAME.match(text, pos)
    if not match:
        raise InterpolationError(f"invalid interpolation format for `{text}`: bad variable name after `${{`")
    name = match.group()
    result.variables.append(name)
    pos = match.end()
    is_set = name in env
    value = env.get(name, "")
    if pos < len(text) and text[pos] == "}":
        if not is_set:
            result.unset.append(name)
        return value, pos + 1
    for operator in (":-", ":?", ":+", "-", "?", "+"):
        if text.startswith(operator, pos):
            break
    else:
        raise InterpolationError(f"invalid interpolation format for `{text}`: unexpected `{text[pos:pos + 1]}` after `${{{name}`")
    argument, end = _parse(text, pos + len(operator), env, result, stop="}")
    empty_counts = operator.startswith(":")
    present = is_set and (bool(value) or not empty_counts)
    if operator.endswith("-"):
        value = value if present else argument
    elif operator.endswith("?"):
        if not present:
            raise InterpolationError(f"required variable `{name}` is missing a value: {argument}" if argument
                                     else f"required variable `{name}` is missing a value")
    else:  # `+`: the alternative when set
        value = argument if present else ""
    return value, end + 1
