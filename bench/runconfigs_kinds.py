"""Linting the runconfigs corpus, per kind, for one or more checkouts; and where the time goes.

    python bench/runconfigs_kinds.py                          # this checkout, best of 3
    python bench/runconfigs_kinds.py --runs 5 /tmp/old-checkout .
    python bench/runconfigs_kinds.py --instructions --kinds compose,all /tmp/old-checkout .
    python bench/runconfigs_kinds.py --stages                 # one process, split by stage

Each case is `composelint check --isolated -j 1 [--kind KIND] DIR` on ../shared/corpus/runconfigs,
run with each checkout on PYTHONPATH in turn (alternated, so a change of load hits all of them),
from compiled bytecode as `pip install` leaves it (bench.compile_bytecode).  Printed: the best user
CPU time of the runs (the machine is shared and wall time moves with its load), or with
`--instructions` the instructions counted by valgrind (start_up.instructions: they do not move
with the load at all, one run each; every kind takes about four minutes), and each case's ratio
to `compose`.  `compose` is compose-only discovery on the same tree, what `composelint check` did
before it read other kinds: it finds no compose file there, so it is start-up and the walk.

`--stages` lints every kind twice in this process and splits the second run's CPU time (the first
also imports what the front ends need): discovery, the shell front end (tree-sitter and the
interpreter, for scripts and embedded snippets), the docker CLI grammar, mapping snippet positions
back to their host files, the rest of reading (the host files' own parsers: markdown-it, YAML,
make, unit files, JSON; cutting snippets out of them), and the rules.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import start_up

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "runconfigs"
KINDS = ("compose", "all", "markdown", "shell", "devcontainer", "github-actions", "makefile", "quadlet")
KINDS += ("gitlab-ci", "systemd", "bats", "dockerfile")


def command(kind: str) -> list[str]:
    chosen = ["--kind", kind] if kind != "all" else []
    return [sys.executable, "-m", "composelint", "check", "--isolated", "-j", "1", *chosen, str(CORPUS)]


def user_seconds(checkout: str, kind: str) -> float:
    """The child's user CPU time of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run(
        command(kind),
        cwd=CORPUS,
        env={**os.environ, "PYTHONPATH": os.path.abspath(checkout)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def instructions(checkout: str, kind: str) -> float:
    """Millions of instructions of one run."""
    os.environ["PYTHONPATH"] = os.path.abspath(checkout)
    return start_up.instructions(command(kind))


def stages() -> None:
    """Every kind linted twice in this process, the second run's CPU time split by stage."""
    import composelint.app as app
    from composelint.sources.docker_cli.reader import CommandLineReader
    from composelint.sources.embedded.snippets import SpanMap
    from composelint.sources.shell.interpreter import Interpreter

    spent: Counter[str] = Counter()

    def timed(owner, name: str, label: str) -> None:
        """`owner.name` adds its CPU time to `spent[label]`, once however deep it calls itself."""
        wrapped = getattr(owner, name)
        running = []

        @functools.wraps(wrapped)
        def timer(*args, **kwargs):
            if running:
                return wrapped(*args, **kwargs)
            running.append(time.process_time())
            try:
                return wrapped(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - running.pop()

        setattr(owner, name, timer)

    labels = {
        "discovery": "discovery (the walk, kinds by name and content)",
        "reading": "reading (every front end)",
        "shell": "  of which the shell front end",
        "grammar": "  of which the docker CLI grammar",
        "remap": "  of which snippet positions -> host file",
        "rules": "rules (and suppressions)",
    }
    timed(app, "_file_sets", labels["discovery"])
    timed(app, "load", labels["reading"])
    timed(Interpreter, "run", labels["shell"])
    timed(CommandLineReader, "read", labels["grammar"])
    timed(SpanMap, "remap", labels["remap"])
    timed(app, "lint_project", labels["rules"])
    os.chdir(CORPUS)
    for _ in range(2):  # the second run: the first also imports what the front ends need
        spent.clear()
        start = time.process_time()
        result = app.run(app.Request(paths=(".",), isolated=True, jobs=1))
        total = time.process_time() - start
    print(f"{len(result.projects)} projects, {len(result.findings)} findings; CPU seconds in one process")
    inner = sum(spent[labels[key]] for key in ("shell", "grammar", "remap"))
    rows = [
        (labels[key], spent[labels[key]]) for key in ("discovery", "reading", "shell", "grammar", "remap")
    ]
    rows.append(("  of which the rest (host parsers, cutting snippets)", spent[labels["reading"]] - inner))
    rows.append((labels["rules"], spent[labels["rules"]]))
    outer = sum(spent[labels[key]] for key in ("discovery", "reading", "rules"))
    rows.append(("the rest (configuration, report)", total - outer))
    rows.append(("total (start-up not included)", total))
    for label, seconds in rows:
        print(f"  {label:50} {seconds:6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkouts", nargs="*", default=["."])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(KINDS), help="cases, comma-separated (all: every kind)")
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind)")
    parser.add_argument("--stages", action="store_true", help="this checkout in this process, by stage")
    args = parser.parse_args()
    for checkout in ["."] if args.stages else args.checkouts:
        subprocess.run([sys.executable, "-m", "compileall", "-q", f"{checkout}/composelint"], check=True)
    if args.stages:
        stages()
        return 0
    measure, unit = (instructions, "M instr") if args.instructions else (user_seconds, "s CPU")
    runs = 1 if args.instructions else args.runs
    print(f"load average {os.getloadavg()}; {unit}, ratio to compose")
    print(f"{'kind':15} " + "  ".join(f"{c[-20:]:>20}" for c in args.checkouts))
    compose: dict[str, float] = {}
    for kind in args.kinds.split(","):
        best = dict.fromkeys(args.checkouts, float("inf"))
        for _ in range(runs):
            for checkout in args.checkouts:
                best[checkout] = min(best[checkout], measure(checkout, kind))
        if kind == "compose":
            compose = best
        shown = [
            f"{best[c]:9.2f} ({best[c] / compose[c]:4.1f}x)" if compose else f"{best[c]:9.2f}        "
            for c in args.checkouts
        ]
        print(f"{kind:15} " + "  ".join(f"{s:>20}" for s in shown))
    print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
