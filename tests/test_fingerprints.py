"""Fingerprints hold when lines are inserted and unrelated services or commands are reordered.

fixtures/fingerprints/original and edited/ hold the same compose file and script: the edited copies
have comments and blank lines inserted, services and unrelated commands in another order, a command
split over lines.  Every finding (service, unnamed and named containers, directives, diagnostics)
must keep its fingerprint, so a baseline written on the original still hides all of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, lint_json, run_cli

CASES = FIXTURES / "fingerprints"


def lint_copy(version: str, directory: Path) -> dict:
    for source in (CASES / version).iterdir():
        shutil.copy(source, directory / source.name)
    return lint_json(".")


def by_fingerprint(report: dict) -> dict[str, tuple[str, str | None]]:
    return {f["fingerprint"]: (f["code"], f["workload"]) for f in report["findings"]}


def test_every_fingerprint_holds_across_inserted_lines_and_reordering(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    original = lint_copy("original", tmp_path)
    edited = lint_copy("edited", tmp_path)
    lines = {f["fingerprint"]: f["range"]["start"]["line"] for f in original["findings"]}
    moved = [f for f in edited["findings"] if lines.get(f["fingerprint"]) != f["range"]["start"]["line"]]
    assert len(moved) == len(edited["findings"])  # the edit moved every finding
    assert len(by_fingerprint(original)) == len(original["findings"]) >= 15  # all distinct
    assert by_fingerprint(edited) == by_fingerprint(original)
    workloads = {workload for _, workload in by_fingerprint(original).values()}
    assert {"httpd #1", "httpd #2", "alpine #1", "proxy", "web", "vpn"} <= workloads
    assert {f["code"] for f in original["findings"]} >= {"CL003", "CL900", "CL901"}


@pytest.mark.parametrize("version", ["original", "edited"])
def test_no_fingerprint_depends_on_a_line_number(version: str, tmp_path: Path, monkeypatch):
    """Findings are re-fingerprinted after every line moves down by three: none may change."""
    monkeypatch.chdir(tmp_path)
    before = by_fingerprint(lint_copy(version, tmp_path))
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        shebang = first.startswith("#!")
        path.write_text(
            (first + "\n" if shebang else "") + "#\n#\n#\n" + (rest if shebang else text), encoding="utf-8"
        )
    assert by_fingerprint(lint_json(".")) == before


def test_baseline_written_before_the_edit_hides_every_finding_after_it(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lint_copy("original", tmp_path)
    result = run_cli("check", "--write-baseline", "baseline.json", ".")
    assert result.exit_code == 0, result.output
    lint_copy("edited", tmp_path)
    result = run_cli("check", "--output-format", "concise", "--baseline", "baseline.json", ".")
    assert (result.exit_code, result.stdout) == (0, "")
