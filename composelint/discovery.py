"""Which files to lint, and which of them form one project (reference/SEMANTICS.md 5.1).

In a directory, the project is Compose's base file (compose.yaml,
compose.yml, docker-compose.yml, docker-compose.yaml: the first that exists)
plus the first existing override file, unless the directory's `.env` sets
`COMPOSE_FILE`, which then names the files.  Every other compose-named file
(`*.compose.yaml`, `docker-compose.*.yml`, ...) is a project of its own.  A
file named on the command line is linted with its override sibling.

Shell scripts are `*.sh`, `*.bash`, and files without extension whose
shebang names sh, bash, dash, ash or ksh (directly or through `env`); each
script is a project of its own.
"""

from __future__ import annotations

import fnmatch
import os
import re

BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
COMPOSE_PATTERNS = (
    "*.compose.yaml",
    "*.compose.yml",
    "docker-compose.*.yaml",
    "docker-compose.*.yml",
    "compose.*.yaml",
    "compose.*.yml",
)
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "venv", ".venv"}
SHELL_EXTENSIONS = (".sh", ".bash")
_SHEBANG = re.compile(rb"#!\s*\S*?/?(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash|ash|ksh)\b")
COMPOSE, SHELL = "compose", "shell"


class DiscoveryError(OSError):
    """A path that does not exist or cannot be read."""


def is_compose_name(name: str) -> bool:
    return name in BASE_NAMES or any(fnmatch.fnmatchcase(name, pattern) for pattern in COMPOSE_PATTERNS)


def is_shell_script(path: str) -> bool:
    """`*.sh`/`*.bash`, or no extension and a shell shebang."""
    name = os.path.basename(path)
    if name.endswith(SHELL_EXTENSIONS):
        return True
    if "." in name:
        return False
    try:
        with open(path, "rb") as handle:
            return bool(_SHEBANG.match(handle.read(128)))
    except OSError:
        return False


def discover_projects(
    paths: list[str], merge_overrides: bool = True, kind: str | None = None
) -> list[tuple[str, list[str]]]:
    """(kind, files) of each project to lint, in a stable order.  Named files are always linted;
    `kind` forces the kind of named files."""
    projects: list[tuple[str, list[str]]] = []
    for path in paths:
        if os.path.isdir(path):
            for directory, names in _walk(path):
                projects.extend(
                    (COMPOSE, files) for files in _directory_projects(directory, names, merge_overrides)
                )
                projects.extend(
                    (SHELL, [os.path.join(directory, n)])
                    for n in names
                    if not is_compose_name(n) and is_shell_script(os.path.join(directory, n))
                )
        elif os.path.isfile(path):
            file_kind = kind or (SHELL if is_shell_script(path) else COMPOSE)
            projects.append(
                (file_kind, _named_file_project(path) if file_kind == COMPOSE and merge_overrides else [path])
            )
        elif os.path.lexists(path):
            raise DiscoveryError(f"{path}: not a regular file or directory")
        else:
            raise DiscoveryError(f"{path}: no such file or directory")
    unique: dict[tuple, tuple[str, list[str]]] = {}
    for file_kind, files in projects:
        normalized = [os.path.normpath(f) for f in files]
        unique.setdefault((file_kind, *normalized), (file_kind, normalized))
    return sorted(unique.values(), key=lambda project: project[1])


def _named_file_project(path: str) -> list[str]:
    """A named base file comes with its override; a named override with its base."""
    name, directory = os.path.basename(path), os.path.dirname(path)
    if name in BASE_NAMES:
        override = _override_of(path)
        return [path, override] if override else [path]
    if name in OVERRIDE_NAMES:
        base = next(
            (os.path.join(directory, n) for n in BASE_NAMES if os.path.isfile(os.path.join(directory, n))),
            None,
        )
        return [base, path] if base else [path]
    return [path]


def _override_of(path: str) -> str | None:
    directory = os.path.dirname(path)
    return next(
        (os.path.join(directory, n) for n in OVERRIDE_NAMES if os.path.isfile(os.path.join(directory, n))),
        None,
    )


def _walk(directory: str):
    for root, directories, names in os.walk(directory, onerror=_raise):
        directories[:] = sorted(
            d for d in directories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES
        )
        yield root, sorted(names)


def _directory_projects(directory: str, names: list[str], merge_overrides: bool) -> list[list[str]]:
    compose_files = [n for n in names if is_compose_name(n)]
    projects: list[list[str]] = []
    chosen = compose_file_setting(directory) if ".env" in names else None
    if chosen is None:
        base = next((n for n in BASE_NAMES if n in names), None)
        chosen = [base] if base else []
        if base and merge_overrides:
            chosen += [n for n in OVERRIDE_NAMES if n in names][:1]
    if chosen:
        projects.append([os.path.join(directory, n) for n in chosen])
    consumed = {os.path.normpath(os.path.join(directory, n)) for n in chosen}
    projects.extend(
        [os.path.join(directory, n)]
        for n in compose_files
        if os.path.normpath(os.path.join(directory, n)) not in consumed
    )
    return projects


def compose_file_setting(directory: str) -> list[str] | None:
    """`COMPOSE_FILE` from the directory's `.env`, split on `COMPOSE_PATH_SEPARATOR` (default `:`)."""
    from composelint.sources.dotenv import DotenvError, parse_dotenv

    try:
        values = parse_dotenv(read_text(os.path.join(directory, ".env")))
    except (DotenvError, DiscoveryError):
        return None  # the project loader reports an unreadable .env (CL006)
    setting = values.get("COMPOSE_FILE")
    if not setting:
        return None
    separator = values.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
    return [part for part in setting.split(separator) if part]


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
