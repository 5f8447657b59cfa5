"""The Python API: the README's example runs as written, and the API lints like the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import composelint
from composelint.app import LintError, Request, run
from composelint.config import Overrides
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### Python API\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    (example,) = re.findall(r"```python\n(.*?)```", SECTION, re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("CL101 error 4 Service `web` uses the host network")


def test_api_finds_what_the_command_line_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fixture = ROOT / "fixtures" / "rules" / "CL101"
    monkeypatch.chdir(fixture)
    expected = [
        json.loads(line)
        for line in run_cli("check", "--output-format", "json-lines", ".").output.splitlines()
    ]
    result = composelint.lint(".")
    assert [
        (i.rule.code, i.finding.span.path, i.finding.span.line, i.fingerprint) for i in result.findings
    ] == [(e["code"], e["path"], e["range"]["start"]["line"], e["fingerprint"]) for e in expected]
    assert {p.files for p in result.projects} >= {(path,) for path in {e["path"] for e in expected}}


def test_unsaved_text_is_linted_instead_of_the_disk(tmp_path: Path):
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx:1.27\n")
    unsaved = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"
    request = Request(
        paths=(),
        compose_files=(str(compose),),
        texts={str(compose): unsaved},
        overrides=Overrides(select=["CL301"]),
        isolated=True,
        relative_paths=False,
    )
    result = run(request)
    assert [item.rule.code for item in result.findings] == ["CL301"]
    assert [(p.kind, p.files, p.read) for p in result.projects] == [
        ("compose", (str(compose),), (str(compose),))
    ]


def test_what_cannot_be_linted_raises_one_line(tmp_path: Path):
    with pytest.raises(LintError, match="no such file or directory"):
        composelint.lint(str(tmp_path / "missing.yaml"))
    with pytest.raises(LintError, match="unknown rule selector `CL9999x`"):
        composelint.lint(str(tmp_path), select=["CL9999x"])
