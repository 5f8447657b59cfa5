"""Docker's value grammars (composelint/values.py): what the front ends put in the model."""

from __future__ import annotations

import pytest

from composelint.values import (
    parse_byte_size,
    parse_capability,
    parse_go_bool,
    parse_image,
    parse_quantity,
    parse_restart_policy,
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
