"""User CPU of linting the runconfigs corpus, per kind, for one or more checkouts.

    python bench/runconfigs_kinds.py                          # this checkout, best of 3
    python bench/runconfigs_kinds.py --runs 5 /tmp/old-checkout .

Each case is `composelint check --isolated -j 1 [--kind KIND] .` in ../shared/corpus/runconfigs,
run with each checkout on PYTHONPATH in turn (alternated, so a change of load hits all of them),
and the best user CPU time of the runs is printed: CPU time, because the machine is shared and
wall time moves with its load.  "compose" finds no compose file there: start-up and the walk.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "runconfigs"
KINDS = ("compose", "", "markdown", "shell", "devcontainer", "github-actions", "makefile", "quadlet")
KINDS += ("gitlab-ci", "systemd", "bats", "dockerfile")


def user_seconds(checkout: str, kind: str) -> float:
    """The child's user CPU time of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run(
        [sys.executable, "-m", "composelint", "check", "--isolated", "-j", "1"]
        + (["--kind", kind] if kind else [])
        + ["."],
        cwd=CORPUS,
        env={**os.environ, "PYTHONPATH": os.path.abspath(checkout)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkouts", nargs="*", default=["."])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()}")
    print(f"{'kind':15} " + "  ".join(f"{c[-12:]:>12}" for c in args.checkouts))
    for kind in KINDS:
        best = dict.fromkeys(args.checkouts, float("inf"))
        for _ in range(args.runs):
            for checkout in args.checkouts:
                best[checkout] = min(best[checkout], user_seconds(checkout, kind))
        print(f"{kind or 'every kind':15} " + "  ".join(f"{best[c]:12.2f}" for c in args.checkouts))
    print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
