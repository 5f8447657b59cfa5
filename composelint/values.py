"""Docker's value grammars: text as written -> the typed values of the model.

The front ends (Compose and the docker command line) call these once per
value; rules read the typed result and never parse text.  Each parser
follows the program that reads the value for real (named in its docstring)
and never raises: text the Engine would refuse still gets a value that says
so (`Limit.amount is None`, `parse_go_bool` -> None).
"""

from __future__ import annotations

import math
from functools import lru_cache

from composelint.limits import MAX_INTEGER_DIGITS
from composelint.model import (
    Capability,
    Device,
    Exposed,
    ExtraHost,
    ImageRef,
    Limit,
    RestartPolicy,
    SecurityOption,
    Sysctl,
    Tmpfs,
    User,
)
from composelint.patterns import lazy_pattern
from composelint.types import UNKNOWN

_GO_BOOL = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}
# Possessive: a failed match (`1111...1!`) must not retry every split of the digits (quadratic).
_NUMBER = lazy_pattern(r"\s*+([-+]?+(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++))\s*+([a-zA-Z]*+)\s*+")
_BASES = {"x": 16, "o": 8, "b": 2}
_DIGITS_IN = {
    16: frozenset("0123456789abcdefABCDEF"),
    8: frozenset("01234567"),
    2: frozenset("01"),
}
_PAST_BOUND = lazy_pattern(rf"(?<![0-9])[0-9]{{{MAX_INTEGER_DIGITS + 1},}}")
_MEMORY_SCALE = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
_ZERO_ID = lazy_pattern(r"[+-]?0+")  # what Go's strconv.Atoi reads as 0
_TMPFS_FLAGS = ("exec", "suid", "dev")
_DEFAULT_REGISTRY = ("docker.io/library/", "index.docker.io/library/", "library/", "docker.io/")


def parse_go_bool(text: str) -> bool | None:
    """Go's `strconv.ParseBool`, as the docker CLI and daemon use it: None when it is no boolean."""
    return _GO_BOOL.get(text)


@lru_cache(maxsize=4096)
def parse_image(text: str) -> ImageRef:
    """An image reference: `registry.local:5000/team/app:2.1@sha256:..`.

    The tag is only looked for in the last path component, so a registry port
    is not a tag; a digest follows `@`.  Surrounding blanks are ignored.

    A part only known at run time (UNKNOWN in `text`: a variable without a value, a CI
    expression) is read as the front ends read it: a tag or digest so is "" (given, but not
    judged); a registry host so (`$REGISTRY/postgres:16`) leaves the repository the path after it
    (`postgres`: a mirror or private registry names the image by its own path); any other part of
    the path so (`$IMAGE:1`, `app-$FLAVOUR`) leaves the repository unknown: "", as its name and
    basename.  `written` and `name` show each such part as `…`.
    """
    name, at, digest = text.strip().partition("@")
    head, slash, last = name.rpartition("/")
    tag = None
    written_last = last
    if ":" in last:
        last, _, tag = last.partition(":")
    name = head + slash + last
    path = name.split("/")
    if len(path) > 1 and path[0] and not path[0].strip(UNKNOWN):
        path = path[1:]  # the registry host is only known at run time
    repository = "/".join(path)
    if UNKNOWN in repository or "$" in repository:  # `$`: a variable Compose or the shell left as written
        repository = name = last = written_last = ""
    for prefix in _DEFAULT_REGISTRY:
        if repository.startswith(prefix):
            repository = repository[len(prefix) :]
            break
    return ImageRef(
        written=text.replace(UNKNOWN, "…"),
        name=name.replace(UNKNOWN, "…"),
        tag=None if tag is None else "" if UNKNOWN in tag else tag,
        digest=None if not at else "" if UNKNOWN in digest else digest,
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


def parse_integer(text: str, signed: bool = False, prefixed: bool = False) -> int | None:
    """The one conversion of user text to an integer: a decimal integer as Go's strconv reads one
    for Docker, ASCII digits (after a sign when `signed`, as Atoi; after `0x`, `0o` or `0b` when
    `prefixed`, as ParseInt with base 0), at most MAX_INTEGER_DIGITS of them (more overflows
    Docker's int64, and Python's int() takes `²`, costs time quadratic in the digits and raises
    past 4,300).  None for anything else."""
    body = text[1:] if signed and text[:1] in ("+", "-") else text
    base = 10
    if prefixed and body[:2].lower() in ("0x", "0o", "0b"):
        base, body = _BASES[body[1].lower()], body[2:]
    if not body or len(body) > MAX_INTEGER_DIGITS:
        return None
    # ASCII digits of the base; isdigit() alone takes `²` (a decimal needs no set made).
    if not (body.isascii() and body.isdigit() if base == 10 else set(body) <= _DIGITS_IN[base]):
        return None
    value = int(body, base)
    return -value if signed and text[:1] == "-" else value


def number_past_bound(text: str, consequence: str = "not read") -> str | None:
    """CL010's message when `text` holds a number of more than MAX_INTEGER_DIGITS digits (no
    integer Docker reads holds it), else None.  Front ends report it where the number is written;
    the parsers here read no amount from such text."""
    match = _PAST_BOUND.search(text) if len(text) > MAX_INTEGER_DIGITS else None  # a short text holds none
    if match is None:
        return None
    return f"A number of {len(match.group()):,} digits is past the {MAX_INTEGER_DIGITS}-digit bound: {consequence}"


def parse_byte_size(text: str) -> Limit:
    """A memory size as Compose and the docker CLI convert it (go-units `RAMInBytes`: `512m`, `1g`, `0.5`).

    The byte count is truncated (`0.5` is 0 bytes); empty text is 0 ("unlimited");
    a unit go-units does not know, or a number past the integer bound, gives no amount.
    """
    match = _NUMBER.fullmatch(text)
    if match is None or number_past_bound(text):
        return Limit(text, None if text.strip() else 0)
    unit = match.group(2).lower()
    scale = _MEMORY_SCALE.get(unit[:1] if unit not in ("b", "") else unit)
    amount = None if scale is None else float(match.group(1)) * scale
    return Limit(text, int(amount) if amount is not None and math.isfinite(amount) else None)


def parse_quantity(text: str) -> Limit:
    """A CPU count, CPU quota or PID limit: its leading number (empty is 0), None when there is none
    or it is past the integer bound."""
    match = _NUMBER.fullmatch(text)
    if match is None or number_past_bound(text):
        return Limit(text, None if text.strip() else 0.0)
    return Limit(text, float(match.group(1)))


def limits_nothing(text: str) -> bool:
    """Empty, zero or negative (`0`, `0m`, `-1`, `0.0`): the Engine reads the value as "no limit"."""
    return parse_quantity(text).unlimited


def parse_restart_policy(text: str) -> RestartPolicy:
    """`--restart` / `restart:` (`no`, `always`, `unless-stopped`, `on-failure[:N]`).

    A missing, empty or unparsable count is 0, which the Engine reads as "retry forever"; a count
    past the integer bound (CL010) is None, unknown.
    """
    name, _, count = text.strip().partition(":")
    retries = None if number_past_bound(count) else parse_integer(count.strip(), signed=True) or 0
    return RestartPolicy(text, name.strip(), retries)


def parse_expose(text: str) -> Exposed:
    """`expose` / `--expose`: `PORT[-END][/PROTOCOL]` (moby `network.ParsePortRange`); ports 1-65535,
    protocol tcp, udp or sctp.  Blanks around the entry are ignored."""
    number, _, written_protocol = text.strip().partition("/")
    protocol = written_protocol.lower() or "tcp"
    start, _, end = number.partition("-")
    first, last = parse_integer(start), parse_integer(end or start)
    ports = None
    if first is not None and last is not None and protocol in ("tcp", "udp", "sctp"):
        ports = range(first, last + 1) if 1 <= first <= last <= 65535 else None
    return Exposed(text, ports, protocol)


def parse_device(text: str) -> Device:
    """`devices` / `--device`: the host side of `HOST[:CONTAINER[:PERMISSIONS]]`, or a CDI device
    name (`vendor.com/class=name`) whole (docker CLI `parseDevice`: a value with `=` that is not a
    path is a CDI name)."""
    if "=" in text and not text.startswith("/"):
        return Device(text, text, True)
    return Device(text, text.partition(":")[0], False)


def parse_security_option(text: str) -> SecurityOption:
    """A `--security-opt` / `security_opt` entry, split as the daemon splits it (moby
    `parseSecurityOpt`): the bare `no-new-privileges` and `disable`, else key and value cut at
    the first `=`, or at the first `:` when there is no `=` (deprecated, still accepted).

    Nothing is trimmed or lower-cased: the daemon refuses `Seccomp=unconfined` and reads
    `seccomp= unconfined` as a profile file, so neither turns seccomp off.
    """
    if text == "no-new-privileges":
        return SecurityOption(text, text, None, True)
    if text == "disable":
        return SecurityOption(text, "label", "disable", None)
    key, found, value = text.partition("=" if "=" in text else ":")
    if not found:
        return SecurityOption(text, text, None, None)
    return SecurityOption(text, key, value, parse_go_bool(value))


def parse_user(text: str) -> User:
    """`user` / `--user` / `exec -u`: `NAME|UID[:GROUP|GID]` as the runtime resolves it (moby/sys
    `user.GetExecUser`, which Docker and runc use).

    The user part is cut at the first `:`; a number (`strconv.Atoi`: sign and digits, so `00` and
    `+0`) is a UID, anything else a name looked up as written (`ROOT` is no user the image has:
    the container does not start).  An empty user part before a group keeps the default UID 0.
    """
    name, colon, group = text.partition(":")
    is_root = name == "root" or _ZERO_ID.fullmatch(name) is not None or (not name and bool(colon))
    return User(text, name, group if colon else None, is_root)


def parse_tmpfs(text: str) -> Tmpfs:
    """`tmpfs` / `--tmpfs`: `TARGET[:OPTIONS]` (cut at the first `:`, options split at `,`).

    Docker mounts every tmpfs `noexec,nosuid,nodev` and appends the written options; for each
    pair the last one written wins (moby `mount.MergeTmpfsOptions`), so `exec,noexec` is noexec.
    An option is taken as written: ` exec` is no option (the Engine refuses the mount).
    """
    target, _, written = text.partition(":")
    options = tuple(written.split(",")) if written else ()
    allowed = dict.fromkeys(_TMPFS_FLAGS, False)
    for option in options:
        if option in allowed:
            allowed[option] = True
        elif option.startswith("no") and option[2:] in allowed:
            allowed[option[2:]] = False
    return Tmpfs(text, target, options, tuple(name for name in _TMPFS_FLAGS if allowed[name]))


def parse_extra_host(text: str) -> ExtraHost:
    """`extra_hosts` / `--add-host`: `NAME=ADDRESS` or `NAME:ADDRESS` (docker CLI
    `opts.ValidateExtraHost`, compose-go `NewHostsList`: cut at the first `=`, else the first `:`,
    so `db:::1` maps `db` to `::1`)."""
    name, _, address = text.partition("=" if "=" in text else ":")
    return ExtraHost(text, name, address)


def parse_sysctl(text: str) -> Sysctl:
    """`sysctls` / `--sysctl`: `NAME=VALUE`, cut at the first `=`; blanks around the name and the
    value are dropped (the kernel ignores them in the value).  `key` uses `.` separators: the
    runtime writes `net/ipv4/ip_forward` and `net.ipv4.ip_forward` to the same file."""
    name, _, value = text.partition("=")
    return Sysctl(text, name.strip(), value.strip(), name.strip().replace("/", "."))
