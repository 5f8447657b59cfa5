#!/usr/bin/env python3
"""Wall time and peak memory of `composelint check` against the PyPI `compose-lint`.

Picks N compose files from the shared corpus (deterministic: every compose-named
file outside hidden directories, sorted by path, N of them evenly spaced), then
times, best of --runs after one untimed warm-up run, composelint from compiled
bytecode as pip installs it:

* composelint   `composelint check --select ALL --output-format json --exit-zero
                 --no-merge-overrides FILES`
* compose-lint  `compose-lint check --format json --no-merge-overrides --no-env
                 --allow-partial-coverage FILES`
  (the like-for-like pair: each named file without its compose.override.yml sibling;
  both still follow include/extends)
* both tools in their default mode (override siblings merged; compose-lint also
  reads `.env` / `env_file:`), for information

Both tools take many files per invocation, so each runs once over all N files.
Startup is measured separately: each tool on one file.  Wall time and peak RSS
(getrusage(RUSAGE_CHILDREN).ru_maxrss) are taken by a tiny launcher process.  Exits 1 when a tool does not run: exit code
other than 0 (compose-lint: 0/1/2, 2 meaning "some file could not be linted",
which its JSON `errors` list explains), unparsable JSON, or a traceback.

Not a test: run it by hand, see bench/README.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "compose"
# Both tools told to do the same work: every rule, JSON, no override merging (compose-lint: no .env,
# and files it covers only in part are linted).
COMPOSELINT_ARGS = [
    "check",
    "--select",
    "ALL",
    "--output-format",
    "json",
    "--exit-zero",
    "--no-merge-overrides",
]
COMPOSE_LINT_ARGS = [
    "check",
    "--format",
    "json",
    "--no-merge-overrides",
    "--no-env",
    "--allow-partial-coverage",
]
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
COMPOSE_PATTERNS = (
    "*.compose.yaml",
    "*.compose.yml",
    "docker-compose.*.yaml",
    "docker-compose.*.yml",
    "compose.*.yaml",
    "compose.*.yml",
)


def compose_files(corpus: Path) -> list[str]:
    """Compose-named files of the corpus, relative to it, sorted; hidden directories skipped."""
    found = []
    for root, directories, names in os.walk(corpus):
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        for name in names:
            if name in COMPOSE_NAMES or any(fnmatch.fnmatchcase(name, p) for p in COMPOSE_PATTERNS):
                found.append(os.path.relpath(os.path.join(root, name), corpus))
    return sorted(found)


def pick(files: list[str], count: int) -> list[str]:
    if count > len(files):
        sys.exit(f"bench: --files {count} but the corpus has only {len(files)} compose files")
    return [files[i * len(files) // count] for i in range(count)]


def compile_bytecode() -> None:
    """composelint's modules compiled, as `pip install` leaves them: an editable install under
    PYTHONDONTWRITEBYTECODE (this project's machines) compiles every module from source at each
    start, about 45 ms of a one-file run that compose-lint, installed from a wheel, does not pay."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "composelint")], check=True)


def tool(name: str) -> str:
    """The console script installed next to this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"bench: `{name}` is not installed (pip install {name})")
    return found


@dataclass
class Run:
    seconds: float
    max_rss_kib: int
    returncode: int
    stdout: str
    stderr: str


# Runs the tool and reports its wall time, peak RSS and exit status.  A small
# intermediate process is needed: on Linux a child's ru_maxrss keeps the high-water
# mark of the process it was forked from, so a tool forked directly from this
# script would inherit this script's footprint (the parsed JSON reports).
_RUNNER = """
import os, resource, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status = os.waitpid(pid, 0)
seconds = time.perf_counter() - start
with open(result, "w") as handle:
    handle.write(f"{seconds} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_once(argv: list[str], cwd: Path) -> Run:
    with tempfile.TemporaryDirectory() as scratch:
        out, err, result = (Path(scratch, name) for name in ("stdout", "stderr", "result"))
        with out.open("w") as stdout, err.open("w") as stderr:
            subprocess.run(
                [sys.executable, "-S", "-c", _RUNNER, str(result), *argv],
                cwd=cwd,
                stdout=stdout,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                check=True,
            )
        seconds, max_rss, returncode = result.read_text().split()
        return Run(
            float(seconds),
            int(max_rss),
            int(returncode),
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
        )


class ToolFailed(Exception):
    pass


def check_run(label: str, run: Run, ok_codes: tuple[int, ...]) -> dict:
    if run.returncode not in ok_codes or "Traceback" in run.stderr or "internal error" in run.stderr:
        raise ToolFailed(f"{label}: exit {run.returncode}\n{run.stderr[-3000:]}")
    try:
        return json.loads(run.stdout)
    except json.JSONDecodeError as error:
        raise ToolFailed(f"{label}: output is not JSON ({error})\n{run.stderr[-3000:]}") from None


def best_of(label: str, argv: list[str], cwd: Path, runs: int, ok_codes: tuple[int, ...]) -> tuple[Run, dict]:
    check_run(label, run_once(argv, cwd), ok_codes)  # warm-up: page cache, .pyc files
    results = [run_once(argv, cwd) for _ in range(runs)]
    for result in results:
        report = check_run(label, result, ok_codes)
    best = min(results, key=lambda r: r.seconds)
    best.max_rss_kib = max(r.max_rss_kib for r in results)
    return best, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=500, help="number of corpus files (default 500)")
    parser.add_argument(
        "--runs", type=int, default=3, help="timed runs per measurement; the best counts (default 3)"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"default {DEFAULT_CORPUS}")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"bench: corpus not found: {args.corpus}")
    files = pick(compose_files(args.corpus), args.files)
    composelint, compose_lint = tool("composelint"), tool("compose-lint")
    compile_bytecode()
    commands = {
        "composelint": ([composelint, *COMPOSELINT_ARGS], (0,)),
        "compose-lint": ([compose_lint, *COMPOSE_LINT_ARGS], (0, 1, 2)),
        "composelint (default mode)": (
            [composelint, "check", "--select", "ALL", "--output-format", "json", "--exit-zero"],
            (0,),
        ),
        "compose-lint (default mode)": (
            [compose_lint, "check", "--format", "json", "--allow-partial-coverage"],
            (0, 1, 2),
        ),
    }
    print(
        f"corpus {args.corpus}: {args.files} files, best of {args.runs} runs (after 1 warm-up), "
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs",
        flush=True,
    )
    results: dict[str, tuple[Run, Run]] = {}
    try:
        for label, (argv, ok_codes) in commands.items():
            many, report = best_of(label, argv + files, args.corpus, args.runs, ok_codes)
            one, _ = best_of(label, argv + files[:1], args.corpus, max(args.runs, 5), ok_codes)
            results[label] = (many, one)
            checked = report.get("summary", {}).get("files_checked")
            if checked is not None and checked < args.files:  # more: include/extends targets, overrides
                raise ToolFailed(f"{label}: checked {checked} files, fewer than the {args.files} named")
            extra = f"files_checked {checked}, " if checked is not None else ""
            print(
                f"  {label:28} {args.files} files: {many.seconds:7.3f} s  peak RSS {many.max_rss_kib / 1024:6.1f} MiB"
                f"  ({extra}{len(report.get('findings', []))} findings, {len(report.get('errors', []))} errors,"
                f" exit {many.returncode})"
            )
            print(
                f"  {'':28} 1 file:    {one.seconds:7.3f} s  peak RSS {one.max_rss_kib / 1024:6.1f} MiB"
                f"  (startup; per extra file {(many.seconds - one.seconds) / max(args.files - 1, 1) * 1000:.2f} ms)"
            )
    except ToolFailed as failure:
        print(f"bench: a tool failed to run: {failure}", file=sys.stderr)
        return 1
    ours, theirs = results["composelint"], results["compose-lint"]
    print(
        f"ratio composelint / compose-lint: {ours[0].seconds / theirs[0].seconds:.2f} ({args.files} files), "
        f"{ours[1].seconds / theirs[1].seconds:.2f} (1 file)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
