"""Docker's value grammars: text as written -> the typed values of the model.

The front ends (Compose and the docker command line) call these once per
value; rules read the typed result and never parse text.  Each parser
follows the program that reads the value for real (named in its docstring)
and never raises: text the Engine would refuse still gets a value that says
so (`Limit.amount is None`, `parse_go_bool` -> None).
"""

from __future__ import annotations

import re

from composelint.model import Capability, ImageRef, Limit, RestartPolicy

_GO_BOOL = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*([a-zA-Z]*)\s*$")
_MEMORY_SCALE = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
_DEFAULT_REGISTRY = ("docker.io/library/", "index.docker.io/library/", "library/", "docker.io/")


def parse_go_bool(text: str) -> bool | None:
    """Go's `strconv.ParseBool`, as the docker CLI and daemon use it: None when it is no boolean."""
    return _GO_BOOL.get(text)


def parse_image(text: str) -> ImageRef:
    """An image reference: `registry.local:5000/team/app:2.1@sha256:..`.

    The tag is only looked for in the last path component, so a registry port
    is not a tag; a digest follows `@`.  Surrounding blanks are ignored.
    """
    name, _, digest = text.strip().partition("@")
    head, slash, last = name.rpartition("/")
    tag = None
    written_last = last
    if ":" in last:
        last, _, tag = last.partition(":")
    name = head + slash + last
    repository = name
    for prefix in _DEFAULT_REGISTRY:
        if repository.startswith(prefix):
            repository = repository[len(prefix) :]
            break
    return ImageRef(
        written=text,
        name=name,
        tag=tag,
        digest=digest or None,
        repository=repository.lower(),
        basename=last or written_last,
    )


def parse_capability(text: str) -> Capability:
    """A capability name: case-insensitive, `CAP_` prefix optional (moby `caps.NormalizeLegacyCapabilities`)."""
    name = text.strip().upper()
    return Capability(
        written=text,
        name=name[4:] if name.startswith("CAP_") else name,
        is_all=name == "ALL",  # `CAP_ALL` is no capability: the Engine refuses it
    )


def parse_byte_size(text: str) -> Limit:
    """A memory size as Compose and the docker CLI convert it (go-units `RAMInBytes`: `512m`, `1g`, `0.5`).

    The byte count is truncated (`0.5` is 0 bytes); empty text is 0 ("unlimited");
    a unit go-units does not know gives no amount.
    """
    match = _NUMBER.match(text)
    if match is None:
        return Limit(text, None if text.strip() else 0)
    unit = match.group(2).lower()
    scale = _MEMORY_SCALE.get(unit[:1] if unit not in ("b", "") else unit)
    return Limit(text, None if scale is None else int(float(match.group(1)) * scale))


def parse_quantity(text: str) -> Limit:
    """A CPU count, CPU quota or PID limit: its leading number (empty is 0), None when there is none."""
    match = _NUMBER.match(text)
    if match is None:
        return Limit(text, None if text.strip() else 0.0)
    return Limit(text, float(match.group(1)))


def limits_nothing(text: str) -> bool:
    """Empty, zero or negative (`0`, `0m`, `-1`, `0.0`): the Engine reads the value as "no limit"."""
    return parse_quantity(text).unlimited


def parse_restart_policy(text: str) -> RestartPolicy:
    """`--restart` / `restart:` (`no`, `always`, `unless-stopped`, `on-failure[:N]`).

    A missing, empty or unparsable count is 0, which the Engine reads as "retry forever".
    """
    name, _, count = text.strip().partition(":")
    try:
        retries = int(count.strip()) if count.strip() else 0
    except ValueError:
        retries = 0
    return RestartPolicy(text, name.strip(), retries)
