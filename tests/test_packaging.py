"""Repository-level contracts: README rule table and set-up commands, CI script, pre-commit hook."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

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
        "deploy/compose.override.yaml",
        "a/b/docker-compose.prod.yaml",
        "docker-compose-dev.yml",
        "app.compose.yml",
        "common.yml",  # a compose file by content, or one that a project includes or extends
        ".env",
        "deploy/.env",
        "deploy/prod.env",
        "README.md",
        "docs/install.markdown",
        ".github/workflows/ci.yml",
        "action.yaml",
        ".gitlab-ci.yml",
        "Makefile",
        "GNUmakefile",
        "Makefile.in",
        "build/rules.mk",
        "test/integration.bats",
        "deploy/web.service",
        "quadlet/web.container",
        "quadlet/app.pod",
        "quadlet/backend.network",
        ".devcontainer/devcontainer.json",
        ".devcontainer.json",
        "Dockerfile",
        "build/Dockerfile.dev",
        "api.Dockerfile",
        "Containerfile",
    ],
)
def test_hook_files_regex_matches_every_kind(name):
    assert re.search(HOOK["files"], name)


@pytest.mark.parametrize(
    "name",
    [
        "compose.yaml.bak",
        "notes.txt",
        "Dockerfiles/README",
        "main.py",
        "package.json",
        "run.sh",
        "environment",
    ],
)
def test_hook_files_regex_skips_other_files(name):
    """Shell scripts are the composelint-shell hook's; composelint itself skips YAML that is not
    Compose and that no project reads (--changed)."""
    assert not re.search(HOOK["files"], name)


def test_hooks_end_options_before_the_file_names():
    # --force-exclude: excludes and .gitignore also apply to the files pre-commit passes in;
    # `--`: a committed path named `--config=x/compose.yaml` is a file, not an option
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert HOOK["entry"] == "composelint check --force-exclude --changed --"
    assert all(hook["entry"].endswith(" --") for hook in hooks)
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


def test_repository_checks_run_in_ci_and_before_commits():
    """.pre-commit-config.yaml runs the gates of .ci/run (ruff, ruff format, mypy), and is valid."""
    config = ROOT / ".pre-commit-config.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = {
        hook["id"]: hook["entry"]
        for repo in YAML(typ="safe").load(config.read_text())["repos"]
        for hook in repo["hooks"]
    }
    assert set(hooks) == {"ruff", "ruff-format", "mypy"}
    ci = (ROOT / ".ci" / "run").read_text()
    gates = ci.split("pytest")[0]
    assert "ruff check" in gates and "ruff format --check" in gates and "&& mypy" in gates
    for entry in hooks.values():
        assert entry.split()[0] in gates
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    assert {re.split(r"[=<>~]", requirement)[0] for requirement in extra} >= {"ruff", "mypy", "pre-commit"}
