"""Which files git ignores, decided the way git decides, without running git.

Running `git` in a tree under review runs that tree's configuration
(`core.fsmonitor`, hooks, `core.pager`...), so the linter never starts a
process: it reads the ignore files itself and matches them with `pathspec`.

Sources, from the highest precedence down (gitignore(5)): the `.gitignore`
of the path's directory and of each directory above it up to the repository
root, `$GIT_DIR/info/exclude`, and the global excludes file
(`core.excludesFile` from the system, global and repository git
configuration, else `$XDG_CONFIG_HOME/git/ignore`).  Within a source the
last matching pattern wins; the first source with a match decides.  A path
below an ignored directory is ignored whatever later patterns say, as in
git, and a file in git's index (tracked) is never ignored.  The configuration
files' includes are followed as git follows them (`include.path`, `includeIf
"gitdir:..."`), except `onbranch:` and `hasconfig:` conditions.  The system
and global configuration are the user's own and read wherever they and their
includes are; the repository's own configuration is part of the tree under
review: it, what it includes and the `core.excludesFile` it names are read
only inside the repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from pathspec import GitIgnoreSpec

from composelint.patterns import lazy_pattern
from composelint.sources.files import UnreadableFile, is_inside, read_bytes


class Repository:
    """The ignore rules of one work tree, read once, cached per directory."""

    def __init__(self, root: str):
        self.root = root
        self._gitignores: dict[str, GitIgnoreSpec | None] = {}
        self._directories: dict[str, bool] = {}
        git_dir = _git_dir(root)
        common = _common_dir(git_dir) if git_dir else None
        local_config = os.path.join(common, "config") if common else None
        self._index = os.path.join(git_dir, "index") if git_dir else None
        self._tracked: frozenset[str] | None = None
        self._outer = [
            spec
            for spec in (
                _spec_of(os.path.join(common, "info", "exclude")) if common else None,
                _spec_of(_excludes_file(root, git_dir, local_config)),
            )
            if spec is not None
        ]

    def ignored(self, path: str) -> bool:
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        if relative == "." or relative.startswith("../"):
            return False
        parts = relative.split("/")
        matched = any(self._directory_ignored("/".join(parts[:end])) for end in range(1, len(parts))) or (
            self._decision(relative, is_directory=False)
        )
        return matched and relative not in self.tracked()

    def tracked(self) -> frozenset[str]:
        """The paths in git's index: git never treats a tracked file as ignored."""
        if self._tracked is None:
            self._tracked = _index_paths(self._index) if self._index else frozenset()
        return self._tracked

    def _directory_ignored(self, relative: str) -> bool:
        if relative not in self._directories:
            self._directories[relative] = self._decision(relative, is_directory=True)
        return self._directories[relative]

    def _decision(self, relative: str, is_directory: bool) -> bool:
        """Whether the highest-precedence source that matches `relative` ignores it."""
        parts = relative.split("/")
        for depth in range(len(parts) - 1, -1, -1):
            spec = self._gitignore("/".join(parts[:depth]))
            if spec is not None:
                decided = _check(spec, "/".join(parts[depth:]), is_directory)
                if decided is not None:
                    return decided
        for spec in self._outer:
            decided = _check(spec, relative, is_directory)
            if decided is not None:
                return decided
        return False

    def _gitignore(self, directory: str) -> GitIgnoreSpec | None:
        if directory not in self._gitignores:
            path = os.path.join(self.root, directory, ".gitignore")
            self._gitignores[directory] = _spec_of(path, self.root) if os.path.lexists(path) else None
        return self._gitignores[directory]


def _check(spec: GitIgnoreSpec, relative: str, is_directory: bool) -> bool | None:
    return spec.check_file(relative + "/" if is_directory else relative).include


def _spec_of(path: str | None, root: str | None = None) -> GitIgnoreSpec | None:
    """The patterns of an ignore file; an unreadable file has none, a malformed line is skipped."""
    if path is None:
        return None
    try:
        lines = read_bytes(path, root).decode("utf-8", "replace").splitlines()
    except UnreadableFile:
        return None
    return _spec_of_lines(lines)


def _spec_of_lines(lines: list[str]) -> GitIgnoreSpec:
    try:
        return GitIgnoreSpec.from_lines(lines)
    except ValueError:
        return GitIgnoreSpec.from_lines(line for line in lines if _valid(line))


def _valid(line: str) -> bool:
    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def _git_dir(root: str) -> str | None:
    """The repository's git directory (a linked work tree's `.git` is a file naming it)."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        pointer = read_bytes(dot_git, limit=4096).decode("utf-8", "replace").strip()
    except UnreadableFile:
        return None
    if not pointer.startswith("gitdir:"):
        return None
    return os.path.join(root, pointer.removeprefix("gitdir:").strip())


def _common_dir(git_dir: str) -> str:
    """The directory holding `info/exclude` and `config` (shared by linked work trees)."""
    try:
        common = read_bytes(os.path.join(git_dir, "commondir"), limit=4096).decode("utf-8", "replace")
    except UnreadableFile:
        return git_dir
    return os.path.normpath(os.path.join(git_dir, common.strip()))


_INDEX_LIMIT = 512 * 1024 * 1024
_ENTRY_FIXED = 62  # stat data, mode, ids, size, SHA-1, flags (index-format.txt)


def _index_paths(path: str) -> frozenset[str]:
    """The paths recorded in a git index file (versions 2 to 4); nothing when it cannot be read."""
    try:
        data = read_bytes(path, limit=_INDEX_LIMIT)
    except UnreadableFile:
        return frozenset()
    if len(data) < 12 or data[:4] != b"DIRC":
        return frozenset()
    version, count = int.from_bytes(data[4:8], "big"), int.from_bytes(data[8:12], "big")
    paths, position, previous = [], 12, b""
    try:
        for _ in range(count):
            flags = int.from_bytes(data[position + 60 : position + 62], "big")
            start = position + _ENTRY_FIXED + (2 if version >= 3 and flags & 0x4000 else 0)
            if version == 4:
                strip, start = _varint(data, start)
                end = data.index(b"\0", start)
                name = previous[: len(previous) - strip] + data[start:end]
                position = end + 1
            else:
                end = data.index(b"\0", start)
                name = data[start:end]
                position += (end - position + 8) // 8 * 8
            paths.append(name.decode("utf-8", "replace"))
            previous = name
    except (ValueError, IndexError):
        return frozenset(paths)
    return frozenset(paths)


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """The offset-encoded integer of index version 4 (varint.c)."""
    byte = data[position]
    value = byte & 0x7F
    while byte & 0x80:
        position += 1
        byte = data[position]
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, position + 1


def _excludes_file(root: str, git_dir: str | None, local_config: str | None) -> str | None:
    """`core.excludesFile` (the last configuration that sets it wins), else the XDG default."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    system = (
        []
        if os.environ.get("GIT_CONFIG_NOSYSTEM")
        else [os.environ.get("GIT_CONFIG_SYSTEM", "/etc/gitconfig")]
    )
    global_configs = (
        [os.environ["GIT_CONFIG_GLOBAL"]]
        if os.environ.get("GIT_CONFIG_GLOBAL")
        else [os.path.join(xdg, "git", "config"), os.path.join(home, ".gitconfig")]
    )
    chosen = os.path.join(xdg, "git", "ignore")
    for config in (*system, *global_configs):  # the user's own: their includes are read wherever they are
        value = _core_excludes_file(config, git_dir, None)
        if value:
            chosen = os.path.expanduser(value)
    if local_config is not None:
        # The repository's own configuration is part of the tree under review: it and what it
        # includes are read only inside the tree, and so is the file it names.
        value = _core_excludes_file(local_config, git_dir, root)
        if value:
            local = os.path.join(root, os.path.expanduser(value))
            chosen = local if is_inside(local, root) else chosen
    return chosen


_SECTION = lazy_pattern(r'\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]')
_MAX_INCLUDE_DEPTH = 10  # git's own bound on nested includes


def _core_excludes_file(path: str, git_dir: str | None, confined_to: str | None) -> str | None:
    """The value of `core.excludesFile` in one git configuration file and what it includes."""
    value = None
    for section, subsection, key, text in _config_entries(path, git_dir, confined_to, 0):
        if section == "core" and subsection is None and key == "excludesfile":
            value = text
    return value


def _config_entries(
    path: str, git_dir: str | None, confined_to: str | None, depth: int
) -> Iterator[tuple[str, str | None, str, str]]:
    """(section, subsection, key, value) of a git configuration file in order, lower-case names;
    the files it includes (`include.path`, `includeIf "gitdir:..."`) read where they are included,
    as git reads them (`onbranch:` and `hasconfig:` conditions are not evaluated: not included)."""
    try:
        text = read_bytes(path, confined_to).decode("utf-8", "replace")
    except UnreadableFile:
        return
    section, subsection = None, None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            match = _SECTION.match(line)
            section = match.group(1).lower() if match else None
            subsection = (
                re.sub(r"\\(.)", r"\1", match.group(2)) if match and match.group(2) is not None else None
            )
            line = line[match.end() :].strip() if match else ""
        if section is None or not line or line[0] in "#;":
            continue
        key, equals, rest = line.partition("=")
        key, value = key.strip().lower(), _config_value(rest) if equals else "true"
        included = key == "path" and (
            (section == "include" and subsection is None)
            or (section == "includeif" and subsection is not None and _gitdir_is(subsection, git_dir, path))
        )
        if not included:
            yield section, subsection, key, value
        elif value and depth < _MAX_INCLUDE_DEPTH:
            target = os.path.join(os.path.dirname(path), os.path.expanduser(value))
            yield from _config_entries(target, git_dir, confined_to, depth + 1)


def _gitdir_is(condition: str, git_dir: str | None, config: str) -> bool:
    """Whether an `includeIf` condition `gitdir:PATTERN` (`gitdir/i:` ignoring case) holds for the
    repository, the pattern completed as git completes it (`~/`, `./`, `**/` before a relative
    one, `**` after a trailing `/`) and matched with git's wildcards by pathspec."""
    kind, _, pattern = condition.partition(":")
    if kind not in ("gitdir", "gitdir/i") or git_dir is None or not pattern:
        return False
    if pattern.startswith("~/"):
        pattern = os.path.expanduser(pattern)
    elif pattern.startswith("./"):
        pattern = os.path.join(os.path.dirname(config), pattern[2:])
    if not os.path.isabs(pattern):
        pattern = "**/" + pattern
    if pattern.endswith("/"):
        pattern += "**"
    if kind == "gitdir/i":
        pattern = pattern.lower()
    spec = _spec_of_lines([pattern])
    candidates = {os.path.abspath(git_dir), os.path.realpath(git_dir)}
    return any(spec.match_file((c.lower() if kind == "gitdir/i" else c).lstrip("/")) for c in candidates)


def _config_value(text: str) -> str:
    """A git configuration value: quotes removed, escapes applied, a trailing comment dropped."""
    out, quoted, index = [], False, 0
    text = text.strip()
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(text[index + 1], text[index + 1]))
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char in "#;" and not quoted:
            break
        else:
            out.append(char)
        index += 1
    return "".join(out).strip()
