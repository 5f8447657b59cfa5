"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`).

try-repo needs a git repository; it takes the committed HEAD of a local repository plus its
staged and modified *tracked* files, not new untracked ones.  So that the test exercises this
checkout's working tree as it is (new modules included), the checkout is copied (without
.git, build output and caches) into a throwaway git repository with one commit, and try-repo
runs against that copy.  pre-commit builds the hook's virtualenv with `pip install` of the copy
(dependencies from PyPI): try-repo always uses a throwaway store, so each try-repo run is one
install (a few seconds with a warm pip cache); the runs are module-scoped and shared.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

TIMEOUT = 300  # seconds for one pre-commit run (a cold pip cache downloads the dependencies)


def _shell_front_end_missing() -> str | None:
    """Why this checkout cannot load a shell script yet (the shell front end is being written), or None."""
    try:
        from composelint.sources.shell.script import load_script

        load_script("check.sh", display=str, texts={"check.sh": "#!/bin/sh\ntrue\n"})
    except ImportError as error:
        if (error.name or "").startswith("composelint."):
            return (
                f"the shell front end cannot load a script ({type(error).__name__}: {error}), "
                "so the composelint-shell hook cannot run"
            )
        raise
    return None


# The discarded `ports:` is what the composelint-fix hook removes (a safe fix).
BAD_COMPOSE = (
    "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    ports:\n      - 2222:22\n"
)
GOOD_COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:8080:80"\n'
BAD_SCRIPT = "#!/bin/sh\nset -eu\ndocker run --rm --privileged alpine:3.20 true\n"
GOOD_SCRIPT = "#!/bin/sh\nset -eu\ndocker run --rm alpine:3.20 true\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _skip_without_shell_front_end() -> None:
    missing = _shell_front_end_missing()
    if missing is not None:
        pytest.skip(missing)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _init_repo(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    _git("init", "-q", cwd=path)
    _git("config", "user.name", "composelint tests", cwd=path)
    _git("config", "user.email", "tests@composelint.invalid", cwd=path)
    _git("config", "commit.gpgsign", "false", cwd=path)


def _commit_all(path: Path) -> str:
    _git("add", "-A", cwd=path)
    _git("commit", "-q", "--allow-empty", "-m", "snapshot", cwd=path)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=path, check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout's working tree as a git repository with one commit: (path, sha)."""
    copy = tmp_path_factory.mktemp("hook-repo") / "composelint"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            "__pycache__",
            "*.egg-info",
            ".venv",
            "venv",
            "build",
            "dist",
            ".pytest_cache",
            ".hypothesis",
            ".mypy_cache",
            ".ruff_cache",
        ),
    )
    _init_repo(copy)
    return copy, _commit_all(copy)


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    bin_dir = os.path.dirname(sys.executable)
    environment = {
        k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "COMPOSELINT_OUTPUT_FORMAT")
    }
    return {
        **environment,
        "PRE_COMMIT_HOME": str(home),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def _other_kinds(command: str, privileged: bool) -> dict[str, str]:
    """A file of every other kind the main hook reads, each starting a container the way `command`
    does (`--privileged` or not)."""
    podman_args = "PodmanArgs=--privileged\n" if privileged else ""
    run_args = '"runArgs": ["--privileged"], ' if privileged else ""
    return {
        "deploy/app.service": f"[Unit]\nDescription=app\n\n[Service]\nExecStart=/usr/bin/{command}\n",
        "deploy/quadlet/app.container": f"[Container]\nImage=alpine:3.20\n{podman_args}",
        ".devcontainer/devcontainer.json": f'{{{run_args}"image": "alpine:3.20"}}\n',
        ".github/workflows/ci.yml": f"on: push\njobs:\n  test:\n    runs-on: self-hosted\n    steps:\n      - run: {command}\n",
        "Makefile": f"run:\n\t{command}\n",
    }


def _user_repo(path: Path, compose: str, script: str) -> Path:
    """A repository with a compose file, a script and a file of every other kind, staged (try-repo
    runs on staged files)."""
    _init_repo(path)
    (path / "deploy").mkdir()
    (path / "deploy" / "compose.yaml").write_text(compose)
    (path / "scripts").mkdir()
    (path / "scripts" / "run.sh").write_text(script)
    # Install instructions: the main hook reads Markdown code blocks too.
    (path / "README.md").write_text(f"```sh\n{script.splitlines()[-1]}\n```\n")
    command = script.splitlines()[-1]
    for name, text in _other_kinds(command, "--privileged" in command).items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    # A directory named like an option: after `--` it is a path, it cannot set --config.
    (path / "--config=evil").mkdir()
    (path / "--config=evil" / "compose.yaml").write_text(compose)
    # Not a compose file (by name or content) and not a script: no hook may report on these.
    (path / "composer.yml").write_text("require:\n  php: '>=8.2'\n")
    (path / "notes.txt").write_text("docker run --privileged alpine\n")
    _git("add", "-A", cwd=path)
    return path


def _try_repo(repo: tuple[Path, str], workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`pre-commit try-repo REPO [HOOK] --ref SHA --all-files` in `workdir` (both hooks when the
    shell front end exists, else only `composelint`)."""
    path, sha = repo
    hook = [] if _shell_front_end_missing() is None else ["composelint"]
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(path), *hook, "--ref", sha, "--all-files"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def hook_results(output: str) -> dict[str, tuple[str, str]]:
    """Hook name -> (status, the hook's output) from pre-commit's report."""
    results: dict[str, tuple[str, str]] = {}
    current = None
    for line in output.splitlines():
        match = re.match(
            r"^(?P<name>\S.*?)\.{3,}(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)$", line
        )
        if match:
            current = match["name"]
            results[current] = (match["status"], "")
        elif current is not None:
            status, text = results[current]
            results[current] = (status, text + line + "\n")
    return results


@pytest.fixture(scope="module")
def bad_run(hook_repo, pre_commit_env, tmp_path_factory):
    work = _user_repo(tmp_path_factory.mktemp("bad") / "repo", BAD_COMPOSE, BAD_SCRIPT)
    return _try_repo(hook_repo, work, pre_commit_env)


@pytest.fixture(scope="module")
def good_run(hook_repo, pre_commit_env, tmp_path_factory):
    work = _user_repo(tmp_path_factory.mktemp("good") / "repo", GOOD_COMPOSE, GOOD_SCRIPT)
    return _try_repo(hook_repo, work, pre_commit_env)


def test_compose_hook_fails_with_the_findings(bad_run):
    output = bad_run.stdout + bad_run.stderr
    assert bad_run.returncode == 1, output
    status, text = hook_results(bad_run.stdout)["composelint"]
    assert status == "Failed", output
    assert "- exit code: 1" in text
    assert "deploy/compose.yaml:4:19: CL101" in text
    assert "--config=evil/compose.yaml:4:19: CL101" in text
    assert re.search(r"README\.md:2:\d+: CL301", text), text
    # Every kind the hook's `files:` pattern lets through: systemd, Quadlet, devcontainer, workflow, Makefile.
    for where in (
        r"deploy/app\.service:5:\d+",
        r"deploy/quadlet/app\.container:3:\d+",
        r"\.devcontainer/devcontainer\.json:1:\d+",
        r"\.github/workflows/ci\.yml:6:\d+",
        r"Makefile:2:\d+",
    ):
        assert re.search(where + ": CL301", text), (where, text)
    assert "composer.yml" not in text and "notes.txt" not in text


def test_compose_hook_passes_once_fixed(good_run):
    assert good_run.returncode == 0, good_run.stdout + good_run.stderr
    status, _ = hook_results(good_run.stdout)["composelint"]
    assert status == "Passed"


def test_fix_hook_fixes_and_fails_when_it_changed_files(bad_run):
    status, text = hook_results(bad_run.stdout)["composelint (apply safe fixes)"]
    assert status == "Failed", bad_run.stdout + bad_run.stderr
    assert "- files were modified by this hook" in text
    assert "deploy/compose.yaml:4:19: CL101" in text  # what remains (an unsafe fix) is reported
    assert "CL201" not in text and "CL208" not in text


def test_fix_hook_passes_when_nothing_to_fix(good_run):
    status, _ = hook_results(good_run.stdout)["composelint (apply safe fixes)"]
    assert status == "Passed"


def test_shell_hook_fails_with_the_findings(bad_run):
    _skip_without_shell_front_end()
    status, text = hook_results(bad_run.stdout)["composelint (docker commands in shell scripts)"]
    assert status == "Failed", bad_run.stdout + bad_run.stderr
    assert "- exit code: 1" in text
    assert re.search(r"scripts/run\.sh:3:\d+: CL\d{3}", text), text
    assert "notes.txt" not in text and "compose.yaml" not in text


def test_shell_hook_passes_once_fixed(good_run):
    _skip_without_shell_front_end()
    assert good_run.returncode == 0, good_run.stdout + good_run.stderr
    status, _ = hook_results(good_run.stdout)["composelint (docker commands in shell scripts)"]
    assert status == "Passed"
