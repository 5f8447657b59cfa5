"""Bad input gets a finding or a clean error, never an exception: property tests over
the whole pipeline (loading, every rule, every report format)."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composelint.engine import lint, select_rules
from composelint.report import render
from composelint.report.formats import FORMAT_NAMES
from composelint.sources.compose.project import load_project
from composelint.sources.shell.script import load_script

ALL_RULES = select_rules(["ALL"], [], [])

# Compose-shaped YAML built from fragments, so examples reach the rules, not only the parser.
_KEYS = [
    "image",
    "network_mode",
    "ports",
    "expose",
    "privileged",
    "pid",
    "volumes",
    "networks",
    "cap_add",
    "security_opt",
    "devices",
    "sysctls",
    "extends",
    "build",
    "user",
    "read_only",
    "healthcheck",
    "<<",
]
_SCALARS = st.sampled_from(
    [
        "host",
        "none",
        "service:a",
        "container:b",
        "8080:80",
        "22:22",
        "'127.0.0.1:80:80'",
        "${X:-host}",
        "${",
        "true",
        "no",
        "0",
        "-1",
        "/var/run/docker.sock:/s",
        "~",
        "[a, b]",
        "{}",
        "!reset []",
        '!override ["1:1"]',
        "*x",
        "&x y",
        '"\\u00e9"',
        "70000",
        "1-3:1-2",
        "[::1]:1:1",
        "'[::1]:1:1'",
    ]
)


@st.composite
def compose_texts(draw):
    lines = ["services:"]
    for service in draw(st.lists(st.sampled_from(["a", "b", "web"]), min_size=1, max_size=3)):
        lines.append(f"  {service}:")
        for key in draw(st.lists(st.sampled_from(_KEYS), max_size=6)):
            if draw(st.booleans()):
                lines.append(f"    {key}: {draw(_SCALARS)}")
            else:
                lines.append(f"    {key}:")
                lines.extend(f"      - {draw(_SCALARS)}" for _ in range(draw(st.integers(0, 3))))
    if draw(st.booleans()):
        lines += [
            "networks:",
            f"  n: {{driver: {draw(st.sampled_from(['host', 'macvlan', 'overlay', 'x']))}}}",
        ]
    return "\n".join(lines) + "\n"


def _check(project):
    result = lint([project], ALL_RULES)
    for output_format in FORMAT_NAMES:
        render(output_format, result)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(compose_texts())
def test_compose_shaped_input_never_raises(text):
    _check(load_project(["compose.yaml"], texts={"compose.yaml": text}))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=string.printable + "é€\u2028", max_size=400))
def test_arbitrary_text_as_compose_never_raises(text):
    _check(load_project(["compose.yaml"], texts={"compose.yaml": text}))


_WORDS = st.sampled_from(
    [
        "docker",
        "podman",
        "run",
        "-d",
        "--net=host",
        "--network",
        "host",
        "-p",
        "8080:80",
        "-itp",
        "--privileged",
        "--privileged=false",
        "-v",
        "/:/h",
        "alpine",
        "$X",
        "${M:-host}",
        '"$@"',
        "'",
        '"',
        "\\\n",
        ";",
        "|",
        "&&",
        "$(",
        ")",
        "<<EOF",
        "EOF",
        "\n",
        "exec",
        "--mount",
        "type=bind,src=/etc,dst=/e",
        "network",
        "create",
        "-o",
        "build",
        "sh",
        "-c",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=30))
def test_shell_shaped_input_never_raises(words):
    text = "#!/bin/sh\n" + " ".join(words) + "\n"
    _check(load_script("run.sh", texts={"run.sh": text}))
