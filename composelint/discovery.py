"""Which files to lint, of which kind, and which of them form one project (docs/semantics.md 5.1).

In a directory, the project is Compose's base file (compose.yaml,
compose.yml, docker-compose.yml, docker-compose.yaml: the first that exists)
plus the first existing override file, unless the directory's `.env` sets
`COMPOSE_FILE`, which then names the files.  Every other compose file is a
project of its own: a name the docker CLI recognises (`docker-compose*.y*ml`,
`compose*.y*ml`, `docker-stack*.y*ml`, `*.compose.y*ml`), or any other YAML
file whose top level is a `services:` mapping with an entry that has `image`,
`build` or `extends` (Compose by content).  A file named on the command line
is linted with its override sibling.

A compose-named file that declares networks and no services starts nothing: it is only merged with
others (runtipi runs `-f apps/<app>/docker-compose.yml -f apps/docker-compose.common.yml`).  Such a
file in a directory above a compose project, inside the walked directory, declares its networks for
that project (`Discovery.base_networks`); it is read once per run and still linted on its own.  A
file named on the command line or in an editor is not given the files above it.

Every other kind is found by name (`KIND_NAMES`, first match wins); shell
scripts also by shebang (sh, bash, dash, ash or ksh, directly or through
`env`).  Each such file is linted on its own, except the kinds of
`DIRECTORY_KINDS`: Quadlet units of one directory are one project, as Quadlet
reads them together (a named unit comes with the others of its directory).

Hidden directories are walked (`.devcontainer`, `.github`, `.gitlab`,
`.devenv`, ...), version-control and cache directories are not
(`SKIPPED_DIRECTORIES`).  Files that look relevant but are not linted (a
`docker-compose.yml.example`, a `services:` file that is not Compose, a zsh
script) are listed in `Discovery.skipped` with the reason.

Projects below a test-data directory of the walk (`TEST_DATA_DIRECTORIES`:
`testdata`, `fixtures`, `test`, `tests`, `e2e`, ...), at any depth (`src/test/...`), are kept apart in `Discovery.test_data`: the
pipeline lints them only when asked (`--include-test-data`) and otherwise
counts them in the run's summary.  A directory named on the command line is
never test data itself, only what lies below it.
"""

from __future__ import annotations

import fnmatch
import os
import re

from composelint.limits import MAX_DIRECTORY_DEPTH
from composelint.patterns import lazy_pattern
from composelint.records import field, record
from composelint.sources.files import RootedFiles, UnreadableFile, read_head, read_text
from composelint.sources.kinds import COMPOSE, SHELL

BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
# The docker CLI's names (`docker compose` and `docker stack deploy` examples), and `*.compose.yaml`.
COMPOSE_PATTERNS = (
    "*.compose.yaml",
    "*.compose.yml",
    "docker-compose*.yaml",
    "docker-compose*.yml",
    "compose*.yaml",
    "compose*.yml",
    "docker-stack*.yaml",
    "docker-stack*.yml",
)
# Version control, dependency and cache directories: never hold a project's own run configuration.
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".jj",
        "_darcs",
        "CVS",
        "node_modules",
        "bower_components",
        "__pycache__",
        "venv",
        ".venv",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".cache",
        ".gradle",
        ".terraform",
        ".direnv",
        ".yarn",
        ".pnpm-store",
        ".npm",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".angular",
        ".parcel-cache",
        ".turbo",
        ".sass-cache",
    }
)
# Test data of the tools that read run configuration (kompose's and Compose's `fixtures`, Go's
# `testdata`, Jest's `__fixtures__`): files invalid or risky on purpose, never deployed.  Test
# directories too (`test`, `tests`, `e2e`, Go's `integration`): on the corpus every file below one
# is a tool's test input (podman-compose, Quadlet, traefik, docker/cli) or a throwaway test harness,
# and 3 of 50 judged findings there were worth acting on, all repeating a mount the project's own
# compose file has (docs/precision.md).
TEST_DATA_DIRECTORIES = frozenset(
    {
        "testdata",
        "test-data",
        "test_data",
        "fixtures",
        "__fixtures__",
        "test",
        "tests",
        "e2e",
        "integration",
        "integration-tests",
        "integration_tests",
    }
)
SHELL_EXTENSIONS = (".sh", ".bash")
YAML_EXTENSIONS = (".yml", ".yaml")
YAML_PATTERNS = ("*.yml", "*.yaml")
_SHEBANG = lazy_pattern(rb"#!\s*\S*?/?(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash|ash|ksh)\b")
_ZSH_SHEBANG = lazy_pattern(rb"#!\s*\S*?/?(?:env\s+(?:-\S+\s+)*)?zsh\b")
# A compose-like name with a suffix after the YAML extension: a template or a copy, not read by Compose.
_COMPOSE_COPY = lazy_pattern(
    r"^(?:docker-compose|compose|docker-stack)[^/]*\.ya?ml\.[^/]+$|^[^/]*\.compose\.ya?ml\.[^/]+$"
)
_TOP_LEVEL_SERVICES = lazy_pattern(rb"^services[ \t]*:", re.MULTILINE)
# An Ansible role's task and handler lists (`roles/docker/tasks/compose.yml`): never a Compose file.
_ANSIBLE_TASKS = lazy_pattern(r"(?:^|/)roles/[^/]+/(?:tasks|handlers)$")
SNIFF_BYTES = 1024 * 1024  # larger YAML files are not read to find out whether they are Compose


@record(frozen=True)
class KindNames:
    """How a kind's files are named: `names` match the file name, `patterns` (fnmatch) too, and
    `in_directories` are (directory, patterns): patterns that match only in a directory whose path
    ends so (with `/`), e.g. `(".github/workflows", ("*.yml", "*.yaml"))`."""

    names: frozenset[str] = frozenset()
    patterns: tuple[str, ...] = ()
    in_directories: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def matches(self, directory: str, name: str) -> bool:
        if name in self.names or any(fnmatch.fnmatchcase(name, p) for p in self.patterns):
            return True
        where = "/" + directory.replace(os.sep, "/").rstrip("/")
        return any(
            where.endswith("/" + suffix) and any(fnmatch.fnmatchcase(name, p) for p in patterns)
            for suffix, patterns in self.in_directories
        )


# Kinds found by name, tried in this order (first match wins) after the compose names; a file that
# none matches is a shell script by extension or shebang, or Compose by content.  Each kind here has
# a loader in composelint.sources.kinds.
KIND_NAMES: dict[str, KindNames] = {
    "github-actions": KindNames(
        names=frozenset({"action.yml", "action.yaml"}),
        in_directories=((".github/workflows", YAML_PATTERNS),),
    ),
    "gitlab-ci": KindNames(
        names=frozenset({".gitlab-ci.yml", ".gitlab-ci.yaml"}),
        patterns=("*.gitlab-ci.yml", "*.gitlab-ci.yaml"),
        in_directories=((".gitlab/ci", YAML_PATTERNS),),
    ),
    "markdown": KindNames(patterns=("*.md", "*.markdown")),
    "makefile": KindNames(
        names=frozenset({"Makefile", "makefile", "GNUmakefile"}), patterns=("*.mk", "Makefile.*")
    ),
    "bats": KindNames(patterns=("*.bats",)),
    "systemd": KindNames(patterns=("*.service",)),
    "quadlet": KindNames(patterns=("*.container", "*.pod", "*.network", "*.volume", "*.kube")),
    "devcontainer": KindNames(names=frozenset({"devcontainer.json", ".devcontainer.json"})),
    "dockerfile": KindNames(
        names=frozenset({"Dockerfile", "Containerfile"}),
        patterns=("Dockerfile.*", "*.Dockerfile", "Containerfile.*", "*.Containerfile"),
    ),
}
# Kinds whose files of one directory are one project (Quadlet reads a directory's units together).
DIRECTORY_KINDS = frozenset({"quadlet"})
KINDS = (COMPOSE, SHELL, *KIND_NAMES)  # every kind, for --kind and the configuration's `kinds`


@record
class Discovery:
    """What a run lints: (kind, files) of each project, the projects found below test-data
    directories (linted only when asked), and the files that looked relevant but were skipped,
    with why."""

    projects: list[tuple[str, list[str]]] = field(default_factory=list)
    test_data: list[tuple[str, list[str]]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    test_data_skipped: list[tuple[str, str]] = field(default_factory=list)  # skipped below test data
    # Directory of compose projects (absolute) -> the network keys that declarations-only compose
    # files of the directories above it, inside the walked directory, declare (`base_networks`).
    base_networks: dict[str, frozenset[str]] = field(default_factory=dict)


def is_compose_name(name: str) -> bool:
    return name in BASE_NAMES or (
        not name.startswith("composer") and any(fnmatch.fnmatchcase(name, p) for p in COMPOSE_PATTERNS)
    )


def is_shell_script(path: str, head: bytes | None = None) -> bool:
    """`*.sh`/`*.bash`, or no extension and a shell shebang.  `head` is the start of the text when
    it is not (yet) on disk (an editor's unsaved document)."""
    name = os.path.basename(path)
    if name.endswith(SHELL_EXTENSIONS):
        return True
    if "." in name:
        return False
    return bool(_SHEBANG.match(_head(path) if head is None else head[:128]))


def _head(path: str) -> bytes:
    return read_head(path, 128)


def kind_by_name(path: str) -> str | None:
    """The kind of a file from its name and directory alone (compose names included)."""
    directory, name = os.path.split(path)
    if is_compose_name(name):
        return COMPOSE
    return next((kind for kind, names in KIND_NAMES.items() if names.matches(directory, name)), None)


def looks_like_compose(data: bytes) -> bool | None:
    """Whether YAML text is a compose file: a top-level `services:` mapping with an entry that has
    `image`, `build` or `extends`.  None: it has a top-level `services:` that is not Compose."""
    if not _TOP_LEVEL_SERVICES.search(data):
        return False
    from composelint.sources.compose.yaml_tree import YMap, read_yaml

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    for root in read_yaml("", text).roots:
        services = root.get("services") if isinstance(root, YMap) else None
        if isinstance(services, YMap) and any(
            isinstance(service, YMap)
            and any(service.get(key) is not None for key in ("image", "build", "extends"))
            for _, service in services.items
        ):
            return True
    return None


def _walked_kind(path: str, name: str, skipped: list[tuple[str, str]]) -> str | None:
    """The kind of a file met in a directory walk, reading it only for shebangs and YAML content."""
    kind = kind_by_name(path)
    if kind == COMPOSE and _ansible_tasks(os.path.dirname(path)):
        skipped.append((path, "an Ansible role's task list: Compose does not read it"))
        return None
    if kind is not None:
        return kind
    if name.endswith(SHELL_EXTENSIONS):
        return SHELL
    if _COMPOSE_COPY.match(name):
        skipped.append(
            (path, "a template or copy of a compose file: Compose does not read it under this name")
        )
        return None
    if name.endswith(YAML_EXTENSIONS):
        return _sniffed_compose(path, skipped)
    if name.endswith(".zsh"):
        skipped.append((path, "zsh script: only sh/bash/dash/ash/ksh are parsed"))
        return None
    if "." not in name:
        head = _head(path)
        if _SHEBANG.match(head):
            return SHELL
        if _ZSH_SHEBANG.match(head):
            skipped.append((path, "zsh script: only sh/bash/dash/ash/ksh are parsed"))
    return None


def _ansible_tasks(directory: str) -> bool:
    return bool(_ANSIBLE_TASKS.search(directory.replace(os.sep, "/")))


def _sniffed_compose(path: str, skipped: list[tuple[str, str]]) -> str | None:
    data = read_head(path, SNIFF_BYTES + 1)
    if len(data) > SNIFF_BYTES:
        if _TOP_LEVEL_SERVICES.search(data):
            skipped.append(
                (path, f"over {SNIFF_BYTES // 1024} KiB: not read to find out whether it is Compose")
            )
        return None
    verdict = looks_like_compose(data)
    if verdict is None:
        skipped.append(
            (path, "top-level `services:` without an image, build or extends: not read as Compose")
        )
    return COMPOSE if verdict else None


def discover(
    paths: list[str],
    merge_overrides: bool = True,
    kind: str | None = None,
    kinds: frozenset[str] | None = None,
) -> Discovery:
    """The projects to lint, in a stable order.  Named files are always linted; `kind` forces the kind
    of named files; `kinds` (None: all) limits what a directory walk lints."""
    found = Discovery()
    declared: dict[str, tuple[str, ...]] = {}  # compose file above a project -> what it declares
    for path in paths:
        if os.path.isdir(path):
            # Walked directory (absolute) -> its compose files that are a project alone (not an
            # override merged with its base, nor one of the files `COMPOSE_FILE` names).
            lone_files: dict[str, list[str]] = {}
            for directory, names in _walk(path, found.skipped):
                test_data = is_test_data(directory, path)
                projects = found.test_data if test_data else found.projects
                skipped = found.test_data_skipped if test_data else found.skipped
                placed: set[str] = set()
                grouped: dict[str, list[str]] = {}
                found_before = len(projects)
                if (not kinds or COMPOSE in kinds) and not _ansible_tasks(directory):
                    here = directory_projects(directory, names, merge_overrides)
                    if alone := [files[0] for files in here if len(files) == 1]:
                        lone_files[os.path.abspath(directory)] = alone
                    for files in here:
                        projects.append((COMPOSE, files))
                        placed.update(os.path.normpath(f) for f in files)
                for name in names:
                    file = os.path.join(directory, name)
                    file_kind = _walked_kind(file, name, skipped)
                    if file_kind is None or (kinds and file_kind not in kinds):
                        continue
                    if file_kind in DIRECTORY_KINDS:
                        grouped.setdefault(file_kind, []).append(file)
                    elif file_kind != COMPOSE or (
                        os.path.normpath(file) not in placed and not is_compose_name(name)
                    ):
                        projects.append((file_kind, [file]))
                if any(found_kind == COMPOSE for found_kind, _ in projects[found_before:]):
                    _add_base_networks(found, directory, path, lone_files, declared)
                projects.extend(grouped.items())
        elif os.path.isfile(path):
            file_kind = kind or _named_kind(path)
            if file_kind in DIRECTORY_KINDS:
                found.projects.append((file_kind, named_file_set(path, file_kind)))
                continue
            found.projects.append(
                (file_kind, _named_file_project(path) if file_kind == COMPOSE and merge_overrides else [path])
            )
        elif os.path.lexists(path):
            raise UnreadableFile(path, "not a regular file or directory")
        else:
            raise UnreadableFile(path, "no such file or directory")
    found.projects = _unique(found.projects)
    linted = {tuple(files) for _, files in found.projects}
    found.test_data = [p for p in _unique(found.test_data) if tuple(p[1]) not in linted]
    found.skipped = _sorted_skipped(found.skipped)
    found.test_data_skipped = _sorted_skipped(found.test_data_skipped)
    return found


def _add_base_networks(
    found: Discovery,
    directory: str,
    top: str,
    lone_files: dict[str, list[str]],
    declared: dict[str, tuple[str, ...]],
) -> None:
    """Record the networks that declarations-only compose files of the directories above
    `directory`, up to the walked `top`, declare for its projects.  Only a file that is a project
    alone counts: an override belongs to its own base.  Each file is read once per run
    (`declared`), only inside `top`."""
    from composelint.sources.compose.declarations import declared_networks

    networks: set[str] = set()
    key = above = os.path.abspath(directory)
    stop = os.path.abspath(top)
    while above != stop and os.path.dirname(above) != above:
        above = os.path.dirname(above)
        for file in lone_files.get(above, ()):
            if file not in declared:
                declared[file] = declared_networks(file, top)
            networks.update(declared[file])
    if networks:
        found.base_networks[key] = found.base_networks.get(key, frozenset()) | networks


def _sorted_skipped(skipped: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(dict.fromkeys((os.path.normpath(p), why) for p, why in skipped))


def is_test_data(directory: str, top: str) -> bool:
    """Whether `directory`, met walking `top`, lies in a test-data directory below `top`."""
    relative = os.path.relpath(directory, top)
    return any(part in TEST_DATA_DIRECTORIES for part in relative.split(os.sep))


def _unique(projects: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Each project once, its paths normalised, sorted by its files."""
    unique: dict[tuple, tuple[str, list[str]]] = {}
    for file_kind, files in projects:
        normalized = [os.path.normpath(f) for f in files]
        if isinstance(files, RootedFiles):
            normalized = RootedFiles(normalized, files.root)
        unique.setdefault((file_kind, *normalized), (file_kind, normalized))
    return sorted(unique.values(), key=lambda project: project[1])


def changed_projects(
    changed: list[str], merge_overrides: bool = True, kinds: frozenset[str] | None = None, root: str = "."
) -> Discovery:
    """What to lint when `changed` are the files a commit changes (pre-commit's file list): each
    file of a kind as its project, and every compose project under `root` that reads a changed
    file: the `.env` of its directory, or a file one of its compose files names (`include`,
    `extends`, `env_file`: the path relative to that compose file appears in it).  A changed file
    of no kind that no project reads is not linted."""
    projects: list[tuple[str, list[str]]] = []
    existing = [path for path in changed if os.path.isfile(path)]
    users = _compose_users(existing, root, merge_overrides) if not kinds or COMPOSE in kinds else {}
    for path in existing:
        kind = _changed_kind(path)
        if kind is not None and (not kinds or kind in kinds):
            projects.extend(discover([path], merge_overrides, kind).projects)
        projects.extend((COMPOSE, files) for files in users.get(path, []))
    return Discovery(projects=_unique(projects))


def _changed_kind(path: str) -> str | None:
    """The kind of a changed file by name, shebang or YAML content; None for any other file."""
    kind = kind_by_name(path)
    if kind is not None:
        return kind
    if is_shell_script(path):
        return SHELL
    if path.endswith(YAML_EXTENSIONS):
        return COMPOSE if looks_like_compose(read_head(path, SNIFF_BYTES)) else None
    return None


def _compose_users(changed: list[str], root: str, merge_overrides: bool) -> dict[str, list[list[str]]]:
    """Changed file -> the compose projects under `root` that read it (other than as their own file)."""
    targets = {path: os.path.abspath(path) for path in changed}
    users: dict[str, list[list[str]]] = {}
    for _, files in discover([root], merge_overrides, kinds=frozenset({COMPOSE})).projects:
        own = {os.path.abspath(f) for f in files}
        directory = os.path.dirname(os.path.abspath(files[0]))
        texts = {f: read_head(f, SNIFF_BYTES).decode("utf-8", "replace") for f in files}
        for path, target in targets.items():
            if target in own:
                continue
            env_here = os.path.basename(target) == ".env" and os.path.dirname(target) == directory
            named = any(
                os.path.relpath(target, os.path.dirname(os.path.abspath(f))).replace(os.sep, "/") in text
                for f, text in texts.items()
            )
            if env_here or named:
                users.setdefault(path, []).append(files)
    return users


def named_file_set(path: str, kind: str) -> list[str]:
    """The files linted with a named file of a kind other than compose: the file itself, or for a
    directory kind the file with the other files of its kind in its directory."""
    if kind not in DIRECTORY_KINDS:
        return [path]
    directory = os.path.dirname(path)
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError:
        return [path]
    siblings = [
        os.path.join(directory, n)
        for n in names
        if kind_by_name(os.path.join(directory, n)) == kind and os.path.isfile(os.path.join(directory, n))
    ]
    return sorted({os.path.normpath(p) for p in [path, *siblings]})


def _named_kind(path: str) -> str:
    """A file named on the command line: its kind by name or shebang, else compose."""
    kind = kind_by_name(path)
    if kind is not None:
        return kind
    return SHELL if is_shell_script(path) else COMPOSE


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


def _walk(top: str, skipped: list[tuple[str, str]]):
    """(directory, file names) top-down, like os.walk without following links, but iterative (a tree
    1,000 directories deep is no recursion error) and bounded in depth; a directory that cannot be
    listed or lies too deep is a skipped entry, not the end of the run."""
    pending = [(top, 0)]
    while pending:
        directory, depth = pending.pop()
        try:
            with os.scandir(directory) as scanned:
                entries = list(scanned)
        except OSError as error:
            skipped.append((directory, f"cannot be listed: {error.strerror or error}"))
            continue
        yield directory, sorted(e.name for e in entries if not _is_directory(e))
        below = sorted(
            e.name
            for e in entries
            if _is_directory(e) and not e.is_symlink() and e.name not in SKIPPED_DIRECTORIES
        )
        if below and depth >= MAX_DIRECTORY_DEPTH:
            skipped.append((directory, f"more than {MAX_DIRECTORY_DEPTH} directories deep: not walked below"))
            continue
        pending.extend((os.path.join(directory, name), depth + 1) for name in reversed(below))


def _is_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def directory_projects(directory: str, names: list[str], merge_overrides: bool) -> list[list[str]]:
    """The compose projects of a directory holding the files `names`: the base file with its
    override (or the files `COMPOSE_FILE` names), then each other compose-named file alone."""
    compose_files = [n for n in names if is_compose_name(n)]
    projects: list[list[str]] = []
    chosen = compose_file_setting(directory) if ".env" in names else None
    if chosen is None:
        base = next((n for n in BASE_NAMES if n in names), None)
        chosen = [base] if base else []
        if base and merge_overrides:
            chosen += [n for n in OVERRIDE_NAMES if n in names][:1]
    if chosen:
        projects.append(RootedFiles([os.path.join(directory, n) for n in chosen], directory))
    consumed = {os.path.normpath(os.path.join(directory, n)) for n in chosen}
    projects.extend(
        [os.path.join(directory, n)]
        for n in compose_files
        if os.path.normpath(os.path.join(directory, n)) not in consumed
    )
    return projects


def compose_file_setting(directory: str) -> list[str] | None:
    """`COMPOSE_FILE` from the directory's `.env`, split on `COMPOSE_PATH_SEPARATOR` (default `:`).
    The files it names are read only inside the directory (the loader refuses others: CL006)."""
    from composelint.sources.compose.dotenv import DotenvError, parse_dotenv

    try:
        values = parse_dotenv(read_text(os.path.join(directory, ".env"), root=directory))
    except (DotenvError, UnreadableFile):
        return None  # the project loader reports an unreadable .env (CL006)
    setting = values.get("COMPOSE_FILE")
    if not setting:
        return None
    separator = values.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
    return [part for part in setting.split(separator) if part]
