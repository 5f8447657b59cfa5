"""Set where composelint is published, once, before the first release: the README's install,
pre-commit and GitHub Action lines, the action's own comment and pyproject.toml's `[project.urls]`.

    python scripts/set_repository_url.py https://github.com/OWNER/composelint
    python scripts/set_repository_url.py --check    # exit 1 while a placeholder is left

Until it is set, the README says `REPOSITORY_URL` (pip, pre-commit: the URL you clone from) and
`OWNER/composelint` (the Action): there is no public address to write there yet, and a made-up one
would be a dead link.  The release workflow runs `--check`, so no release goes out with a
placeholder.  `--root` points at another checkout (the tests use a copy).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
FILES = ("README.md", "action.yml")
PLACEHOLDERS = ("REPOSITORY_URL", "OWNER/composelint")
# Comments that explain a placeholder; they go with it.
EXPLANATIONS = ("      # REPOSITORY_URL: where you clone it from", "    # where you clone composelint from")


def repository_path(url: str) -> str:
    """`owner/name` of an https repository URL; raises ValueError for anything else."""
    parts = urlsplit(url)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.scheme != "https" or not parts.netloc or not re.fullmatch(r"[\w.-]+/[\w.-]+", path):
        raise ValueError(f"expected https://HOST/OWNER/NAME, got {url!r}")
    return path


def set_url(root: Path, url: str) -> list[str]:
    """Write `url` in place of the placeholders; returns the files changed."""
    path = repository_path(url)
    url = url.rstrip("/").removesuffix(".git")
    changed = []
    for name in FILES:
        file = root / name
        text = original = file.read_text(encoding="utf-8")
        for explanation in EXPLANATIONS:
            text = text.replace(explanation, "")
        text = text.replace("REPOSITORY_URL", url).replace("OWNER/composelint", path)
        if text != original:
            file.write_text(text, encoding="utf-8")
            changed.append(name)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    if "[project.urls]" not in text:
        urls = f'\n[project.urls]\nRepository = "{url}"\nChangelog = "{url}/blob/main/CHANGELOG.md"\n'
        text = text.replace(
            "\n[project.optional-dependencies]", urls + "\n[project.optional-dependencies]", 1
        )
        pyproject.write_text(text, encoding="utf-8")
        changed.append("pyproject.toml")
    return changed


def placeholders(root: Path) -> list[str]:
    """`file:line: text` of every placeholder left."""
    return [
        f"{name}:{number}: {line.strip()}"
        for name in FILES
        for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1)
        if any(placeholder in line for placeholder in PLACEHOLDERS)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="https://HOST/OWNER/NAME of the published repository")
    parser.add_argument("--check", action="store_true", help="exit 1 while a placeholder is left")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to change")
    arguments = parser.parse_args(argv)
    if arguments.check:
        left = placeholders(arguments.root)
        for line in left:
            print(f"placeholder left: {line}", file=sys.stderr)
        if left:
            print("set the repository URL: python scripts/set_repository_url.py URL", file=sys.stderr)
        return 1 if left else 0
    if not arguments.url:
        parser.error("give the repository URL, or --check")
    try:
        changed = set_url(arguments.root, arguments.url)
    except ValueError as error:
        parser.error(str(error))
    print("changed: " + (", ".join(changed) or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
