"""Container-tool invocations found per kind on the runconfigs corpus, next to its grep count.

    python bench/embedded_counts.py [../shared/corpus/runconfigs] [--files]

Every file of the corpus's MANIFEST.tsv of a kind read here is loaded through its front end
(composelint.sources.kinds.load); each docker/podman/nerdctl invocation the shell front end
hands to the docker CLI grammar is counted when it is one the corpus's grep pattern counts
(`run`, `create`, `exec`, `network|service|volume|pod create`).  GitHub Actions job and
service containers (`container:`, `services:`) are counted apart: the grep cannot see them.
For Markdown the grep count of lines inside code fences is shown too (prose mentions `docker
run` often).  `--files` lists the files whose count differs from the grep count (for Markdown,
the count inside fences).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

from composelint.sources.compose.project import LoadOptions
from composelint.sources.docker_cli.reader import classify
from composelint.sources.embedded import snippets as embedded
from composelint.sources.kinds import load
from composelint.sources.shell import script

ROOT = Path(__file__).resolve().parent.parent
KINDS = {  # the corpus's kind -> composelint's
    "shell": "shell",
    "markdown": "markdown",
    "workflow": "github-actions",
    "gitlab-ci": "gitlab-ci",
    "makefile": "makefile",
}
COUNTED = {"run", "create", "exec", "network-create", "service-create", "compose-run"}
# The corpus README's invocation pattern, to count the matching lines inside Markdown code fences.
_ENGINE = r"(?:(?<![\w./-])(?:docker|podman|nerdctl)|/usr/(?:local/)?bin/(?:docker|podman|nerdctl))"
INVOCATION = re.compile(
    _ENGINE + r"(?:\s+--?[A-Za-z][\w-]*(?:=\S+)?)*\s+"
    r"(?:(?:container\s+)?(?:run|create|exec)\b|(?:network|service|volume|pod)\s+create\b)"
)
_FENCE = re.compile(r"^\s*(?:>\s*)*(```|~~~)")


def in_fences(text: str) -> int:
    """Invocation lines between fence lines (a plain toggle, independent of markdown-it)."""
    inside, count = False, 0
    for line in text.splitlines():
        if _FENCE.match(line):
            inside = not inside
        elif inside and INVOCATION.search(line):
            count += 1
    return count


def _counted(invocation) -> bool:
    command = classify(invocation)
    if command.kind in COUNTED:
        return True
    rest = [word.text for word in command.args[:1]]
    return command.word is not None and command.word.text in ("volume", "pod") and rest == ["create"]


def main(corpus: Path, list_files: bool) -> None:
    found: Counter[str] = Counter()
    containers: Counter[str] = Counter()
    current: list[int] = [0, 0]  # invocations, job/service containers of the file being read

    def counting(read):
        def read_invocations(project, invocations):
            for invocation in invocations:
                if invocation.words and invocation.words[0].span.line and _counted(invocation):
                    # the containers of a CI job's `container:`/`services:`, not a command line
                    shown = " ".join(word.text for word in invocation.words[:4])
                    if "network create" in shown and ("github_network" in shown or "gitlab_job" in shown):
                        continue
                    synthetic = "--network github_network" in shown or "--network gitlab_job" in shown
                    current[1 if synthetic else 0] += 1
            read(project, invocations)

        return read_invocations

    embedded.read_invocations = counting(embedded.read_invocations)
    script.read_invocations = counting(script.read_invocations)
    rows = list(csv.DictReader((corpus / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    grep: Counter[str] = Counter()
    fenced: Counter[str] = Counter()
    files: Counter[str] = Counter()
    errors: list[str] = []
    differing: list[str] = []
    options = LoadOptions()
    for row in rows:
        kind = KINDS.get(row["kind"])
        if kind is None:
            continue
        path = corpus / row["path"]
        current[:] = [0, 0]
        try:
            load(kind, [str(path)], options, display=str, texts={})
        except Exception as error:  # a front end must never raise: reported, not hidden
            errors.append(f"{row['path']}: {type(error).__name__}: {error}")
        expected = int(row["invocations"])
        if kind == "markdown":
            expected = in_fences(path.read_text(encoding="utf-8"))
            fenced[kind] += expected
        files[kind] += 1
        grep[kind] += int(row["invocations"])
        found[kind] += current[0]
        containers[kind] += current[1]
        if current[0] != expected:
            differing.append(f"{kind}\t{row['path']}\tgrep {expected}\tfound {current[0]}")
    print("| kind | files | grep lines | grep lines in code fences | invocations found |")
    print("|---|---:|---:|---:|---:|")
    for kind in KINDS.values():
        extra = f" (+{containers[kind]} job/service containers)" if containers[kind] else ""
        print(
            f"| {kind} | {files[kind]} | {grep[kind]} | {fenced[kind] if kind == 'markdown' else ''} | "
            f"{found[kind]}{extra} |"
        )
    print(f"\ntool errors: {len(errors)}")
    for error in errors:
        print("  " + error)
    if list_files:
        print("\n" + "\n".join(differing))


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(
        Path(arguments[0]) if arguments else ROOT.parent / "shared" / "corpus" / "runconfigs",
        "--files" in sys.argv,
    )
