"""`.gitignore` as git applies it, decided without running git: compared with `git check-ignore`
on trees the test builds (the test runs git; the linter never does)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from composelint.gitignore import Repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NAMES = ["a", "b", "c.yml", "d", "x.sh", "compose.yaml"]
PATTERNS = [
    "a",
    "/a",
    "a/",
    "b/",
    "*.yml",
    "!c.yml",
    "!*.yml",
    "d/*",
    "!d/x.sh",
    "**/b",
    "a/**/c.yml",
    "a/**",
    "*.sh",
    "!x.sh",
    "/d/",
    "?.sh",
    "[ab]",
    "!b",
    "# comment",
    "\\#a",
    "compose.*",
    "!compose.yaml",
    "d/**/x.sh",
    "",
]


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch) -> Path:
    """A home of its own, so the machine's git configuration takes no part."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return home


def git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=root, input=input, capture_output=True, check=False).stdout


def git_ignored(root: Path, files: list[str]) -> set[str]:
    out = git(root, "check-ignore", "--stdin", "-z", input=b"\0".join(f.encode() for f in files) + b"\0")
    return {name for name in out.decode().split("\0") if name}


def ours(root: Path, files: list[str]) -> set[str]:
    repository = Repository(str(root))
    return {f for f in files if repository.ignored(str(root / f))}


def random_tree(root: Path, seed: int) -> list[str]:
    chooser = random.Random(seed)
    files = sorted({"/".join(chooser.choice(NAMES) for _ in range(chooser.randint(1, 4))) for _ in range(40)})
    # A name cannot be both a file and a directory.
    files = [f for f in files if not any(other.startswith(f + "/") for other in files)]
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n")
    directories = sorted({str(Path(f).parent) for f in files})
    for directory in chooser.sample(directories, min(4, len(directories))):
        lines = chooser.sample(PATTERNS, chooser.randint(1, 6))
        (root / directory / ".gitignore").write_text("\n".join(lines) + "\n")
    return files


@pytest.mark.parametrize("seed", range(12))
def test_random_trees_agree_with_git(tmp_path: Path, git_home: Path, seed: int):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = random_tree(root, seed)
    assert ours(root, files) == git_ignored(root, files)


def test_info_exclude_global_excludes_and_tracked_files(tmp_path: Path, git_home: Path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = ["tracked.yml", "local.yml", "global.yml", "xdg.yml", "kept.yml", "sub/deep/local.yml"]
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n")
    (root / ".gitignore").write_text("tracked.yml\n")
    (root / ".git" / "info" / "exclude").write_text("local.yml\n")
    (git_home / ".config" / "git").mkdir(parents=True)
    (git_home / ".config" / "git" / "ignore").write_text("xdg.yml\n")
    git(root, "add", "-f", "tracked.yml")
    assert ours(root, files) == git_ignored(root, files) == {"local.yml", "sub/deep/local.yml", "xdg.yml"}
    # core.excludesFile (quoted, with ~) replaces the XDG default.
    (git_home / "ignores").write_text("global.yml\n!kept.yml\n")
    (git_home / ".gitconfig").write_text('[user]\n\tname = x\n[core]\n\texcludesFile = "~/ignores" ; note\n')
    assert ours(root, files) == git_ignored(root, files) == {"local.yml", "sub/deep/local.yml", "global.yml"}


def test_excludes_file_set_through_includes_as_git_reads_them(tmp_path: Path, git_home: Path):
    """`core.excludesFile` set in a file the user's configuration includes: `include.path`
    (relative to the including file, `~/`, nested) and `includeIf "gitdir:..."` (absolute,
    relative, `~/`, `/i`), the last one read winning, as `git check-ignore` decides."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = ["one.yml", "two.yml", "three.yml", "four.yml", "kept.yml"]
    for name in files:
        (root / name).write_text("x\n")
    for number in ("one", "two", "three", "four"):
        (git_home / f"{number}.ignore").write_text(f"{number}.yml\n")
    conf = git_home / "conf"
    conf.mkdir()
    (conf / "one").write_text("[core]\n\texcludesFile = ~/one.ignore\n")
    (conf / "nested").write_text("[include]\n\tpath = one\n")  # relative to conf/
    (conf / "two").write_text("[core]\n\texcludesFile = ~/two.ignore\n")
    (conf / "three").write_text("[core]\n\texcludesFile = ~/three.ignore\n")
    (conf / "four").write_text("[core]\n\texcludesFile = ~/four.ignore\n")
    cases = [
        ("[include]\n\tpath = conf/nested\n", "one.yml"),
        (f'[include]\n\tpath = ~/conf/nested\n[includeIf "gitdir:{root}/"]\n\tpath = conf/two\n', "two.yml"),
        (
            '[includeIf "gitdir:/elsewhere/"]\n\tpath = conf/two\n[include]\n\tpath = conf/three\n',
            "three.yml",
        ),
        ('[includeIf "gitdir:repo/.git"]\n\tpath = conf/four\n', "four.yml"),
        (f'[includeIf "gitdir/i:{str(root).upper()}/"]\n\tpath = conf/two\n', "two.yml"),
        (f'[includeIf "gitdir:{str(root).upper()}/"]\n\tpath = conf/two\n', None),  # case matters
        ('[includeIf "onbranch:main"]\n\tpath = conf/two\n', None),  # not evaluated: not included
    ]
    for config, ignored in cases:
        (git_home / ".gitconfig").write_text(config)
        expected = set() if ignored is None else {ignored}
        if "onbranch" not in config:
            assert git_ignored(root, files) == expected, config
        assert ours(root, files) == expected, config


def test_the_repositorys_own_includes_are_read_only_inside_it(tmp_path: Path, git_home: Path):
    """The linted repository's `.git/config` is hostile: an include inside the tree is read (as
    git reads it), one that points outside is not (git would read it)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = ["inside.yml", "outside.yml"]
    for name in files:
        (root / name).write_text("x\n")
    (root / "ignores").write_text("inside.yml\n")
    (root / ".git" / "inside.conf").write_text("[core]\n\texcludesFile = ignores\n")
    (tmp_path / "outside.conf").write_text("[core]\n\texcludesFile = ignores-outside\n")
    (root / "ignores-outside").write_text("outside.yml\n")
    config = root / ".git" / "config"
    config.write_text(config.read_text() + "[include]\n\tpath = inside.conf\n")
    assert ours(root, files) == git_ignored(root, files) == {"inside.yml"}
    config.write_text(config.read_text() + "[include]\n\tpath = ../../outside.conf\n")
    assert git_ignored(root, files) == {"outside.yml"}
    assert ours(root, files) == {"inside.yml"}


def test_linked_work_tree(tmp_path: Path, git_home: Path):
    """A `.git` file points to the git directory; info/exclude is shared by the work trees."""
    main = tmp_path / "main"
    main.mkdir()
    git(main, "init", "-q")
    (main / "f").write_text("x\n")
    git(main, "add", "f")
    git(main, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "f")
    git(main, "worktree", "add", "-q", str(tmp_path / "linked"))
    linked = tmp_path / "linked"
    (main / ".git" / "info" / "exclude").write_text("*.log\n")
    (linked / "x.log").write_text("x\n")
    assert ours(linked, ["x.log", "f"]) == git_ignored(linked, ["x.log", "f"]) == {"x.log"}


def test_hostile_ignore_files_do_not_break_discovery(tmp_path: Path, git_home: Path):
    """A malformed pattern is skipped; a FIFO `.gitignore` or `core.excludesFile` is not read."""
    root = tmp_path / "repo"
    (root / ".git" / "info").mkdir(parents=True)
    (root / ".gitignore").write_text("\\\n*.yml\n")
    os.mkfifo(root / ".git" / "info" / "exclude")
    os.mkfifo(tmp_path / "fifo")
    (root / ".git" / "config").write_text(f"[core]\n\texcludesFile = {tmp_path / 'fifo'}\n")
    assert ours(root, ["a.yml", "b.sh"]) == {"a.yml"}
