"""The port grammar of composelint/sources/ports.py (docs/semantics.md section 2)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from composelint.model import PortBinding, PortError, Span
from composelint.sources.ports import parse_long, parse_short

SPAN = Span("compose.yaml", 5, 9, 5, 20)


def short(raw: str) -> PortBinding:
    result = parse_short(raw, SPAN)
    assert isinstance(result, PortBinding), result
    return result


def fields(port: PortBinding) -> tuple:
    return (
        port.host_ip,
        port.host_start,
        port.host_end,
        port.container_start,
        port.container_end,
        port.protocol,
    )


# -- short syntax: valid -------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        # (host_ip, host_start, host_end, container_start, container_end, protocol)
        ("80", (None, None, None, 80, 80, "tcp")),
        ("3000", (None, None, None, 3000, 3000, "tcp")),
        (":80", (None, None, None, 80, 80, "tcp")),
        ("8080:80", (None, 8080, 8080, 80, 80, "tcp")),
        ("127.0.0.1:8080:80", ("127.0.0.1", 8080, 8080, 80, 80, "tcp")),
        ("127.0.0.1::80", ("127.0.0.1", None, None, 80, 80, "tcp")),
        ("0.0.0.0:443:443", ("0.0.0.0", 443, 443, 443, 443, "tcp")),
        ("0:80", (None, None, None, 80, 80, "tcp")),  # host port 0 = random
        # IPv6 host IPs, bracketed or not (more than three `:`-parts)
        ("[::1]:6001:6001", ("::1", 6001, 6001, 6001, 6001, "tcp")),
        ("::1:6000:6000", ("::1", 6000, 6000, 6000, 6000, "tcp")),
        ("[::]:8080:80", ("::", 8080, 8080, 80, 80, "tcp")),
        (":::8080:80", ("::", 8080, 8080, 80, 80, "tcp")),
        ("[2001:db8::1]::80", ("2001:db8::1", None, None, 80, 80, "tcp")),
        ("2001:db8::1:8080:80/udp", ("2001:db8::1", 8080, 8080, 80, 80, "udp")),
        ("[127.0.0.1]:8080:80", ("127.0.0.1", 8080, 8080, 80, 80, "tcp")),
        # ranges: equal lengths map pairwise; a single container port makes a pool
        ("9090-9091:8080-8081", (None, 9090, 9091, 8080, 8081, "tcp")),
        ("8000-9000:80", (None, 8000, 9000, 80, 80, "tcp")),
        ("127.0.0.1:5000-5010:5000-5010/udp", ("127.0.0.1", 5000, 5010, 5000, 5010, "udp")),
        ("7000-7000:7000", (None, 7000, 7000, 7000, 7000, "tcp")),
        ("6000-6005", (None, None, None, 6000, 6005, "tcp")),
        # protocols, case-insensitive; an empty protocol is tcp
        ("53:53/udp", (None, 53, 53, 53, 53, "udp")),
        ("53:53/UDP", (None, 53, 53, 53, 53, "udp")),
        ("3868:3868/sctp", (None, 3868, 3868, 3868, 3868, "sctp")),
        ("3868:3868/SCTP", (None, 3868, 3868, 3868, 3868, "sctp")),
        ("80/Tcp", (None, None, None, 80, 80, "tcp")),
        ("80/", (None, None, None, 80, 80, "tcp")),
        ("80:80/udp/extra", (None, 80, 80, 80, 80, "udp")),  # nat.SplitProtoPort reads the 2nd field only
        # bounds
        ("65535:65535", (None, 65535, 65535, 65535, 65535, "tcp")),
        ("1:1", (None, 1, 1, 1, 1, "tcp")),
    ],
)
def test_short_valid(raw, expected):
    port = short(raw)
    assert fields(port) == expected
    assert port.raw == raw and port.span == SPAN and port.syntax == "short"


def test_short_ranges_and_pool_properties():
    pairwise = short("9090-9091:8080-8081")
    assert list(pairwise.host_range) == [9090, 9091]
    assert list(pairwise.container_ports) == [8080, 8081]
    pool = short("8000-9000:80")
    assert len(pool.host_range) == 1001 and list(pool.container_ports) == [80]
    assert short("80").host_range is None


def test_short_keeps_syntax_and_plain_flags():
    port = parse_short("22:22", SPAN, "cli", plain=True)
    assert isinstance(port, PortBinding)
    assert port.syntax == "cli" and port.plain_scalar


# -- short syntax: invalid -----------------------------------------------------


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "no container port"),
        ("8080:", "no container port"),
        ("127.0.0.1:8080:", "no container port"),
        ("70000:80", "outside 0-65535"),
        ("8080:65536", "outside 0-65535"),
        ("8080:0", "container port 0"),
        ("0", "container port 0"),
        ("8000-8002:80-81", "differ in length"),
        ("8080:80-81", "differ in length"),
        ("9000-8990:80", "ends before it starts"),
        ("8080:90-80", "ends before it starts"),
        ("8080-:80", "not a port or range"),
        ("-8080:80", "not a port or range"),
        ("8080:http", "not a port or range"),
        ("80:80/http", "unknown protocol"),
        ("80:80/quic", "unknown protocol"),
        ("localhost:8080:80", "not an IP address"),
        ("my-host.example:8080:80", "not an IP address"),
        ("::8080:80", "not an IP address"),  # IP `:`
        ("256.0.0.1:80:80", "not an IP address"),
        ("[::1:80:80", "not an IP address"),
        ("fe80::1%eth0:80:80", "not an IP address"),  # Go's net.ParseIP takes no zone
        # Go's strconv.ParseUint: no sign, spaces, underscores or non-ASCII digits
        ("+80:80", "not a port or range"),
        (" 80:80", "not a port or range"),
        ("80:80 ", "not a port or range"),
        ("8_080:80", "not a port or range"),
        ("\u0668\u0660:80", "not a port or range"),  # Arabic-Indic "80"
    ],
)
def test_short_invalid(raw, reason):
    result = parse_short(raw, SPAN)
    assert isinstance(result, PortError), result
    assert reason in result.reason
    assert result.raw == raw and result.span == SPAN


# -- long syntax ---------------------------------------------------------------


def long(**values) -> PortBinding | PortError:
    return parse_long(values, ", ".join(f"{k}: {v}" for k, v in values.items()), SPAN)


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"target": "80"}, (None, None, None, 80, 80, "tcp")),
        ({"target": "80", "published": "8080"}, (None, 8080, 8080, 80, 80, "tcp")),
        ({"target": 80, "published": 8080, "host_ip": "127.0.0.1"}, ("127.0.0.1", 8080, 8080, 80, 80, "tcp")),
        ({"target": "80", "published": "8000-8010"}, (None, 8000, 8010, 80, 80, "tcp")),  # pool
        ({"target": "53", "published": "53", "protocol": "UDP"}, (None, 53, 53, 53, 53, "udp")),
        ({"target": "3868", "protocol": "sctp", "mode": "host"}, (None, None, None, 3868, 3868, "sctp")),
        ({"target": "80", "host_ip": "::1"}, ("::1", None, None, 80, 80, "tcp")),
        ({"target": "80", "host_ip": "0.0.0.0", "published": "0"}, ("0.0.0.0", None, None, 80, 80, "tcp")),
        ({"target": "80", "host_ip": ""}, (None, None, None, 80, 80, "tcp")),
        ({"target": "80", "app_protocol": "http", "name": "web"}, (None, None, None, 80, 80, "tcp")),
    ],
)
def test_long_valid(values, expected):
    port = long(**values)
    assert isinstance(port, PortBinding), port
    assert fields(port) == expected and port.syntax == "long" and not port.plain_scalar


@pytest.mark.parametrize(
    "values, reason",
    [
        ({"published": "8080"}, "no `target`"),
        ({"target": ""}, "no `target`"),
        ({"target": None, "published": "80"}, "no `target`"),
        ({"target": "8000-8010", "published": "8000-8010"}, "cannot be a range"),
        ({"target": "80", "host_ip": "[::1]"}, "must not be bracketed"),
        ({"target": "80", "host_ip": "[::]"}, "must not be bracketed"),
        ({"target": "80", "host_ip": "localhost"}, "not an IP address"),
        ({"target": "80", "protocol": "http"}, "unknown protocol"),
        ({"target": "70000"}, "outside 0-65535"),
        ({"target": "80", "published": "65536"}, "outside 0-65535"),
        ({"target": "0"}, "container port 0"),
        ({"target": "eighty"}, "not a port or range"),
        ({"target": "80", "published": "http"}, "not a port or range"),
    ],
)
def test_long_invalid(values, reason):
    result = long(**values)
    assert isinstance(result, PortError), result
    assert reason in result.reason


# -- properties ----------------------------------------------------------------

ports = st.integers(min_value=1, max_value=65535)
protocols = st.sampled_from(["tcp", "udp", "sctp", "TCP", "Udp", "SCTP"])
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(lambda ip: ip.compressed)


@st.composite
def host_ips(draw):
    """(text as written, expected host_ip): IPv4, IPv6 bracketed or not, or nothing."""
    kind = draw(st.sampled_from(["none", "v4", "v6", "v6-bracketed"]))
    if kind == "none":
        return "", None
    if kind == "v4":
        ip = draw(ipv4)
        return ip, ip
    ip = draw(ipv6)
    return (f"[{ip}]" if kind == "v6-bracketed" else ip), ip


@given(host_ips(), ports, ports, protocols)
def test_ip_host_container_proto_round_trips(ip, host, container, protocol):
    ip_text, expected_ip = ip
    raw = f"{ip_text}:{host}:{container}/{protocol}" if ip_text else f"{host}:{container}/{protocol}"
    port = short(raw)
    assert fields(port) == (expected_ip, host, host, container, container, protocol.lower())


@given(host_ips(), ports, st.integers(min_value=0, max_value=200), ports, protocols)
def test_equal_ranges_round_trip(ip, host, width, container, protocol):
    assume(host + width <= 65535 and container + width <= 65535)
    ip_text, expected_ip = ip
    raw = f"{ip_text}:{host}-{host + width}:{container}-{container + width}/{protocol}"
    port = short(raw)
    assert fields(port) == (expected_ip, host, host + width, container, container + width, protocol.lower())
    assert len(port.host_range) == len(port.container_ports) == width + 1


@given(ports, st.integers(min_value=1, max_value=200), ports, st.integers(min_value=1, max_value=200))
def test_unequal_ranges_are_rejected(host, host_width, container, container_width):
    assume(host_width != container_width)
    assume(host + host_width <= 65535 and container + container_width <= 65535)
    result = parse_short(f"{host}-{host + host_width}:{container}-{container + container_width}", SPAN)
    assert isinstance(result, PortError)


@given(st.one_of(st.integers(min_value=65536, max_value=10**9), st.integers(max_value=-1)), ports)
def test_out_of_range_ports_are_rejected(bad, good):
    assert isinstance(parse_short(f"{bad}:{good}", SPAN), PortError)
    assert isinstance(parse_short(f"{good}:{bad}", SPAN), PortError)


@given(ipv4 | ipv6, ports, ports, st.sampled_from(["tcp", "udp", "sctp"]))
def test_long_syntax_agrees_with_short_syntax(ip, host, container, protocol):
    from_long = long(target=str(container), published=str(host), host_ip=ip, protocol=protocol)
    from_short = short(f"[{ip}]:{host}:{container}/{protocol}")
    assert isinstance(from_long, PortBinding)
    assert fields(from_long) == fields(from_short)


@given(st.text())
def test_parse_short_never_raises(text):
    result = parse_short(text, SPAN)
    assert isinstance(result, (PortBinding, PortError))
    if isinstance(result, PortBinding):
        assert 1 <= result.container_start <= result.container_end <= 65535
        assert result.protocol in ("tcp", "udp", "sctp")
        if result.host_ip is not None:
            ipaddress.ip_address(result.host_ip)


@given(st.text(alphabet="0123456789:-/[].abcdeftpuTCPUDP%", max_size=30))
def test_parse_short_never_raises_on_port_like_text(text):
    assert isinstance(parse_short(text, SPAN), (PortBinding, PortError))


@given(
    st.dictionaries(
        st.sampled_from(["target", "published", "host_ip", "protocol", "mode"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    )
)
def test_parse_long_never_raises(values):
    assert isinstance(parse_long(values, "raw", SPAN), (PortBinding, PortError))
