"""Property tests of whole projects (issue 17, item 9): random services, ports, networks and
extends/include graphs with cycles, `.env` files, configuration files and shell scripts with
nesting, backticks, here-docs, eval, quoting, NUL and surrogates.  Every example is linted by the
real pipeline into every format: a finding is fine, an exception is a bug (CL009 included).
`fuzz/fuzz_lint.py` runs the same pipeline under atheris for longer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composelint.app import LintError, Request, run
from composelint.config import Overrides
from composelint.report import render
from composelint.report.formats import FORMAT_NAMES

_FILES = ["compose.yaml", "a.yaml", "b.yaml"]
_SCALAR = st.sampled_from(
    [
        "host",
        "bridge",
        "8080:80",
        "127.0.0.1:1-65535:1-65535",
        "${X}",
        "${X:-${Y:-z}}",
        "${X:?${T}}",
        "/var/run/docker.sock:/s",
        "service:a",
        "container:b",
        "true",
        "\\ud800",
        "a\\n::error::x",
        "0x1F",
        "9" * 30 + ":80",
        "'",
        "&a",
        "*a",
        "!reset",
        "[",
        "{",
    ]
)


@st.composite
def projects(draw) -> dict[str, str]:
    """A compose file with includes and extends between three files (cycles allowed) and a .env."""
    files = {}
    for name in _FILES:
        lines = []
        included = draw(st.lists(st.sampled_from(_FILES), max_size=2))
        if included:
            lines += ["include:"] + [f"  - {target}" for target in included]
        lines.append("services:")
        for service in draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)):
            lines.append(f"  {service}:")
            lines.append(f"    image: {draw(st.sampled_from(['nginx:1.27', '${IMAGE}', 'x']))}")
            if draw(st.booleans()):
                target = draw(st.sampled_from(["a", "b", "c"]))
                where = draw(st.sampled_from(["", ", file: a.yaml", ", file: b.yaml"]))
                lines.append(f"    extends: {{service: {target}{where}}}")
            for key in draw(
                st.lists(
                    st.sampled_from(["ports", "network_mode", "volumes", "pid", "cap_add"]),
                    max_size=3,
                    unique=True,
                )
            ):
                value = draw(_SCALAR)
                lines.append(
                    f'    {key}: ["{value}"]'
                    if key in ("ports", "volumes", "cap_add")
                    else f'    {key}: "{value}"'
                )
        files[name] = "\n".join(lines) + "\n"
    env_lines = draw(
        st.lists(
            st.sampled_from(
                [
                    "X=x",
                    "Y=${X}${X}",
                    "T=S3CRET",
                    "IMAGE=nginx",
                    "bad line",
                    "Q='",
                    "export Z=1",
                    "A=${A}${A}",
                ]
            ),
            max_size=6,
        )
    )
    files[".env"] = "\n".join(env_lines) + "\n"
    files[".composelint.yaml"] = draw(
        st.sampled_from(["", "select: [ALL]\n", "select: [\n", "a: &a [*a]\n", "ignore: [CL1]\n"])
    )
    return files


_SHELL_PARTS = st.sampled_from(
    [
        "docker run",
        "--privileged",
        "--network host",
        "nginx",
        "`",
        "$(",
        ")",
        "eval",
        '"$A"',
        "A=",
        "'",
        '"',
        "<<EOF\n",
        "\nEOF\n",
        "\\",
        "\x00",
        "\ud800",
        "é",
        ";",
        "&&",
        "|",
        "\n",
        "${A:-",
        "}",
        "sh -c",
    ]
)


def _lint(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            result = run(Request(paths=(str(root),), overrides=Overrides(select=["ALL"]), jobs=1))
        except LintError as error:  # an unusable configuration file: a usage error, one line
            assert ".composelint.yaml" in str(error) and "\n" not in str(error)
            return
        assert not [r for r in result.lint.reported if r.rule.code == "CL009"], [
            r.finding.message for r in result.lint.reported if r.rule.code == "CL009"
        ]
        for name in FORMAT_NAMES:
            render(name, result.lint).encode("utf-8")


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(projects())
def test_project_graphs_never_fail(files):
    _lint(files)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_SHELL_PARTS, max_size=40))
def test_hostile_scripts_never_fail(parts):
    _lint({"run.sh": "#!/bin/sh\n" + " ".join(parts) + "\n"})
