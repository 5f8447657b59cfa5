"""Which files to lint: compose files by name inside directories, any file named explicitly."""

from __future__ import annotations

import fnmatch
import os

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
COMPOSE_PATTERNS = ("*.compose.yaml", "*.compose.yml", "docker-compose.*.yaml", "docker-compose.*.yml",
                    "compose.*.yaml", "compose.*.yml")
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "venv", ".venv"}


class DiscoveryError(OSError):
    """A path that does not exist or cannot be read."""


def is_compose_name(name: str) -> bool:
    return name in COMPOSE_NAMES or any(fnmatch.fnmatchcase(name, pattern) for pattern in COMPOSE_PATTERNS)


def discover(paths: list[str]) -> list[str]:
    """Files to lint, sorted and without duplicates.  Named files are always linted."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_walk(path))
        elif os.path.isfile(path):
            found.append(path)
        elif os.path.lexists(path):
            raise DiscoveryError(f"{path}: not a regular file or directory")
        else:
            raise DiscoveryError(f"{path}: no such file or directory")
    return sorted(dict.fromkeys(os.path.normpath(p) for p in found))


def _walk(directory: str) -> list[str]:
    files = []
    for root, directories, names in os.walk(directory, onerror=_raise):
        directories[:] = sorted(d for d in directories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
        files.extend(os.path.join(root, name) for name in sorted(names) if is_compose_name(name))
    return files


def _raise(error: OSError) -> None:
    raise DiscoveryError(f"{error.filename}: {error.strerror}")


def read_text(path: str) -> str:
    """The file decoded as UTF-8 (a BOM is dropped); line endings are kept."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise DiscoveryError(f"{path}: {error.strerror}") from None
    return decode(path, data)


def decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DiscoveryError(f"{path}: not UTF-8 text (byte {error.start})") from None
