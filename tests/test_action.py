"""The GitHub Action (action.yml): valid for GitHub, and its lint step, run locally with bash as the
runner runs it, annotates, writes the job summary, the SARIF file and the step outputs, and fails
the step as `fail-on` says.

The install step is checked by what it runs (pip install of the action's own directory into a
fresh venv, which `.ci/package` exercises on the built wheel); the lint step runs with that venv
stood in for by this environment's composelint."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, check_github_schema
from ruamel.yaml import YAML

ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step.get("id") or step.get("name"): step for step in ACTION["runs"]["steps"]}
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+)[^:]*::(.*)$")


def test_action_is_valid_for_github():
    check_github_schema(ROOT / "action.yml", "vendor.github-actions")


def test_action_installs_composelint_from_its_own_ref():
    assert ACTION["runs"]["using"] == "composite"
    install = STEPS["Install composelint from the action's ref"]["run"]
    assert '-m venv "$RUNNER_TEMP/composelint"' in install
    assert 'pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"' in install
    assert set(ACTION["inputs"]) >= {"paths", "fail-on", "select", "format", "sarif"}


def run_lint(tmp_path: Path, workspace: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict, str]:
    """The `lint` step as the runner runs it: `bash -e {0}` with its env, inputs substituted."""
    runner_temp = tmp_path / "runner"
    bin_dir = runner_temp / "composelint" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    (bin_dir / "composelint").symlink_to(shutil.which("composelint") or "composelint")
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    step = STEPS["lint"]
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_ACTION_PATH": str(ROOT)}
    env["GITHUB_OUTPUT"] = str(tmp_path / "output")
    env["GITHUB_STEP_SUMMARY"] = str(tmp_path / "summary.md")
    env["GITHUB_WORKSPACE"] = str(workspace)
    for key, expression in step["env"].items():
        name = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", expression)
        assert name, f"{key}: only inputs reach the script, through the environment"
        env[key] = values[name.group(1)]
    script = tmp_path / "lint.sh"
    script.write_text(step["run"], encoding="utf-8")
    result = subprocess.run(
        ["bash", "-e", str(script)], cwd=workspace, env=env, capture_output=True, text=True, timeout=120
    )
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    summary = tmp_path / "summary.md"
    return result, outputs, summary.read_text(encoding="utf-8") if summary.exists() else ""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "examples", checkout)
    return checkout


def test_findings_annotate_summarise_write_sarif_and_fail_the_step(tmp_path: Path, workspace: Path):
    result, outputs, summary = run_lint(tmp_path, workspace, paths="host-mode\nscripts", sarif="out/c.sarif")
    assert result.returncode == 1, result.stderr
    annotations = [ANNOTATION.match(line) for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(annotations)
    files = {match.group(2) for match in annotations if match}
    assert files == {"host-mode/compose.yaml", "scripts/deploy.sh"}  # relative to the workspace
    assert outputs["exit-code"] == "1" and outputs["sarif"] == "out/c.sarif"
    assert int(outputs["findings"]) == len(annotations)
    assert summary.startswith("### composelint\n\nFound ")
    assert "[CL101 host-network](https://composelint.readthedocs.io/en/latest/rules/host-network/)" in summary
    sarif = json.loads((workspace / "out" / "c.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == len(annotations)


def test_select_and_fail_on_reach_composelint(tmp_path: Path, workspace: Path):
    result, outputs, _ = run_lint(tmp_path, workspace, paths="host-mode", select="CL101", fail_on="never")
    assert result.returncode == 0, result.stderr
    codes = {
        line.split("title=", 1)[1].split(" ", 1)[0]
        for line in result.stdout.splitlines()
        if line.startswith("::")
    }
    assert codes == {"CL101"}
    assert outputs["exit-code"] == "0" and outputs["findings"] == "1" and outputs["sarif"] == ""


def test_clean_paths_pass_with_a_summary(tmp_path: Path, workspace: Path):
    result, outputs, summary = run_lint(tmp_path, workspace, paths="bridge-mode", format="concise")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert outputs == {"exit-code": "0", "findings": "0", "sarif": ""}
    assert "All checks passed" in summary


def test_a_bad_input_is_exit_code_2(tmp_path: Path, workspace: Path):
    result, outputs, _ = run_lint(tmp_path, workspace, select="NOT-A-RULE")
    assert result.returncode == 2 and "NOT-A-RULE" in result.stderr
    assert outputs["exit-code"] == "2"
