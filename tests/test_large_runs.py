"""Runs over many projects: how many worker processes, and a JSON report written as it is made."""

from __future__ import annotations

import pytest
from conftest import run_cli

from composelint import app
from composelint.report import render, render_parts


@pytest.mark.parametrize(
    "cpus, projects, workers",
    [(1, 5_000, 1), (2, 5_000, 1), (4, 10, 1), (4, 100, 3), (4, 5_000, 4), (16, 5_000, 8)],
)
def test_workers_follow_the_cpus_and_the_work(monkeypatch, cpus, projects, workers):
    monkeypatch.setattr(app.os, "sched_getaffinity", lambda _pid: set(range(cpus)), raising=False)
    assert app._workers(projects) == workers


def test_json_reports_are_written_in_parts_with_the_same_bytes(tmp_path):
    services = "".join(
        f"  s{i}:\n    image: nginx\n    network_mode: host\n    privileged: true\n" for i in range(300)
    )
    (tmp_path / "compose.yaml").write_text(f"services:\n{services}")
    result = app.run(app.Request(paths=(str(tmp_path),))).lint
    for name in ("json", "json-lines"):
        parts = list(render_parts(name, result))
        assert len(parts) > len(result.reported) // 2 and "".join(parts) == render(name, result)
    written = tmp_path / "report.json"
    run_cli(
        "check", "--output-format", "json", "--exit-zero", "-o", str(written), str(tmp_path / "compose.yaml")
    )
    assert (
        written.read_text(encoding="utf-8")
        == run_cli("check", "--output-format", "json", "--exit-zero", str(tmp_path / "compose.yaml")).stdout
    )
