"""Record or compare composelint's JSON output on the shared corpora.

A refactor must not change findings: record the output before, compare after.

    python bench/corpus_snapshot.py record /tmp/before
    python bench/corpus_snapshot.py compare /tmp/before     # exit 1 and a diff summary on any change

Runs: compose corpus with default rules and with `--select ALL`, runconfigs corpus with default
rules. Paths are relative to the corpus folder, so two checkouts compare equal.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# The composelint of this checkout, whichever interpreter runs the script: a bare `python` whose
# site-packages hold another checkout's editable install would otherwise lint that one's code.
CHECKOUT_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
RUNS = {
    "compose-default": ("corpus/compose", []),
    "compose-all": ("corpus/compose", ["--select", "ALL"]),
    "runconfigs-default": ("corpus/runconfigs", []),
}


def _run(corpus: str, extra: list[str]) -> list[str]:
    root = SHARED / corpus
    command = [sys.executable, "-m", "composelint", "check", ".", "--output-format", "json-lines"]
    out = subprocess.run(
        [*command, "--exit-zero", *extra],
        env=CHECKOUT_ENV,
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"{corpus}: exit {out.returncode}\n{out.stderr[-2000:]}")
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in out.stdout.splitlines() if line)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, (corpus, extra) in RUNS.items():
        lines = _run(corpus, extra)
        path = args.directory / f"{name}.jsonl"
        if args.mode == "record":
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{name}: {len(lines)} findings recorded")
            continue
        before = path.read_text(encoding="utf-8").splitlines()
        if before == lines:
            print(f"{name}: identical ({len(lines)} findings)")
            continue
        changed += 1
        diff = list(difflib.unified_diff(before, lines, "before", "after", n=0, lineterm=""))
        print(f"{name}: {len(before)} -> {len(lines)} findings, {len(diff) - 2} changed lines")
        print("\n".join(diff[2:42]))
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
