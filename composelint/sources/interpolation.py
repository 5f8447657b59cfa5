"""Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
`${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`, nested defaults and `$$`.

Values come only from the mapping the caller passes (the project's env files),
never from this process's environment, so a checkout lints the same anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from composelint.sources.yaml_tree import YMap, YScalar, YSeq

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class InterpolationError(ValueError):
    """A malformed expression, or a `:?`/`?` variable that is not set."""


@dataclass
class Interpolated:
    value: str
    variables: list[str] = field(default_factory=list)  # every variable referenced
    unset: list[str] = field(default_factory=list)  # used without value or default
    values: dict[str, str] = field(default_factory=dict)  # variable -> the value substituted

    @property
    def from_variable(self) -> bool:
        return bool(self.variables)


def _excerpt(text: str) -> str:
    """The expression for a message: one line, at most 60 characters."""
    first = text.strip().splitlines()[0] if text.strip() else text
    return first if len(first) <= 60 and "\n" not in text.strip() else first[:57] + "..."


def interpolate(text: str, env: dict[str, str]) -> Interpolated:
    if "$" not in text:
        return Interpolated(text)
    result = Interpolated("")
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
            out.append(env.get(name, ""))
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
        return value, pos + 1
    for operator in (":-", ":?", ":+", "-", "?", "+"):
        if text.startswith(operator, pos):
            break
    else:
        raise InterpolationError(
            f"invalid interpolation format: unexpected `{text[pos : pos + 1]}` after `${{{name}` in `{_excerpt(text)}`"
        )
    start = pos + len(operator)
    argument, end = _parse(text, start, env, result, stop="}")
    empty_counts = operator.startswith(":")
    present = is_set and (bool(value) or not empty_counts)
    if operator.endswith("-"):
        value = value if present else argument
    elif operator.endswith("?"):
        if not present:
            # The message as written: its variables may hold secrets.
            raise InterpolationError(
                f"required variable `{name}` is missing a value: {_excerpt(text[start:end])}"
                if argument
                else f"required variable `{name}` is missing a value"
            )
    else:  # `+`: the alternative when set
        value = argument if present else ""
    return value, end + 1


# -- whole compose trees ------------------------------------------------------

# Fields where an unset variable changes a security decision, so it is reported (CL005):
# the rules that cannot decide, what Compose does with the empty value, and what a
# value could do instead.  Elsewhere an empty value decides nothing and stays silent:
# CL202 names a variable host IP itself; a bind source that starts with an unset variable
# is unknown to the mount rules (CL401 still judges it by its target).
_NAMESPACE = ("the container keeps its own {} namespace", "`host` would share the host's")
_DECISIONS = {
    "network_mode": (
        "CL101/CL102",
        "the service joins the project's default network",
        "`host` or `service:...` would share another network namespace",
    ),
    "privileged": (
        "CL301",
        "the container is not privileged",
        "`true` would give it full access to the host",
    ),
    "pid": ("CL302", _NAMESPACE[0].format("process"), _NAMESPACE[1]),
    "ipc": ("CL303", _NAMESPACE[0].format("IPC"), _NAMESPACE[1]),
    "uts": ("CL304", _NAMESPACE[0].format("UTS"), _NAMESPACE[1]),
    "userns_mode": ("CL305", _NAMESPACE[0].format("user"), _NAMESPACE[1]),
    "cgroup": ("CL306", _NAMESPACE[0].format("cgroup"), _NAMESPACE[1]),
    "cap_add": ("CL308/CL309", "no capability is added", "`SYS_ADMIN` or `NET_ADMIN` would weaken isolation"),
    "security_opt": (
        "CL310-CL314",
        "no option is set",
        "`seccomp:unconfined` or `apparmor:unconfined` would turn a protection off",
    ),
    "devices": (
        "CL403",
        "no device is passed",
        "a disk or `/dev/mem` would give access to the host's hardware",
    ),
    "use_api_socket": (
        "CL401",
        "the API socket is not mounted",
        "`true` would give control of the Docker daemon",
    ),
}
_NETWORK_DECISIONS = {
    "driver": (
        "CL101/CL211",
        "the network uses the bridge driver",
        "`host` would put the services on the host's network",
    ),
    "internal": ("CL211", "the network is not internal", "`true` would cut it off from the outside"),
    "external": (
        "CL101",
        "the network is created by the project",
        "an external `host` network would be the host's",
    ),
}


_WHOLE_PORT = (
    "CL202/CL210",
    "Compose rejects the empty entry",
    "`5432:5432` would publish a port on all interfaces",
)


def _decision(path: tuple, value: str) -> tuple[str, str, str] | None:
    if len(path) >= 3 and path[0] == "services":
        if path[2] == "ports" and len(path) == 4:  # only a port entry that is nothing but variables
            return _WHOLE_PORT if not value.strip() else None
        return _DECISIONS.get(path[2])
    if len(path) >= 3 and path[0] == "networks":
        return _NETWORK_DECISIONS.get(path[2])
    return None


_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def starts_unset(written: str, unset: tuple[str, ...] | list[str]) -> bool:
    """The value starts with an unset variable (`${DATA}/x:/x`): its empty value would
    turn a relative or unknown path into one at the host's root."""
    match = _REFERENCE.match(written.strip())
    return match is not None and match.group(1) in unset


@dataclass
class InterpolatedScalar(YScalar):
    """A scalar whose text came from variables; `written` is the text in the file."""

    written: str = ""
    unset: tuple[str, ...] = ()
    invalid: bool = False  # malformed (CL004): the value is unknown, not empty


def interpolate_tree(node, env: dict[str, str], report, path: tuple = (), substituted: dict | None = None):
    """A copy of a YAML tree with every scalar value interpolated (keys are not).

    `report(code, message, span)` receives CL004 for malformed expressions and
    CL005 for unset variables where they change a security decision.  `substituted`
    collects value -> variable name of every value put into the tree.
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
    try:
        result = interpolate(node.text, env)
    except InterpolationError as error:
        report("CL004", str(error), node.span)
        return InterpolatedScalar("", node.tag, node.span, node.plain, written=node.text, invalid=True)
    if substituted is not None:
        substituted.update((value, name) for name, value in result.values.items() if value)
    decision = _decision(path, result.value) if result.unset else None
    if decision is not None:
        rules, empty, other = decision
        for name in dict.fromkeys(result.unset):
            report(
                "CL005",
                f"Variable `{name}` is not set and has no default, so {rules} cannot decide: empty, "
                f"{empty}; a value such as {other}",
                node.span,
            )
    return InterpolatedScalar(
        result.value, node.tag, node.span, node.plain, written=node.text, unset=tuple(result.unset)
    )
