"""Docker's value grammars (composelint/values.py): what the front ends put in the model."""

from __future__ import annotations

import pytest

from composelint.values import (
    number_past_bound,
    parse_byte_size,
    parse_capability,
    parse_device,
    parse_expose,
    parse_extra_host,
    parse_go_bool,
    parse_image,
    parse_integer,
    parse_quantity,
    parse_restart_policy,
    parse_security_option,
    parse_sysctl,
    parse_tmpfs,
    parse_user,
)


@pytest.mark.parametrize(
    ("reference", "parsed"),
    [
        ("nginx", ("nginx", None, None, "nginx", "nginx")),
        ("nginx:1.27", ("nginx", "1.27", None, "nginx", "nginx")),
        (
            "registry.local:5000/app",
            ("registry.local:5000/app", None, None, "registry.local:5000/app", "app"),
        ),
        (
            "registry.local:5000/team/app:2.1",
            ("registry.local:5000/team/app", "2.1", None, "registry.local:5000/team/app", "app"),
        ),
        ("nginx@sha256:abc", ("nginx", None, "sha256:abc", "nginx", "nginx")),
        (
            "localhost:5000/a:latest@sha256:abc",
            ("localhost:5000/a", "latest", "sha256:abc", "localhost:5000/a", "a"),
        ),
        ("[::1]:5000/app:1", ("[::1]:5000/app", "1", None, "[::1]:5000/app", "app")),
        ("docker.io/library/Nginx:1", ("docker.io/library/Nginx", "1", None, "nginx", "Nginx")),
        (
            "docker.io/grafana/grafana",
            ("docker.io/grafana/grafana", None, None, "grafana/grafana", "grafana"),
        ),
        (" nginx:1 ", ("nginx", "1", None, "nginx", "nginx")),
    ],
)
def test_image_reference(reference, parsed):
    image = parse_image(reference)
    assert (image.name, image.tag, image.digest, image.repository, image.basename) == parsed
    assert image.written == reference


@pytest.mark.parametrize(
    ("reference", "parsed"),
    [
        # A tag or digest only known at run time is given but not judged ("").
        ("postgres:\x00", ("postgres:…", "postgres", "", None, "postgres", "postgres")),
        ("app@\x00", ("app@…", "app", None, "", "app", "app")),
        (
            "ghcr.io/pterodactyl/yolks:java_\x00",
            (
                "ghcr.io/pterodactyl/yolks:java_…",
                "ghcr.io/pterodactyl/yolks",
                "",
                None,
                "ghcr.io/pterodactyl/yolks",
                "yolks",
            ),
        ),
        # A registry host so: the path after it names the image (a mirror, a private registry).
        (
            "\x00/bitnami/redis:7.4",
            ("…/bitnami/redis:7.4", "…/bitnami/redis", "7.4", None, "bitnami/redis", "redis"),
        ),
        ("\x00/library/nginx", ("…/library/nginx", "…/library/nginx", None, None, "nginx", "nginx")),
        # Any other part of the path so: an unknown image.
        ("\x00:\x00", ("…:…", "", "", None, "", "")),
        ("\x00", ("…", "", None, None, "", "")),
        ("caddy-\x00:2.8", ("caddy-…:2.8", "", "2.8", None, "", "")),
        ("registry.local/\x00/app:1", ("registry.local/…/app:1", "", "1", None, "", "")),
        # A `$` Compose or the shell left as written (`$$`, `${{ }}`) is no repository Docker takes.
        ("$IMAGE:1", ("$IMAGE:1", "", "1", None, "", "")),
        # An empty registry host is no variable: Docker refuses `/app`, nothing is guessed.
        ("/postgres:16", ("/postgres:16", "/postgres", "16", None, "/postgres", "postgres")),
    ],
)
def test_image_reference_with_parts_known_at_run_time(reference, parsed):
    image = parse_image(reference)
    assert (image.written, image.name, image.tag, image.digest, image.repository, image.basename) == parsed


@pytest.mark.parametrize(
    ("text", "name", "is_all"),
    [("SYS_ADMIN", "SYS_ADMIN", False), ("cap_sys_admin", "SYS_ADMIN", False), (" all ", "ALL", True)],
)
def test_capability(text, name, is_all):
    assert (parse_capability(text).name, parse_capability(text).is_all) == (name, is_all)


def test_cap_all_is_not_all():
    """The Engine refuses `CAP_ALL`; only `ALL` (any case) drops or adds every capability."""
    assert parse_capability("CAP_ALL").is_all is False


@pytest.mark.parametrize(
    ("text", "size", "unlimited"),
    [
        ("512m", 512 << 20, False),
        ("1G", 1 << 30, False),
        ("0", 0, True),
        ("0.5", 0, True),
        ("", 0, True),
        ("-1", -1, True),
        ("12x", None, False),
        ("lots", None, False),
    ],
)
def test_byte_size(text, size, unlimited):
    assert (parse_byte_size(text).amount, parse_byte_size(text).unlimited) == (size, unlimited)


@pytest.mark.parametrize(
    ("text", "number", "unlimited"),
    [("1.5", 1.5, False), ("0", 0.0, True), ("-1", -1.0, True), ("", 0.0, True), ("cpuset 0-1", None, False)],
)
def test_quantity(text, number, unlimited):
    assert (parse_quantity(text).amount, parse_quantity(text).unlimited) == (number, unlimited)


@pytest.mark.parametrize(
    ("text", "name", "retries"),
    [
        ("on-failure:5", "on-failure", 5),
        ("on-failure", "on-failure", 0),
        ("on-failure:x", "on-failure", 0),
        ("always", "always", 0),
        ("on-failure:" + "9" * 21, "on-failure", None),  # past the integer bound: unknown (CL010)
    ],
)
def test_restart_policy(text, name, retries):
    policy = parse_restart_policy(text)
    assert (policy.name, policy.retries) == (name, retries)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("t", True),
        ("TRUE", True),
        ("True", True),
        ("0", False),
        ("F", False),
        ("yes", None),
        ("tRUE", None),
    ],
)
def test_go_bool(text, value):
    assert parse_go_bool(text) is value


@pytest.mark.parametrize(
    ("text", "key", "value", "switch"),
    [
        ("seccomp:unconfined", "seccomp", "unconfined", None),
        ("seccomp=unconfined", "seccomp", "unconfined", None),
        ("apparmor=docker-default", "apparmor", "docker-default", None),
        ("label=type:svirt_apache_t", "label", "type:svirt_apache_t", None),  # cut at `=` first
        ("label:level:s0:c100,c200", "label", "level:s0:c100,c200", None),
        ("disable", "label", "disable", None),
        ("no-new-privileges", "no-new-privileges", None, True),
        ("no-new-privileges:true", "no-new-privileges", "true", True),
        ("no-new-privileges=1", "no-new-privileges", "1", True),
        ("no-new-privileges:false", "no-new-privileges", "false", False),
        ("no-new-privileges=F", "no-new-privileges", "F", False),
        ("no-new-privileges:yes", "no-new-privileges", "yes", None),  # no Go boolean: the daemon refuses it
        ("no-new-privileges: true", "no-new-privileges", " true", None),
        ("systempaths=unconfined", "systempaths", "unconfined", None),
        ("Seccomp=unconfined", "Seccomp", "unconfined", None),  # keys are case-sensitive
        ("nonsense", "nonsense", None, None),
    ],
)
def test_security_option(text, key, value, switch):
    option = parse_security_option(text)
    assert (option.written, option.key, option.value, option.switch) == (text, key, value, switch)


@pytest.mark.parametrize(
    ("text", "name", "group", "is_root"),
    [
        ("root", "root", None, True),
        ("0", "0", None, True),
        ("0:0", "0", "0", True),
        ("root:root", "root", "root", True),
        ("0:1000", "0", "1000", True),
        ("00", "00", None, True),
        ("+0", "+0", None, True),
        ("-0", "-0", None, True),
        (":1000", "", "1000", True),  # no user part: the runtime keeps UID 0
        ("1000", "1000", None, False),
        ("1000:0", "1000", "0", False),
        ("ROOT", "ROOT", None, False),  # looked up as written: no such user, the container does not start
        ("rootless", "rootless", None, False),
        ("0x0", "0x0", None, False),  # Atoi reads decimal only: a name
        ("", "", None, False),  # empty: the image's user
    ],
)
def test_user(text, name, group, is_root):
    user = parse_user(text)
    assert (user.written, user.name, user.group, user.is_root) == (text, name, group, is_root)


@pytest.mark.parametrize(
    ("text", "target", "options", "allows"),
    [
        ("/tmp", "/tmp", (), ()),
        ("/tmp:size=64m", "/tmp", ("size=64m",), ()),
        ("/tmp:exec,size=64m", "/tmp", ("exec", "size=64m"), ("exec",)),
        ("/dev/shm:dev,exec,suid", "/dev/shm", ("dev", "exec", "suid"), ("exec", "suid", "dev")),
        ("/tmp:exec,noexec", "/tmp", ("exec", "noexec"), ()),  # the last of a pair wins
        ("/tmp:noexec,exec", "/tmp", ("noexec", "exec"), ("exec",)),
        ("/run:rw,noexec,nosuid,nodev", "/run", ("rw", "noexec", "nosuid", "nodev"), ()),
        ("/tmp: exec", "/tmp", (" exec",), ()),  # no option the Engine knows
        ("/tmp:defaults", "/tmp", ("defaults",), ()),  # Docker skips `defaults`
    ],
)
def test_tmpfs(text, target, options, allows):
    tmpfs = parse_tmpfs(text)
    assert (tmpfs.written, tmpfs.target, tmpfs.options, tmpfs.allows) == (text, target, options, allows)


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        ("host.docker.internal:host-gateway", "host.docker.internal", "host-gateway"),
        ("host.docker.internal=host-gateway", "host.docker.internal", "host-gateway"),
        ("db:10.0.0.2", "db", "10.0.0.2"),
        ("db:::1", "db", "::1"),
        ("db=[::1]", "db", "[::1]"),
        ("db=fe80::1", "db", "fe80::1"),  # `=` first: the colons stay in the address
    ],
)
def test_extra_host(text, name, address):
    host = parse_extra_host(text)
    assert (host.written, host.name, host.address) == (text, name, address)


@pytest.mark.parametrize(
    ("text", "name", "value", "key"),
    [
        ("net.ipv4.ip_forward=1", "net.ipv4.ip_forward", "1", "net.ipv4.ip_forward"),
        ("net/ipv4/ip_forward=1", "net/ipv4/ip_forward", "1", "net.ipv4.ip_forward"),
        (
            "net.ipv4.conf.eth0.100.forwarding = 1",
            "net.ipv4.conf.eth0.100.forwarding",
            "1",
            "net.ipv4.conf.eth0.100.forwarding",
        ),
        ("kernel.shmmax=", "kernel.shmmax", "", "kernel.shmmax"),
        ("net.core.somaxconn=1024=x", "net.core.somaxconn", "1024=x", "net.core.somaxconn"),
    ],
)
def test_sysctl(text, name, value, key):
    sysctl = parse_sysctl(text)
    assert (sysctl.written, sysctl.name, sysctl.value, sysctl.key) == (text, name, value, key)


@pytest.mark.parametrize(
    ("text", "ports", "protocol"),
    [
        ("80", range(80, 81), "tcp"),
        ("80/udp", range(80, 81), "udp"),
        ("8000-8010", range(8000, 8011), "tcp"),
        ("53/UDP", range(53, 54), "udp"),
        (" 9000/sctp ", range(9000, 9001), "sctp"),
        ("0", None, "tcp"),
        ("70000", None, "tcp"),
        ("90-80", None, "tcp"),
        ("80/http", None, "http"),
        ("http", None, "tcp"),
    ],
)
def test_expose(text, ports, protocol):
    exposed = parse_expose(text)
    assert (exposed.written, exposed.ports, exposed.protocol) == (text, ports, protocol)


@pytest.mark.parametrize(
    ("text", "path", "cdi"),
    [
        ("/dev/sda", "/dev/sda", False),
        ("/dev/sda:/dev/xvda", "/dev/sda", False),
        ("/dev/sda:/dev/xvda:rwm", "/dev/sda", False),
        ("nvidia.com/gpu=all", "nvidia.com/gpu=all", True),
        ("/dev/bus/usb:/dev/bus/usb", "/dev/bus/usb", False),
        ("/dev/disk/by-id/x=y", "/dev/disk/by-id/x=y", False),  # a path: never a CDI name
    ],
)
def test_device(text, path, cdi):
    device = parse_device(text)
    assert (device.written, device.path, device.cdi) == (text, path, cdi)


@pytest.mark.parametrize(
    ("text", "options", "value"),
    [
        ("80", {}, 80),
        ("9" * 20, {}, 99999999999999999999),
        ("9" * 21, {}, None),  # past the bound: no int64 holds it
        ("+80", {}, None),
        ("+80", {"signed": True}, 80),
        ("-5", {"signed": True}, -5),
        (" 5", {}, None),  # int() takes blanks, `_` and `²`; Go's strconv does not
        ("5_0", {}, None),
        ("²", {}, None),
        ("0x1F", {}, None),
        ("0x1F", {"prefixed": True}, 31),
        ("-0o17", {"signed": True, "prefixed": True}, -15),
        ("0x", {"prefixed": True}, None),
        ("", {}, None),
    ],
)
def test_integer(text, options, value):
    assert parse_integer(text, **options) == value


def test_number_past_bound_finds_the_first_long_run():
    assert number_past_bound("1:" + "9" * 20 + "-80") is None
    assert (
        number_past_bound("x" + "9" * 20 + "y" + "8" * 30)
        == "A number of 30 digits is past the 20-digit bound: not read"
    )
    assert parse_byte_size("1" * 25 + "m").amount is None and parse_quantity("1" * 25).amount is None
