"""scripts/new_rule.py: a rule it starts passes the rule-fixture and documentation-example tests.

The scaffold writes into a copy of the checkout (package, fixtures, the two tests), once into an
existing family module and once into a new one; the copy's own suite then runs on the new codes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

COPIED = ("composelint", "fixtures", "scripts", "pyproject.toml", "tests/conftest.py")
TESTS = ("tests/test_rule_fixtures.py", "tests/test_doc_examples.py")


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


def _copy(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in (*COPIED, *TESTS):
        source, copy = ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy, ignore=ignore)
        else:
            shutil.copy2(source, copy)


def test_a_scaffolded_rule_passes_the_fixture_and_example_tests(tmp_path: Path):
    repo = tmp_path / "repo"
    _copy(repo)
    common = ("--group", "isolation", "--severity", "warning", "--setting", "ipc")
    for code, name, family, value, extra in (
        ("CL798", "ipc-shareable", "isolation", "shareable", ("--lasting-hosts-only",)),
        ("CL799", "ipc-none", "scaffolded", "none", ()),
    ):
        made = _run(
            sys.executable, "scripts/new_rule.py", code, name, "--family", family, *common, *extra,
            "--value", value, "--summary", f"The container sets `ipc: {value}`.",
            "--why", "Other containers may join its IPC namespace.", cwd=repo,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert f"wrote {repo / 'fixtures' / 'rules' / code / 'positive.yaml'}" in made.stdout
    assert '"scaffolded"' in (repo / "composelint" / "rules" / "__init__.py").read_text()

    rules = str(repo / "composelint" / "rules")
    _run(sys.executable, "-m", "ruff", "check", "--fix", "--quiet", rules, cwd=repo)
    _run(sys.executable, "-m", "ruff", "format", "--quiet", rules, cwd=repo)
    linted = _run(sys.executable, "-m", "ruff", "check", rules, cwd=repo)
    assert linted.returncode == 0, linted.stdout

    tested = _run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *TESTS,
        "-k",
        "CL798 or CL799",
        cwd=repo,
    )
    assert tested.returncode == 0, tested.stdout[-3000:]
    # Two fixtures and one documented example per rule, and CL798 silent on an ephemeral host.
    assert "7 passed" in tested.stdout


def test_the_scaffold_refuses_an_existing_code(tmp_path: Path):
    made = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "new_rule.py"), "CL101", "again", "--family", "isolation",
         "--group", "network", "--severity", "error", "--setting", "network_mode", "--value", "host",
         "--summary", "s", "--why", "w", "--root", str(ROOT)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 2 and "CL101 exists" in made.stderr
    assert not (ROOT / "composelint" / "rules" / "again.py").exists()
