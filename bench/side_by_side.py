#!/usr/bin/env python3
"""composelint and the PyPI `compose-lint`, side by side in one run, plus where composelint's time goes.

    pip install compose-lint            # or in a venv of its own: --compose-lint PATH
    python bench/side_by_side.py        # about 10 minutes on 2 busy CPUs
    python bench/side_by_side.py --quick

Cases (wall time, median of runs alternated between the tools; peak RSS of composelint):
one small compose file (15 runs), 500 corpus files and the whole compose corpus (`--select ALL`,
JSON, `--no-merge-overrides`, against `compose-lint check --format json --no-merge-overrides
--no-env --allow-partial-coverage`), the runconfigs corpus (composelint only: compose-lint reads
compose files only), generated compose files of 10 to 5,000 services, and generated shell scripts of
1,000 to 100,000 lines (one `docker run` in three lines, all on one network; composelint only).
Then the stage breakdown of composelint on the 500 files, in this process: YAML composing alone
(ruamel's C composer: the floor), reading (composing and our position-keeping tree), schema
validation, interpolation, rules with suppressions, JSON rendering.

Not a test: the numbers depend on the machine and its load (`uptime` is printed before and after).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    COMPOSE_LINT_ARGS,
    COMPOSELINT_ARGS,
    DEFAULT_CORPUS,
    compile_bytecode,
    compose_files,
    pick,
    run_once,
    tool,
)

ROOT = Path(__file__).resolve().parent.parent
RUNCONFIGS = ROOT.parent / "shared" / "corpus" / "runconfigs"


def generated_compose(services: int) -> str:
    """Services with a published port on loopback, environment and one or two of two networks."""
    lines = ["services:"]
    for i in range(services):
        networks = "[front, back]" if i % 2 else "[back]"
        lines += [
            f"  svc{i}:",
            "    image: nginx:1.27",
            f'    ports: ["127.0.0.1:{10000 + i}:80"]',
            f"    networks: {networks}",
            f"    environment: {{A: '{i}'}}",
        ]
    return "\n".join([*lines, "networks:", "  front: {}", "  back: {}", ""])


def generated_script(lines: int) -> str:
    """`docker run` commands sharing a network, one in three lines (a comment, the command, an echo)."""
    out = ["#!/bin/sh", "set -e"]
    i = 0
    while len(out) < lines:
        out += [
            f"# service {i}",
            f"docker run -d --name svc{i} -p {10000 + i % 50000}:80 --network front nginx:1.27",
            f"echo started {i}",
        ]
        i += 1
    return "\n".join(out) + "\n"


def median_runs(commands: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, tuple[float, float]]:
    """(median wall seconds, peak MiB) of each command, runs alternated after one warm-up each."""
    for argv in commands.values():
        run_once(argv, cwd)
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    peak: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(runs):
        for name, argv in commands.items():
            run = run_once(argv, cwd)
            if run.returncode not in (0, 1, 2) or "Traceback" in run.stderr:
                sys.exit(f"bench: {name} failed (exit {run.returncode}): {run.stderr[-2000:]}")
            seconds[name].append(run.seconds)
            peak[name] = max(peak[name], run.max_rss_kib)
    return {name: (statistics.median(seconds[name]), peak[name] / 1024) for name in commands}


def row(label: str, ours: tuple[float, float], theirs: tuple[float, float] | None, note: str = "") -> None:
    ratio = f"{ours[0] / theirs[0]:6.2f}x" if theirs else "      -"
    other = f"{theirs[0]:8.3f}" if theirs else "       -"
    print(f"| {label:<34} | {ours[0]:8.3f} | {other} | {ratio} | {ours[1]:7.0f} | {note}", flush=True)


def side_by_side(
    label: str, files: list[str], cwd: Path, runs: int, composelint: str, compose_lint: str
) -> None:
    measured = median_runs(
        {
            "ours": [composelint, *COMPOSELINT_ARGS, *files],
            "theirs": [compose_lint, *COMPOSE_LINT_ARGS, *files],
        },
        cwd,
        runs,
    )
    row(label, measured["ours"], measured["theirs"])


def stages(files: list[Path]) -> None:
    """Where composelint's time goes on these files, in this process (one run, -j1)."""
    from ruamel.yaml import YAML

    import composelint.cli  # noqa: F401  (the command line's collector setting)
    from composelint import app
    from composelint.config import Overrides
    from composelint.engine import lint_project
    from composelint.report import render
    from composelint.sources.compose import interpolation, project, schema, yaml_tree

    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    started = time.process_time()
    composer = YAML(typ="safe")
    for text in texts:
        try:
            list(composer.compose_all(text))
        except Exception:  # a file ruamel rejects counts for its time only
            continue
    floor = time.process_time() - started
    started = time.process_time()
    for text in texts:
        try:
            yaml_tree._composed(text, pure=False)
        except Exception:
            continue
    ours = time.process_time() - started
    spent: dict[str, float] = {}

    def timed(name: str, function: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            begun = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - begun

        return wrapper

    project.read_yaml = timed("reading (composing + tree)", yaml_tree.read_yaml)  # type: ignore[attr-defined]
    project.validate = timed("schema validation", schema.validate)  # type: ignore[attr-defined]
    project.interpolate_tree = timed("interpolation", interpolation.interpolate_tree)  # type: ignore[attr-defined]
    app.lint_project = timed("rules and suppressions", lint_project)  # type: ignore[attr-defined]
    begun = time.process_time()
    request = app.Request(
        paths=tuple(str(f) for f in files), overrides=Overrides(select=["ALL"]), jobs=1, merge_overrides=False
    )
    result = app.run(request)
    linted = time.process_time() - begun
    begun = time.process_time()
    render("json", result.lint)
    spent["JSON rendering"] = time.process_time() - begun
    print(f"\nStages on {len(files)} files (-j1, one run, CPU of this process):")
    print(f"  {'YAML composing alone (floor)':<30} {floor:6.3f} s")
    print(f"  {'composing, our YAML 1.2 loader':<30} {ours:6.3f} s  (its resolver keeps each value's tag)")
    for name, seconds in spent.items():
        print(f"  {name:<30} {seconds:6.3f} s")
    print(f"  {'whole run (app.run)':<30} {linted:6.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and sizes")
    parser.add_argument(
        "--compose-lint", help="the compose-lint console script (default: beside this Python)"
    )
    args = parser.parse_args()
    composelint = tool("composelint")
    # Absolute: the tools run in the corpus directory.
    compose_lint = os.path.abspath(args.compose_lint) if args.compose_lint else tool("compose-lint")
    compile_bytecode()
    runs = 1 if args.quick else 3
    corpus = compose_files(DEFAULT_CORPUS)
    print(f"load: {os.getloadavg()}, {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
    print("| case | composelint s | compose-lint s | ratio | composelint MiB | note")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        one = pick(corpus, 1)
        measured = median_runs(
            {
                "ours": [composelint, *COMPOSELINT_ARGS, *one],
                "theirs": [compose_lint, *COMPOSE_LINT_ARGS, *one],
            },
            DEFAULT_CORPUS,
            5 if args.quick else 15,
        )
        row("one file", measured["ours"], measured["theirs"], one[0])
        side_by_side("500 files", pick(corpus, 500), DEFAULT_CORPUS, runs, composelint, compose_lint)
        side_by_side(
            f"compose corpus ({len(corpus)} files)", corpus, DEFAULT_CORPUS, runs, composelint, compose_lint
        )
        if RUNCONFIGS.is_dir():
            measured = median_runs(
                {"ours": [composelint, "check", "--exit-zero", "--output-format", "json", "."]},
                RUNCONFIGS,
                runs,
            )
            row("runconfigs corpus (every kind)", measured["ours"], None, "compose-lint: compose files only")
        for services in (10, 100, 1_000) if args.quick else (10, 100, 1_000, 2_000, 5_000):
            path = work / f"services-{services}" / "compose.yaml"
            path.parent.mkdir()
            path.write_text(generated_compose(services), encoding="utf-8")
            side_by_side(
                f"generated compose, {services} services", [str(path)], work, runs, composelint, compose_lint
            )
        empty = work / "empty.sh"
        empty.write_text("#!/bin/sh\n", encoding="utf-8")
        start_up = median_runs({"ours": [composelint, "check", "--exit-zero", str(empty)]}, work, runs)[
            "ours"
        ][0]
        for lines in (1_000, 10_000) if args.quick else (1_000, 10_000, 30_000, 100_000):
            path = work / f"deploy-{lines}.sh"
            path.write_text(generated_script(lines), encoding="utf-8")
            measured = median_runs(
                {"ours": [composelint, "check", "--exit-zero", "-j", "1", str(path)]}, work, runs
            )
            per_kb = (measured["ours"][0] - start_up) * 1000 / (path.stat().st_size / 1024)
            row(
                f"generated script, {lines} lines",
                measured["ours"],
                None,
                f"{per_kb:.2f} ms/KB after start-up ({start_up:.2f} s, an empty script)",
            )
    stages([DEFAULT_CORPUS / f for f in pick(corpus, 500)])
    print(f"\nload: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
