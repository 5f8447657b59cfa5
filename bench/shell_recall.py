#!/usr/bin/env python3
"""Recall of the shell front end against a grep of the runconfigs corpus.

Every line of a corpus shell script that the corpus's own invocation pattern
matches (README of ../shared/corpus/runconfigs: an engine word, `docker`,
`podman`, `nerdctl`, `/usr/bin/docker` or an engine-named variable, then
`run`, `create`, `exec` or `network|service|volume|pod create`) is a grep
line.  A grep line is *extracted* when an invocation the front end found
covers it, and *modelled* when the docker CLI grammar made a container,
exec or network of that invocation.

Grep lines that do not run anything are excluded, each with its reason:
comments, text printed by `echo`/`printf`/logging helpers, here-doc bodies
written to files or printed, and `alias` definitions.  The rest are what
recall is measured on; a miss is listed with its likely cause (engine in a
variable, wrapper, string handed to another program, ...).

`--kinds` adds other kinds of the MANIFEST (systemd, quadlet, and the
embedded shell of Markdown, CI files and Makefiles once their front ends
exist) through `sources.kinds`: a grep line of those counts when the model
has a container, exec or network on it; a kind without a front end is named
and left out.

Not a test: run it by hand (`python bench/shell_recall.py [--list]`).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from composelint.model import Project
from composelint.sources.compose.project import LoadOptions
from composelint.sources.docker_cli.reader import read_invocations
from composelint.sources.kinds import FRONT_ENDS, SET_FRONT_ENDS
from composelint.sources.kinds import load as load_kind
from composelint.sources.shell import Sources, parse_script
from composelint.sources.shell.events import Command
from composelint.sources.shell.positions import normalise
from composelint.sources.shell.syntax_tree import parse_events

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "runconfigs"

_VARIABLE_ENGINE = (
    r"\$[({]?[A-Za-z_]*(?:DOCKER|PODMAN|NERDCTL|CONTAINER_ENGINE|CONTAINER_RUNTIME|CONTAINER_TOOL"
    r"|CONTAINER_CLI|CONTAINER_CMD|OCI_BIN|ENGINE)[A-Za-z0-9_]*[)}]?|\$\{container_manager\}"
)
ENGINE = re.compile(
    r"(?P<engine>(?<![\w./-])(?:docker|podman|nerdctl)|/usr/(?:local/)?bin/(?:docker|podman|nerdctl)"
    rf"|{_VARIABLE_ENGINE})"
    r"(?:\s+--?[A-Za-z][\w-]*(?:=\S+)?)*\s+"
    r"(?P<sub>(?:container\s+)?(?:run|create|exec)\b|(?:network|service|volume|pod)\s+create\b)"
)
_PRINTERS = re.compile(
    r"^\s*(?:echo|printf|cat|info\w*|log\w*|warn\w*|err\w*|die|msg\w*|note|usage|fatal|debug|say|print\w*|success\w*)\b",
    re.IGNORECASE,
)
_CODE_READERS = frozenset({"sh", "bash", "dash", "ash", "ksh", "zsh", "ssh", "$SSH", "eval"})
# The model has no volumes or pods, and keys networks by name (a second `network create "$id"`
# is the same network): these invocations count once extracted.
UNMODELLED = frozenset({"volume create", "pod create", "network create"})
_QUOTE_BEFORE = re.compile(r"""["']""")


def kinds_of(manifest: Path, kinds: set[str]) -> dict[Path, str]:
    """The corpus files of `kinds` (MANIFEST.tsv), each with its kind."""
    with manifest.open(newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {manifest.parent / row["path"]: row["kind"] for row in rows if row["kind"] in kinds}


def heredoc_lines(text: str) -> dict[int, bool]:
    """Line number -> True when the line is in a here-doc body fed to a shell, ssh or
    `docker exec` (code), False for data (a file, a printed message)."""
    src = normalise(text)
    bodies: dict[int, bool] = {}
    for event in parse_events(src).events:
        if not isinstance(event, Command) or not event.heredocs:
            continue
        words = [src[a:b] for a, b in event.words]
        line_text = src[event.start : event.end]
        code = bool(words) and (
            words[0].rsplit("/", 1)[-1] in _CODE_READERS or "exec" in words[:3] or "|" in line_text
        )
        for heredoc in event.heredocs:
            first = src.count("\n", 0, heredoc.body[0]) + 1
            last = src.count("\n", 0, max(heredoc.body[0], heredoc.body[1] - 1)) + 1
            for number in range(first, last + 1):
                bodies[number] = code
    return bodies


def exclusion(line: str, number: int, bodies: dict[int, bool], engine_at: int) -> str:
    """Why a grep line runs nothing, or ''."""
    stripped = line.lstrip()
    if stripped.startswith("#"):
        return "comment"
    if stripped.startswith("alias "):
        return "alias definition"  # the user completes the command (no image yet)
    if bodies.get(number) is False:
        return "here-doc data"
    before = line[:engine_at]
    quoted = before.count('"') % 2 == 1 or before.count("'") % 2 == 1
    substituted = before.rfind("$(") > max(before.rfind('"'), before.rfind("'"))
    if quoted and not substituted and _PRINTERS.match(line):
        return "printed text"
    return ""


def cause(line: str, engine: str, engine_at: int, bodies: dict[int, bool], number: int) -> str:
    """The likely reason an included grep line was missed."""
    before = line[:engine_at]
    if engine.startswith("$"):
        return "engine in a variable"
    if bodies.get(number):
        return "here-doc code"
    if _QUOTE_BEFORE.search(before) and (before.count('"') % 2 or before.count("'") % 2):
        return "string handed to a program"
    words = before.split()
    if words and not before.rstrip().endswith(("&&", "||", ";", "|", "(", "$(", "`", "then", "do", "else")):
        return "wrapper"
    return "other"


def _shown(root: Path):
    return lambda real: os.path.relpath(real, root)


def model_lines(projects: list[Project], relative: str) -> set[int]:
    """Lines of `relative` where the model has a container, an exec or a network."""
    spans = [w.span for p in projects for w in p.workloads] + [e.span for p in projects for e in p.execs]
    spans += [n.span for p in projects for n in p.networks.values() if n.span is not None]
    return {span.line for span in spans if span.path == relative}


def measure_embedded(path: Path, root: Path, kind: str) -> list[dict]:
    """A kind other than shell, through its front end: a grep line counts when the model has
    something on it."""
    relative = str(path.relative_to(root))
    projects = load_kind(kind, [str(path)], LoadOptions(), display=_shown(root), texts={})
    modelled = model_lines(projects, relative)
    rows = []
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    for number, line in enumerate(text.splitlines(), start=1):
        match = ENGINE.search(line)
        if match:
            sub = re.sub(r"\s+", " ", match.group("sub")).removeprefix("container ")
            found = number in modelled
            excluded = "comment" if line.lstrip().startswith("#") and kind != "markdown" else ""
            rows.append(
                {
                    "file": relative,
                    "line": number,
                    "text": line.strip(),
                    "sub": sub,
                    "excluded": excluded,
                    "extracted": found,
                    "modelled": found,
                    "cause": "other",
                }
            )
    return rows


def measure(paths: list[Path], root: Path, kinds: dict[Path, str] | None = None) -> list[dict]:
    rows = []
    for path in paths:
        kind = (kinds or {}).get(path, "shell")
        if kind != "shell":
            rows += measure_embedded(path, root, kind)
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape").removeprefix("\ufeff")
        relative = str(path.relative_to(root))
        # Each corpus repository folder is the project root its scripts source files from.
        repository = root / Path(relative).parts[0]
        script = parse_script(relative, text, sources=Sources(str(path), str(repository), _shown(root)))
        project = Project(name=relative)
        read_invocations(project, script.invocations)
        modelled = model_lines([project], relative)
        lines = text.splitlines()
        bodies = heredoc_lines(text)
        for number, line in enumerate(lines, start=1):
            match = ENGINE.search(line)
            if not match:
                continue
            # An invocation covers the line, or takes words from it (`C="docker run ..."; $C`).
            covering = [
                i
                for i in script.invocations
                if i.span.line <= number <= i.span.end_line
                or any(
                    w.origin is not None and w.origin.path == relative and w.origin.line == number
                    for w in i.words
                )
            ]
            sub = re.sub(r"\s+", " ", match.group("sub")).removeprefix("container ")
            model = (
                any(i.span.line <= m <= i.span.end_line for i in covering for m in modelled)
                if sub in ("run", "create", "service create")
                else bool(covering)
            )
            if sub in UNMODELLED:
                model = bool(covering)
            rows.append(
                {
                    "file": relative,
                    "line": number,
                    "text": line.strip(),
                    "sub": sub,
                    "excluded": exclusion(line, number, bodies, match.start()),
                    "extracted": bool(covering),
                    "modelled": model,
                    "cause": cause(line, match.group("engine"), match.start(), bodies, number),
                }
            )
    return rows


def report(rows: list[dict], show: bool) -> None:
    included = [r for r in rows if not r["excluded"]]
    starts = [r for r in included if r["sub"] in ("run", "create", "service create")]
    print(f"grep lines: {len(rows)}")
    for reason, count in Counter(r["excluded"] for r in rows if r["excluded"]).most_common():
        print(f"  excluded, {reason}: {count}")
    for label, subset in (("all included lines", included), ("lines that start a container", starts)):
        extracted = sum(r["extracted"] for r in subset)
        modelled = sum(r["modelled"] for r in subset)
        total = len(subset) or 1
        print(
            f"{label}: {len(subset)}; extracted {extracted} ({100 * extracted / total:.1f}%), "
            f"modelled {modelled} ({100 * modelled / total:.1f}%)"
        )
    missed = [r for r in included if not r["modelled"]]
    print("misses by cause (not modelled):")
    for reason, count in Counter(
        r["cause"] if not r["extracted"] else "extracted, dropped by the grammar" for r in missed
    ).most_common():
        print(f"  {reason}: {count}")
    if show:
        for r in missed:
            state = "dropped" if r["extracted"] else r["cause"]
            print(f"{r['file']}:{r['line']}\t[{state}]\t{r['text'][:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--kinds", default="shell", help="comma-separated MANIFEST kinds (default: shell)")
    parser.add_argument("--list", action="store_true", help="list every missed line")
    parser.add_argument("--excluded", action="store_true", help="list every excluded line")
    args = parser.parse_args()
    wanted = set(args.kinds.split(","))
    for kind in sorted(wanted - {"shell"} - set(FRONT_ENDS) - set(SET_FRONT_ENDS)):
        print(f"kind {kind}: no front end on this checkout, left out")
        wanted.discard(kind)
    files = kinds_of(args.corpus / "MANIFEST.tsv", wanted)
    rows = measure(list(files), args.corpus, files)
    report(rows, args.list)
    if args.excluded:
        for r in rows:
            if r["excluded"]:
                print(f"{r['file']}:{r['line']}\t[{r['excluded']}]\t{r['text'][:150]}")


if __name__ == "__main__":
    main()
