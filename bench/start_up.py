#!/usr/bin/env python3
"""Where a one-file run's start-up goes, in instructions counted by valgrind (callgrind).

    python bench/start_up.py --compose-lint .venv-peer/bin/compose-lint

Each step imports a little more than the one before, in a fresh interpreter, and the difference is
what that step costs; then the whole one-file run of each tool.  Instruction counts do not move with
the load of a shared machine, unlike seconds, so two versions compare within a percent.  Needs
valgrind (`apt-get install valgrind`); about two minutes.  composelint runs from compiled bytecode, as
pip installs it (bench.compile_bytecode).  The numbers are those of the install whose Python runs
the script: run it with the Python of a regular install (`python -m venv /tmp/regular &&
/tmp/regular/bin/pip install . && /tmp/regular/bin/python bench/start_up.py ...`), what users get
from `pip install`; an editable install (`pip install -e .`) adds its finder to every start, about
50 M instructions at the interpreter's start of which about 9 M are not used anyway.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys

import bench

# (label, what the step adds to the imports of the steps before it)
STEPS = [
    ("the interpreter", "pass"),
    ("re, enum, typing", "import re, enum, typing"),
    ("argparse (the command line)", "import argparse"),
    ("the shared types (records)", "import composelint.types"),
    ("the model", "import composelint.model"),
    ("the settings table and values", "import composelint.settings"),
    ("the engine (hashlib)", "import composelint.engine"),
    ("discovery", "import composelint.discovery"),
    ("reports (json, safety)", "import composelint.report, composelint.report.json"),
    (
        "the command line, parsing `check`",
        "import composelint.cli as cli; cli.command_parser('check').parse_args([])",
    ),
    ("configuration", "import composelint.config"),
    ("the compose front end", "import composelint.sources.compose.project"),
    ("the pipeline (app)", "import composelint.app"),
    ("every rule family", "from composelint.rules import all_rules; all_rules()"),
    ("ruamel.yaml", "import ruamel.yaml"),
    ("jsonschema-rs", "import jsonschema_rs"),
    (
        "the Compose schema validator",
        "from composelint.sources.compose import schema; schema._fast_validator()",
    ),
]


def instructions(argv: list[str]) -> float:
    """Millions of instructions the command runs (user space, every thread).  With string hashing
    and addresses randomised, one command's count moved by up to 10 M between runs; with a fixed
    hash seed and no address randomisation (setarch -R) it repeats to 0.1 M."""
    fixed = ["setarch", platform.machine(), "-R"] if shutil.which("setarch") else []
    run = subprocess.run(
        [*fixed, "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=bench.DEFAULT_CORPUS,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if not found:
        sys.exit(f"bench: valgrind gave no count for {argv[:3]}: {run.stderr[-1000:]}")
    return int(found.group(1)) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--compose-lint", help="the compose-lint console script (default: beside this Python)"
    )
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("bench: valgrind is not installed")
    bench.compile_bytecode()
    one = bench.pick(bench.compose_files(bench.DEFAULT_CORPUS), 1)
    print(f"one file: {one[0]}; millions of instructions (callgrind)")
    code, before = "", 0.0
    for label, step in STEPS:
        code = f"{code}; {step}" if code else step
        total = instructions([sys.executable, "-c", code])
        print(f"  {label:<34} {total - before:7.1f}  (total {total:6.1f})")
        before = total
    ours = instructions([bench.tool("composelint"), *bench.COMPOSELINT_ARGS, *one])
    print(f"  {'reading, linting, the report':<34} {ours - before:7.1f}")
    compose_lint = os.path.abspath(args.compose_lint) if args.compose_lint else bench.tool("compose-lint")
    theirs = instructions([compose_lint, *bench.COMPOSE_LINT_ARGS, *one])
    print(f"composelint {ours:.1f}, compose-lint {theirs:.1f}: {ours / theirs:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
