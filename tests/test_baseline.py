"""Baselines through the real CLI: record, hide, survive edits, still report new findings."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import ROOT, lint_json, run_cli

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "composelint-report.schema.json").read_text(encoding="utf-8"))

LEGACY = """services:
  vpn:
    image: ghcr.io/acme/vpn:1.4
    network_mode: host
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
"""


def record(tmp_path: Path, text: str = LEGACY) -> tuple[Path, Path]:
    compose = tmp_path / "compose.yaml"
    compose.write_text(text, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    result = run_cli("check", "--write-baseline", str(baseline), str(compose))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # recorded findings are known from now on
    assert f"recorded 2 findings in {baseline}" in result.stderr
    return compose, baseline


def test_written_baseline_lists_fingerprints_with_code_path_and_message(tmp_path: Path):
    compose, baseline = record(tmp_path)
    document = json.loads(baseline.read_text(encoding="utf-8"))
    assert document["version"] == 1
    report = lint_json(str(compose))
    assert document["findings"] == [
        {"fingerprint": f["fingerprint"], "code": f["code"], "path": f["path"], "message": f["message"]}
        for f in report["findings"]
    ]
    assert [entry["code"] for entry in document["findings"]] == ["CL101", "CL202"]


def test_baseline_hides_known_findings_from_text_and_exit_code(tmp_path: Path):
    compose, baseline = record(tmp_path)
    assert run_cli("check", str(compose)).exit_code == 1
    result = run_cli("check", "--output-format", "concise", "--baseline", str(baseline), str(compose))
    assert result.exit_code == 0
    assert result.stdout == ""
    report = lint_json("--baseline", str(baseline), str(compose))
    jsonschema.validate(report, REPORT_SCHEMA)
    assert [f["suppressed"] for f in report["findings"]] == [{"kind": "baseline", "reason": None}] * 2
    assert report["summary"]["findings"] == 0 and report["summary"]["suppressed"] == 2


def test_baseline_survives_line_moves_and_reports_new_findings(tmp_path: Path):
    compose, baseline = record(tmp_path)
    moved = LEGACY.replace(
        "services:\n",
        "# deployed by the ops team\n# see RUNBOOK.md\n\nservices:\n  cache:\n    image: alpine:3.20\n",
        1,
    )
    moved = moved.replace('      - "8080:80"\n', '      - "8080:80"\n      - "9090:9090"\n')
    compose.write_text(moved, encoding="utf-8")
    report = lint_json("--baseline", str(baseline), str(compose))
    lines = {
        (f["code"], f["range"]["start"]["line"], f["suppressed"] and f["suppressed"]["kind"])
        for f in report["findings"]
    }
    assert ("CL101", 9, "baseline") in lines  # was line 4
    assert ("CL202", 13, "baseline") in lines  # was line 8
    active = [(f["code"], f["message"]) for f in report["findings"] if f["suppressed"] is None]
    assert [code for code, _ in active] == ["CL202", "CL213"] and "9090:9090" in active[0][1]
    result = run_cli("check", "--output-format", "concise", "--baseline", str(baseline), str(compose))
    assert result.exit_code == 1
    assert "9090:9090" in result.stdout and "8080:80" not in result.stdout and "CL101" not in result.stdout


def test_fixed_finding_is_gone_and_a_new_one_of_the_same_rule_is_new(tmp_path: Path):
    compose, baseline = record(tmp_path)
    compose.write_text(
        LEGACY.replace("network_mode: host", "network_mode: bridge").replace(
            "  web:", "  admin:\n    image: alpine:3.20\n    network_mode: host\n  web:"
        )
    )
    report = lint_json("--select", "CL101,CL202", "--baseline", str(baseline), str(compose))
    assert [(f["code"], f["workload"], f["suppressed"]) for f in report["findings"]] == [
        ("CL101", "admin", None),
        ("CL202", "web", {"kind": "baseline", "reason": None}),
    ]


def test_rewriting_a_baseline_keeps_known_findings(tmp_path: Path):
    compose, baseline = record(tmp_path)
    again = run_cli("check", "--baseline", str(baseline), "--write-baseline", str(baseline), str(compose))
    assert again.exit_code == 0
    assert len(json.loads(baseline.read_text())["findings"]) == 2


def test_inline_suppressed_findings_are_not_recorded(tmp_path: Path):
    text = LEGACY.replace("network_mode: host", "network_mode: host  # composelint: ignore=CL101 -- VPN")
    compose = tmp_path / "compose.yaml"
    compose.write_text(text)
    baseline = tmp_path / "baseline.json"
    assert run_cli("check", "--write-baseline", str(baseline), str(compose)).exit_code == 0
    assert [e["code"] for e in json.loads(baseline.read_text())["findings"]] == ["CL202"]


def test_bad_baseline_exits_2_with_one_line(tmp_path: Path):
    compose = tmp_path / "compose.yaml"
    compose.write_text(LEGACY)
    missing = run_cli("check", "--baseline", str(tmp_path / "missing.json"), str(compose))
    assert missing.exit_code == 2
    assert (
        missing.stderr
        == f"composelint: error: {tmp_path / 'missing.json'}: cannot read baseline: No such file or directory\n"
    )
    for text in (
        "{not json",
        '{"version": 2, "findings": []}',
        '{"version": 1, "findings": [{"code": "CL101"}]}',
    ):
        (tmp_path / "bad.json").write_text(text)
        result = run_cli("check", "--baseline", str(tmp_path / "bad.json"), str(compose))
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "not a composelint baseline" in result.stderr
    unwritable = run_cli("check", "--write-baseline", str(tmp_path / "no" / "dir.json"), str(compose))
    assert unwritable.exit_code == 2 and "cannot write baseline" in unwritable.stderr


def test_summary_counts_what_the_baseline_hides(tmp_path: Path):
    compose, baseline = record(tmp_path)
    result = run_cli("check", "--output-format", "full", "--baseline", str(baseline), str(compose))
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("2 findings hidden: 2 by the baseline.")
    assert result.stdout.startswith("All checks passed")
