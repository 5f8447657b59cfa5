"""The port grammar, one parser for every syntax (docs/semantics.md section 2).

Short syntax and `docker run -p` share go-connections' `nat.ParsePortSpec`:
`[[IP:]HOST:]CONTAINER[/PROTO]`, where more than three `:`-parts make
everything but the last two the IP (unbracketed IPv6), ports are 0-65535,
`a-b` is a range, and a host range with a single container port is a pool.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from composelint.model import PortBinding, PortError, Span
from composelint.patterns import lazy_pattern
from composelint.values import parse_integer

PROTOCOLS = ("tcp", "udp", "sctp")


_REFERENCE = lazy_pattern(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")


def host_ip_variable(written: str) -> str | None:
    """The variable reference written as the host IP of a short-syntax port, if any
    (`${BIND_IP}:80:80` -> `${BIND_IP}`; `${PORT}:80` has none)."""
    references = _REFERENCE.findall(written)
    masked = _REFERENCE.sub(lambda m: f"\x00{references.index(m.group())}\x00", written)
    parts = masked.split("/")[0].split(":")
    if len(parts) < 3 or "\x00" not in parts[0]:
        return None
    return references[int(parts[0].split("\x00")[1])]


class _Invalid(Exception):
    pass


def _port_range(text: str, what: str) -> tuple[int, int]:
    start_text, dash, end_text = text.partition("-")
    start = parse_integer(start_text)
    end = parse_integer(end_text) if dash else start
    if start is None or end is None:  # a number past the integer bound is CL010 at the entry instead
        raise _Invalid(f"{what} `{text}` is not a port or range")
    for port in (start, end):
        if not 0 <= port <= 65535:
            raise _Invalid(f"{what} {port} is outside 0-65535")
    if end < start:
        raise _Invalid(f"{what} range `{text}` ends before it starts")
    return start, end


def _host_ip(text: str, allow_brackets: bool) -> str:
    if text.startswith("[") and text.endswith("]"):
        if not allow_brackets:
            raise _Invalid(f"host_ip `{text}` must not be bracketed in long syntax")
        text = text[1:-1]
    try:
        if "%" in text:  # Go's net.ParseIP takes no IPv6 zone
            raise ValueError(text)
        ipaddress.ip_address(text)
    except ValueError:
        raise _Invalid(f"host IP `{text}` is not an IP address (host names are not accepted)") from None
    return text


def _protocol(text: str) -> str:
    protocol = text.lower()
    if protocol not in PROTOCOLS:
        raise _Invalid(f"unknown protocol `{text}` (tcp, udp or sctp)")
    return protocol


def _binding(raw, span, ip, host, container, protocol, syntax, plain) -> PortBinding:
    container_start, container_end = _port_range(container, "container port")
    if container_start == 0:
        raise _Invalid("container port 0 is rejected by Docker")
    host_start = host_end = None
    if host:
        host_start, host_end = _port_range(host, "host port")
        host_len, container_len = host_end - host_start, container_end - container_start
        if host_len != container_len and container_len != 0:
            raise _Invalid(f"host range `{host}` and container range `{container}` differ in length")
        if host_start == 0 and host_end == 0:
            host_start = host_end = None  # 0 asks for a random port
    return PortBinding(
        raw=raw,
        span=span,
        container_start=container_start,
        container_end=container_end,
        protocol=protocol,
        host_ip=ip,
        host_start=host_start,
        host_end=host_end,
        syntax=syntax,
        plain_scalar=plain,
    )


def parse_short(raw: str, span: Span, syntax: str = "short", plain: bool = False) -> PortBinding | PortError:
    """`[[IP:]HOST:]CONTAINER[/PROTO]` as Compose's short syntax and `docker run -p` read it."""
    try:
        parts = raw.split(":")
        container_part = parts[-1]
        host = parts[-2] if len(parts) >= 2 else ""
        ip_text = ":".join(parts[:-2]) if len(parts) >= 3 else ""
        container, _slash, protocol = container_part.partition("/")
        if not container:
            raise _Invalid("no container port")
        protocol = protocol.split("/")[0]  # like nat.SplitProtoPort: `80/udp/x` is udp
        protocol = _protocol(protocol) if protocol else "tcp"
        ip = _host_ip(ip_text, allow_brackets=True) if ip_text else None
        return _binding(raw, span, ip, host, container, protocol, syntax, plain)
    except _Invalid as error:
        return PortError(raw, str(error), span)


def parse_long(fields: Mapping[str, object], raw: str, span: Span) -> PortBinding | PortError:
    """Compose long syntax: `{target, published, host_ip, protocol, mode}`."""
    try:
        target = fields.get("target")
        if target is None or isinstance(target, bool) or str(target).strip() == "":
            raise _Invalid("long-syntax port has no `target`")
        if "-" in str(target):
            raise _Invalid(f"`target: {target}` cannot be a range in long syntax")
        published = fields.get("published")
        host = "" if published is None else str(published)
        host_ip = fields.get("host_ip")
        ip = _host_ip(str(host_ip), allow_brackets=False) if host_ip not in (None, "") else None
        protocol = _protocol(str(fields["protocol"])) if fields.get("protocol") else "tcp"
        return _binding(raw, span, ip, host, str(target), protocol, "long", False)
    except _Invalid as error:
        return PortError(raw, str(error), span)
