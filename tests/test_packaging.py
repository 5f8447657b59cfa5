"""Repository-level contracts: README rule table and set-up commands, CI script, pre-commit hook."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, run_cli
from ruamel.yaml import YAML

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_table_matches_rule_metadata():
    table = README.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    generated = run_cli("rules", "--output-format", "markdown").stdout
    assert table == generated, (
        "README rule table is stale: paste `composelint rules --output-format markdown`"
    )


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()
    assert any(c.startswith("python3 -m venv .venv") and "composelint check fixtures/" in c for c in commands)


HOOK = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]


@pytest.mark.parametrize(
    "name",
    [
        "compose.yaml",
        "compose.yml",
        "deploy/compose.override.yaml",
        "docker-compose.yml",
        "a/b/docker-compose.prod.yaml",
        "app.compose.yml",
        "docker-compose.yaml",
    ],
)
def test_hook_files_regex_matches_compose_files(name):
    assert re.search(HOOK["files"], name)


@pytest.mark.parametrize(
    "name",
    [
        "composer.yml",
        "values.yaml",
        "compose.yaml.bak",
        "docs/compose.md",
        "my-compose.yaml",
        "compose/values.yml",
    ],
)
def test_hook_files_regex_skips_other_files(name):
    assert not re.search(HOOK["files"], name)


def test_hook_runs_the_installed_console_script():
    # --force-exclude: excludes and .gitignore also apply to the files pre-commit passes in
    assert HOOK["entry"] == "composelint check --force-exclude"
    assert HOOK["language"] == "python" and HOOK["require_serial"] is True


def test_rule_command_formats():
    markdown = run_cli("rule", "CL202", "--output-format", "markdown").stdout
    assert markdown.startswith("# CL202 port-all-interfaces\n")
    assert "## References\n\n- CIS Docker 5.14 [5.13]" in markdown
    import json

    data = json.loads(run_cli("rule", "port-all-interfaces", "--output-format", "json").stdout)
    assert data["code"] == "CL202" and data["references"] == ["CIS Docker 5.14 [5.13]"]


def _shown_commands():
    """`$ composelint ...` examples in README text blocks, with the lines they show."""
    for block in re.findall(r"```text\n(\$ composelint .*?)```", README, re.S):
        command, *shown = block.strip().splitlines()
        yield command[2:].split()[1:], shown


@pytest.mark.parametrize("args, shown", list(_shown_commands()))
def test_readme_command_examples_print_what_they_show(args, shown, monkeypatch):
    monkeypatch.chdir(ROOT)
    output = run_cli(*args).stdout.splitlines()
    assert len(output) == len(shown)
    for line, expected in zip(output, shown, strict=False):
        parts = expected.split(" ... ")  # the README shortens long messages with "..."
        assert line.startswith(parts[0].rstrip(". ")), line
        assert line.endswith(parts[-1]) or len(parts) == 1 or parts[-1].endswith("..."), line


def test_readme_shell_suppression_example(tmp_path):
    [example] = [b for b in re.findall(r"```sh\n(.*?)```", README, re.S) if "composelint: ignore" in b]
    script = tmp_path / "ci.sh"
    script.write_text("#!/bin/sh\n" + example)
    report = json.loads(run_cli("check", "--output-format", "json", str(script)).stdout)
    assert report["summary"]["findings"] == 0
    assert {(f["code"], f["suppressed"]["kind"]) for f in report["findings"]} == {
        ("CL101", "inline"),
        ("CL301", "inline"),
    }
