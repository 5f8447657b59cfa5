"""The input format of fuzz_lint.py: files separated by SEPARATOR, each starting with one byte
that picks its name in NAMES, so that every kind of input is reached and a real file is a seed."""

from __future__ import annotations

SEPARATOR = b"\n#%%composelint-fuzz-file%%\n"
NAMES = (
    "compose.yaml",
    ".env",
    ".composelint.yaml",
    "run.sh",
    "other.yaml",
    "README.md",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "Makefile",
    ".devcontainer/devcontainer.json",
    "app.container",
    "app.network",
    "app.service",
    "test.bats",
    "compose.override.yaml",
    "Dockerfile",
)


def tree(data: bytes) -> dict[str, bytes]:
    """The files an input stands for (a later file of the same name replaces an earlier one)."""
    return {NAMES[part[0] % len(NAMES)]: part[1:] for part in data.split(SEPARATOR) if part}


def seed(name: str, content: bytes) -> bytes:
    """The input of one file named `name` (one of NAMES)."""
    return bytes([NAMES.index(name)]) + content
