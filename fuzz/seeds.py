"""Seed inputs for fuzz_lint.py from real files: each corpus file becomes one input, a tree of that
file under the name of its kind (a compose file with the `.env` beside it, when there is one).

    python fuzz/seeds.py OUT_DIRECTORY ../shared/corpus [MAX_BYTES]

Files over MAX_BYTES (16 KiB by default, libFuzzer's -max_len in the README's command) are skipped.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from inputs import SEPARATOR, seed

# A file's kind from its name, as discovery decides it, mapped to the harness's name for that kind.
_BY_SUFFIX = {
    ".md": "README.md",
    ".container": "app.container",
    ".network": "app.network",
    ".volume": "app.network",
    ".pod": "app.container",
    ".kube": "app.container",
    ".service": "app.service",
    ".sh": "run.sh",
    ".bash": "run.sh",
    ".bats": "test.bats",
}


def harness_name(path: Path) -> str | None:
    name = path.name
    if name in ("devcontainer.json", ".devcontainer.json"):
        return ".devcontainer/devcontainer.json"
    if name in (".gitlab-ci.yml", "Makefile") or name.endswith(".mk"):
        return ".gitlab-ci.yml" if name == ".gitlab-ci.yml" else "Makefile"
    if "workflows" in path.parts and path.suffix in (".yml", ".yaml"):
        return ".github/workflows/ci.yml"
    if path.suffix in (".yml", ".yaml") and ("compose" in name or "docker" in str(path.parent)):
        return "compose.yaml"
    if name == "Dockerfile":
        return "Dockerfile"
    return _BY_SUFFIX.get(path.suffix)


def main(out: Path, corpus: Path, limit: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted(corpus.rglob("*")):
        name = harness_name(path) if path.is_file() else None
        if name is None or path.stat().st_size > limit:
            continue
        data = seed(name, path.read_bytes())
        env = path.with_name(".env")
        if name == "compose.yaml" and env.is_file() and env.stat().st_size < limit:
            data += SEPARATOR + seed(".env", env.read_bytes())
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
        written += 1
    print(f"{written} seed inputs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 16384))
