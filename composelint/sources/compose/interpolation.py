"""Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
`${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`, nested defaults and `$$`.

Values come only from the mapping the caller passes (the project's env files),
never from this process's environment, so a checkout lints the same anywhere.
"""

from __future__ import annotations

from composelint.limits import MAX_INTERPOLATED_CHARS, MAX_INTERPOLATION_DEPTH, MAX_VALUE_CHARS
from composelint.patterns import lazy_pattern
from composelint.records import field, record
from composelint.settings import setting_at
from composelint.sources.compose.yaml_tree import YMap, YScalar, YSeq
from composelint.types import UNKNOWN

_NAME = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*")


class InterpolationError(ValueError):
    """A malformed expression."""


class InterpolationLimit(InterpolationError):
    """Nesting or value growth past a documented bound (CL010)."""


@record
class Interpolated:
    value: str
    variables: list[str] = field(default_factory=list)  # every variable referenced
    unset: list[str] = field(default_factory=list)  # used without value or default
    values: dict[str, str] = field(default_factory=dict)  # variable -> the value substituted
    size: int = 0  # characters substituted so far (bounded: a value may double forty times)
    depth: int = 0  # `${...:-${...}}` nesting being parsed
    limit: int = MAX_VALUE_CHARS
    unset_value: str = ""  # what an unset variable without a default stands for

    def substitute(self, value: str) -> str:
        """`value`, counted before it is copied anywhere."""
        self.size += len(value)
        if self.size > self.limit:
            raise InterpolationLimit(f"the value grows past {self.limit:,} characters")
        return value

    @property
    def from_variable(self) -> bool:
        return bool(self.variables)


def _excerpt(text: str) -> str:
    """The expression for a message: one line, at most 60 characters."""
    first = text.strip().splitlines()[0] if text.strip() else text
    return first if len(first) <= 60 and "\n" not in text.strip() else first[:57] + "..."


def interpolate(
    text: str, env: dict[str, str], limit: int = MAX_VALUE_CHARS, unset_value: str = ""
) -> Interpolated:
    """`text` with its variables substituted (an unset one without a default by `unset_value`:
    empty, as Compose does); InterpolationLimit when more than `limit` characters would be
    substituted."""
    if "$" not in text:
        return Interpolated(text)
    result = Interpolated("", limit=limit, unset_value=unset_value)
    value, _ = _parse(text, 0, env, result, stop=None)
    result.value = value
    return result


def _parse(
    text: str, pos: int, env: dict[str, str], result: Interpolated, stop: str | None
) -> tuple[str, int]:
    out: list[str] = []
    while pos < len(text):
        char = text[pos]
        if stop and char == "}":
            return "".join(out), pos
        if char != "$":
            out.append(char)
            pos += 1
            continue
        following = text[pos + 1 : pos + 2]
        if following == "$":
            out.append("$")
            pos += 2
        elif following == "{":
            value, pos = _braced(text, pos + 2, env, result)
            out.append(value)
        else:
            match = _NAME.match(text, pos + 1)
            if not match:  # `$(`, `$1`, `$ `: Compose leaves these as written
                out.append("$")
                pos += 1
                continue
            name = match.group()
            result.variables.append(name)
            if name not in env:
                result.unset.append(name)
            else:
                result.values[name] = env[name]
            out.append(result.substitute(env.get(name, result.unset_value)))
            pos = match.end()
    if stop:
        raise InterpolationError(f"invalid interpolation format: missing `}}` in `{_excerpt(text)}`")
    return "".join(out), pos


def _braced(text: str, pos: int, env: dict[str, str], result: Interpolated) -> tuple[str, int]:
    match = _NAME.match(text, pos)
    if not match:
        raise InterpolationError(
            f"invalid interpolation format: bad variable name after `${{` in `{_excerpt(text)}`"
        )
    name = match.group()
    result.variables.append(name)
    pos = match.end()
    is_set = name in env
    value = env.get(name, "")
    if is_set:
        result.values[name] = value
    if pos < len(text) and text[pos] == "}":
        if not is_set:
            result.unset.append(name)
            value = result.unset_value
        return result.substitute(value), pos + 1
    for operator in (":-", ":?", ":+", "-", "?", "+"):
        if text.startswith(operator, pos):
            break
    else:
        raise InterpolationError(
            f"invalid interpolation format: unexpected `{text[pos : pos + 1]}` after `${{{name}` in `{_excerpt(text)}`"
        )
    start = pos + len(operator)
    result.depth += 1
    if result.depth > MAX_INTERPOLATION_DEPTH:
        raise InterpolationLimit(f"`${{...}}` nested deeper than {MAX_INTERPOLATION_DEPTH} levels")
    argument, end = _parse(text, start, env, result, stop="}")
    result.depth -= 1
    empty_counts = operator.startswith(":")
    present = is_set and (bool(value) or not empty_counts)
    if operator.endswith("-"):
        value = value if present else argument
    elif operator.endswith("?"):
        if not present:
            # A required variable is an input the deploying person or tool gives (Compose stops
            # with the file's own message until it does): read as unset, where CL005 says which
            # security decision waits for it, not as an error of the file.
            result.unset.append(name)
            value = result.unset_value
    else:  # `+`: the alternative when set
        value = argument if present else ""
    return value, end + 1


# -- whole compose trees ------------------------------------------------------

_REFERENCE = lazy_pattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def starts_unset(written: str, unset: tuple[str, ...] | list[str]) -> bool:
    """The value starts with an unset variable (`${DATA}/x:/x`): its empty value would
    turn a relative or unknown path into one at the host's root."""
    match = _REFERENCE.match(written.strip())
    return match is not None and match.group(1) in unset


@record
class InterpolatedScalar(YScalar):
    """A scalar whose text came from variables; `written` is the text in the file."""

    written: str = ""
    unset: tuple[str, ...] = ()
    invalid: bool = False  # malformed (CL004): the value is unknown, not empty
    # The value with UNKNOWN for each unset variable, when one is: what is only known at run time
    # (an image's parts, parse_image), where the value Compose uses has them empty.
    at_run_time: str = ""


@record
class Substitutions:
    """What interpolation put into one project's trees: value -> variable name (output masks
    them), and how many characters in all (bounded: one large value referenced many times)."""

    values: dict[str, str] = field(default_factory=dict)
    chars: int = 0
    exhausted: bool = False  # the project's budget was used up (reported once)


def interpolate_tree(
    node, env: dict[str, str], report, path: tuple = (), substituted: Substitutions | None = None
):
    """A copy of a YAML tree with every scalar value interpolated (keys are not).

    `report(code, message, span, settings=...)` receives CL004 for malformed expressions,
    CL005 for unset variables in a setting where they change a security decision (the
    settings table's `if_unset`) and CL010 for growth past a bound.  `substituted` records
    what was put into the tree.
    """
    if isinstance(node, YMap):
        return YMap(
            [
                (key, interpolate_tree(value, env, report, path + (key.text,), substituted))
                for key, value in node.items
            ],
            node.tag,
            node.span,
        )
    if isinstance(node, YSeq):
        return YSeq(
            [
                interpolate_tree(item, env, report, path + (index,), substituted)
                for index, item in enumerate(node.items)
            ],
            node.tag,
            node.span,
        )
    if not isinstance(node, YScalar) or "$" not in node.text or not node.tag.endswith(":str"):
        return node
    budget = MAX_VALUE_CHARS
    if substituted is not None:
        budget = min(budget, MAX_INTERPOLATED_CHARS - substituted.chars)
    try:
        result = interpolate(node.text, env, budget)
    except InterpolationLimit as error:
        if substituted is None or budget == MAX_VALUE_CHARS:
            report("CL010", f"Not interpolated: {error}", node.span)
        elif not substituted.exhausted:
            substituted.exhausted = True
            report(
                "CL010",
                f"Not interpolated: the project's substituted values grow past "
                f"{MAX_INTERPOLATED_CHARS:,} characters (here and in every later value)",
                node.span,
            )
        return InterpolatedScalar("", node.tag, node.span, node.plain, written=node.text, invalid=True)
    except InterpolationError as error:
        report("CL004", str(error), node.span)
        return InterpolatedScalar("", node.tag, node.span, node.plain, written=node.text, invalid=True)
    if substituted is not None:
        substituted.chars += result.size
        substituted.values.update((value, name) for name, value in result.values.items() if value)
    setting = setting_at(path) if result.unset else None
    if setting is not None and setting.if_unset is not None:
        for name in dict.fromkeys(result.unset):
            report(
                "CL005",
                f"Variable `{name}` is not set and has no default",
                node.span,
                settings=(setting.name,),
            )
    return InterpolatedScalar(
        result.value,
        node.tag,
        node.span,
        node.plain,
        written=node.text,
        unset=tuple(result.unset),
        # one UNKNOWN per reference at most beyond what was substituted: the bound holds it;
        # only the image reads it (`setting` is looked up only when a variable is unset)
        at_run_time=interpolate(node.text, env, budget + len(node.text), UNKNOWN).value
        if setting is not None and setting.name == "image"
        else "",
    )
