"""Draw a reproducible sample of default findings on the shared corpora, to judge by hand.

How to judge: ../shared/reference/PRECISION.md; the record is docs/precision.md.

    python bench/precision_sample.py                      # print the sample with context
    python bench/precision_sample.py --counts             # findings per rule, no sample
    python bench/precision_sample.py --verdicts FILE      # tally judged findings per rule
    python bench/precision_sample.py --save run.json      # also keep the pooled findings
    python bench/precision_sample.py --load run.json ...  # sample a saved run again (no linting)

composelint runs as a user would: `composelint check --output-format json --exit-zero` with
default rules at the root of each repository folder of corpus/compose and corpus/runconfigs.
The sample has two parts, both drawn with one seed: a uniform draw over all pooled findings
(`--size`, the overall estimate) and a top-up so that every rule with at least `--per-rule`
findings has that many in the sample (the per-rule estimate).  Findings are ranked by a seeded
hash of their key and the lowest ranks drawn, so a run after a rule change keeps every finding
that is still reported in the sample (with its verdict) and only the places of the removed ones
are taken by new findings.  Each finding is keyed
`folder/path:line:column:code`; a verdicts file has one judged finding per line:
`KEY<TAB>worth|noise|wrong<TAB>reason`.

Findings listed in `--artefacts` (bench/corpus_artefacts.tsv) are left out of the pool: each
exists only because the corpus selection left out a file that its repository holds at the
recorded commit (a devcontainer.json's compose file), so no user of that repository gets it.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# The composelint of this checkout, whichever interpreter runs the script: a bare `python` whose
# site-packages hold another checkout's editable install would otherwise lint that one's code.
CHECKOUT_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
CORPORA = ("corpus/compose", "corpus/runconfigs")
VERDICTS = ("worth", "noise", "wrong")
ARTEFACTS = Path(__file__).resolve().parent / "corpus_artefacts.tsv"


def _folders() -> list[Path]:
    return sorted(p for corpus in CORPORA for p in (SHARED / corpus).iterdir() if p.is_dir())


def _check(folder: Path) -> list[dict]:
    command = [sys.executable, "-m", "composelint", "check", "--output-format", "json", "--exit-zero"]
    out = subprocess.run(command, env=CHECKOUT_ENV, cwd=folder, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{folder}: exit {out.returncode}\n{out.stderr[-2000:]}")
    prefix = folder.relative_to(SHARED / "corpus")
    findings = json.loads(out.stdout)["findings"]
    for finding in findings:
        finding["key"] = "{}/{}:{}:{}:{}".format(
            prefix,
            finding["path"],
            finding["range"]["start"]["line"],
            finding["range"]["start"]["column"],
            finding["code"],
        )
        finding["file"] = folder / finding["path"]
    return findings


def pooled_findings() -> list[dict]:
    return sorted((f for folder in _folders() for f in _check(folder)), key=lambda f: f["key"])


def _keys(path: Path) -> set[str]:
    """The first column of a tab-separated file, comment lines aside."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")}


def _rank(seed: int, finding: dict) -> str:
    """A finding's place in the draw: a seeded hash of its key, so the place does not depend on
    which other findings are in the pool."""
    return hashlib.sha256(f"{seed}:{finding['key']}".encode()).hexdigest()


def draw(findings: list[dict], seed: int, size: int, per_rule: int) -> list[tuple[str, dict]]:
    """(part, finding) pairs: `uniform` for the overall draw, `rule` for the per-rule top-up.

    The `size` findings of lowest rank are a uniform sample without replacement, and a finding
    keeps its rank from run to run: when a change removes findings, the next ones by rank take
    their places and every other judged finding stays in the sample with its verdict."""
    ranked = sorted(findings, key=lambda f: _rank(seed, f))
    uniform = ranked[:size]
    chosen = {f["key"] for f in uniform}
    sample = [("uniform", f) for f in uniform]
    by_code: dict[str, list[dict]] = collections.defaultdict(list)
    for finding in ranked:
        by_code[finding["code"]].append(finding)
    for code in sorted(by_code):
        group = by_code[code]
        if len(group) < per_rule:
            continue
        have = sum(1 for f in group if f["key"] in chosen)
        rest = [f for f in group if f["key"] not in chosen]
        for finding in rest[: max(0, per_rule - have)]:
            chosen.add(finding["key"])
            sample.append(("rule", finding))
    return sample


def _context(path: Path, line: int, around: int = 2) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "    (file not readable)"
    start, end = max(1, line - around), min(len(lines), line + around)
    return "\n".join(
        f"  {'>' if n == line else ' '}{n:5} | {lines[n - 1][:160]}" for n in range(start, end + 1)
    )


def _print_sample(sample: list[tuple[str, dict]]) -> None:
    for part, finding in sample:
        print(f"== {finding['key']} [{part}] {finding['severity']}")
        print(f"   {finding['message']}")
        if finding.get("help"):
            print(f"   help: {finding['help']}")
        print(_context(finding["file"], finding["range"]["start"]["line"]))


def _tally(sample: list[tuple[str, dict]], verdicts_path: Path) -> None:
    verdicts = {}
    for line in verdicts_path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, verdict, *_ = line.split("\t")
            verdicts[key] = verdict
    per_rule: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    overall: collections.Counter = collections.Counter()
    for part, finding in sample:
        verdict = verdicts.get(finding["key"], "unjudged")
        per_rule[finding["code"]][verdict] += 1
        if part == "uniform":
            overall[verdict] += 1
    print("| rule | sample | worth acting on | noise | wrong | unjudged |")
    print("|---|---:|---:|---:|---:|---:|")
    for code in sorted(per_rule):
        c = per_rule[code]
        print(
            f"| {code} | {sum(c.values())} | {c['worth']} | {c['noise']} | {c['wrong']} | {c['unjudged']} |"
        )
    total = sum(overall.values())
    print(
        f"\nuniform sample: {total} findings, worth {overall['worth']}, noise {overall['noise']}, "
        f"wrong {overall['wrong']}, unjudged {overall['unjudged']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--size", type=int, default=100, help="uniform draw over all findings")
    parser.add_argument("--per-rule", type=int, default=10, help="minimum per rule that has that many")
    parser.add_argument("--counts", action="store_true", help="print findings per rule and stop")
    parser.add_argument("--verdicts", type=Path, help="tally the judged sample from this file")
    parser.add_argument("--save", type=Path, help="write the pooled findings to this JSON file")
    parser.add_argument("--load", type=Path, help="read pooled findings saved by --save")
    parser.add_argument(
        "--artefacts", type=Path, default=ARTEFACTS, help="keys of corpus artefacts to leave out"
    )
    args = parser.parse_args()
    if args.load:
        findings = json.loads(args.load.read_text(encoding="utf-8"))
        for finding in findings:
            finding["file"] = Path(finding["file"])
    else:
        findings = pooled_findings()
    if args.save:
        args.save.write_text(json.dumps(findings, default=str), encoding="utf-8")
    artefacts = _keys(args.artefacts)
    pooled = len(findings)
    findings = [f for f in findings if f["key"] not in artefacts]
    print(f"{pooled - len(findings)} corpus artefacts left out ({args.artefacts.name})", file=sys.stderr)
    if args.counts:
        for code, count in sorted(collections.Counter(f["code"] for f in findings).items()):
            print(f"{code}\t{count}")
        print(f"total\t{len(findings)}")
        return 0
    sample = draw(findings, args.seed, args.size, args.per_rule)
    if args.verdicts:
        _tally(sample, args.verdicts)
    else:
        _print_sample(sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
