"""Runs over many projects: how many worker processes, and a JSON report written as it is made."""

from __future__ import annotations

import io
import os
import pickle

import pytest
from conftest import FIXTURES, run_cli

from composelint import app
from composelint.engine import lint_project, select_rules
from composelint.report import render, render_parts
from composelint.rules import all_rules


@pytest.mark.parametrize(
    "cpus, others, projects, workers",
    [
        (1, 0, 5_000, 1),
        (2, 0, 100, 1),
        (2, 0, 500, 2),
        (2, 1, 500, 1),
        (2, 4, 5_000, 1),
        (4, 0, 200, 3),
        (4, 1, 5_000, 3),
        (16, 0, 5_000, 8),
    ],
)
def test_workers_follow_the_free_cpus_and_the_work(monkeypatch, cpus, others, projects, workers):
    monkeypatch.setattr(app.os, "sched_getaffinity", lambda _pid: set(range(cpus)), raising=False)
    monkeypatch.setattr(app, "_others_running", lambda: others)
    assert app._workers(projects) == workers


@pytest.mark.parametrize(
    "loadavg, others", [("0.50 0.40 0.30 3/120 999\n", 2), ("0.00 0.00 0.00 1/80 7\n", 0)]
)
def test_other_processes_are_the_kernels_runnable_count_but_this_one(monkeypatch, loadavg, others):
    monkeypatch.setattr(
        "builtins.open", lambda path, **_: io.StringIO(loadavg) if path == "/proc/loadavg" else None
    )
    assert app._others_running() == others


def test_no_count_of_other_processes_counts_none(monkeypatch):
    def missing(path, **_):
        raise FileNotFoundError(path)

    monkeypatch.setattr("builtins.open", missing)
    assert app._others_running() == 0


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


def test_workers_report_what_one_process_reports(monkeypatch):
    """The rule fixtures of every kind (findings with fixes, suppressed ones, masked values, CL009)
    linted by two worker processes: the report is the one process's, byte for byte."""
    chunks: list[int] = []
    in_workers = app._in_workers

    def spied(job, items, workers, done):
        chunks.append(len(items))
        return in_workers(job, items, workers, done)

    monkeypatch.setattr(app, "_in_workers", spied)
    args = ("check", "--select", "ALL", "--output-format", "json", "--exit-zero", str(FIXTURES / "rules"))
    alone = run_cli(*args, "-j", "1").stdout
    assert not chunks
    assert run_cli(*args, "-j", "2").stdout == alone
    assert chunks and chunks[0] > app.PARALLEL_FROM


def test_this_process_lints_the_last_chunks_and_a_worker_the_first(monkeypatch):
    """With `-j 2` one worker is forked: it starts with the first chunk while this process takes
    chunks from the end, so each lints a part and only the worker's part is pickled."""
    here: list[str] = []  # the first project of each chunk this process linted
    sent: list[int] = []
    lint_chunk, in_workers = app._lint_chunk, app._in_workers

    def spied_chunk(job, items, done=None):
        if app._worker_job is None:  # in this process (a worker appends to its own copy)
            here.append(items[0][0][1][0])
        return lint_chunk(job, items, done)

    def spied_workers(job, items, workers, done):
        sent.append(len(items))
        return in_workers(job, items, workers, done)

    monkeypatch.setattr(app, "_lint_chunk", spied_chunk)
    monkeypatch.setattr(app, "_in_workers", spied_workers)
    run_cli("check", "--exit-zero", "-j", "2", str(FIXTURES / "rules"))
    chunk = max(1, sent[0] // (2 * app.CHUNKS_PER_WORKER))
    chunks = -(-sent[0] // chunk)
    assert 0 < len(here) < chunks  # the first chunk is the worker's
    assert here == sorted(here, reverse=True)  # from the end


def test_a_worker_that_dies_fails_the_run_instead_of_hanging_it(monkeypatch):
    """A worker killed (for memory, say) while it lints: the command line says so and exits 2."""
    lint_chunk = app._lint_chunk

    def dying(job, items, done=None):
        if app._worker_job is not None:  # in a worker process
            os._exit(9)
        return lint_chunk(job, items, done)

    monkeypatch.setattr(app, "_lint_chunk", dying)
    result = run_cli("check", "-j", "2", "--exit-zero", str(FIXTURES / "rules"))
    assert result.exit_code == 2 and "BrokenProcessPool" in result.stderr


def test_a_worker_sends_tuples_that_give_back_the_same_records():
    """What a worker sends of a linted project (its files, its findings with fixes and related
    locations) pickles without the records' classes or the rules, and gives back equal records."""
    (project,) = app.load_projects(app.Request(paths=(str(FIXTURES / "rules" / "CL206" / "positive.yaml"),)))
    reported = lint_project(project, select_rules(["ALL"], [], []))
    assert any(item.finding.fix for item in reported) and any(item.finding.related for item in reported)
    part = (project.sources, reported, "compose")
    sent = pickle.dumps(app._compact(part))
    assert b"Finding" not in sent and b"Reported" not in sent and b"SourceFile" not in sent
    assert b"composelint.rules" not in sent
    assert app._restored(pickle.loads(sent), all_rules()) == part
