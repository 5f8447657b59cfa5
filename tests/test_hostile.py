"""Hostile trees (issue 17): the linter starts no process, reads nothing outside the project root,
opens only regular files, and never prints a value that came from a variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from composelint.report.formats import FORMAT_NAMES

SERVICE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
SECRET = "S3CRET-9f8e7d"  # planted in env files; must never reach any output
SHADOW = "root:$6$saltsalt$ROOTHASH:19000:0:99999:7:::\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check(*args: str, input: str | None = None):
    return run_cli("check", "--output-format", "json", "--isolated", *args, input=input)


def findings(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def cli(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess:
    """The real command in a process of its own (what a hang or a started process would show in)."""
    return subprocess.run(
        [sys.executable, "-m", "composelint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ---------------------------------------------------------------- 1. no process, ever


HOSTILE_GIT_CONFIG = """[core]
\tfsmonitor = "touch {marker}-fsmonitor; false"
\tpager = touch {marker}-pager
\thooksPath = hooks
\tsshCommand = touch {marker}-ssh
[diff]
\texternal = touch {marker}-diff
[alias]
\tcheck-ignore = !touch {marker}-alias
"""


def hostile_repository(root: Path, marker: Path) -> Path:
    write(root, {"compose.yaml": SERVICE, ".gitignore": "ignored/\n", "ignored/compose.yaml": SERVICE})
    git = root / ".git"
    for directory in ("hooks", "info", "objects", "refs"):
        (git / directory).mkdir(parents=True, exist_ok=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "config").write_text(HOSTILE_GIT_CONFIG.format(marker=marker))
    for hook in (
        "pre-commit",
        "post-checkout",
        "post-index-change",
        "fsmonitor-watchman",
        "reference-transaction",
    ):
        for directory in (git / "hooks", root / "hooks"):
            directory.mkdir(exist_ok=True)
            (directory / hook).write_text(f"#!/bin/sh\ntouch {marker}-hook-{hook}\n")
            (directory / hook).chmod(0o755)
    return root


def test_hostile_git_configuration_runs_nothing(tmp_path: Path):
    """Row 1: `core.fsmonitor`, `core.pager`, `diff.external` and hooks of the linted tree."""
    marker = tmp_path / "marker"
    root = hostile_repository(tmp_path / "repo", marker)
    done = cli("check", "--output-format", "json", ".", cwd=root)
    assert done.returncode == 1, done.stderr
    assert [
        f["range"]["path"] if "path" in f["range"] else f["path"] for f in json.loads(done.stdout)["findings"]
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("marker")) == []
    assert "ignored/" not in done.stdout  # .gitignore still applies


def test_no_process_is_started(tmp_path: Path, monkeypatch):
    """Every way Python starts a process fails the test if a run (check, model) calls it."""
    root = hostile_repository(tmp_path / "repo", tmp_path / "marker")
    write(root, {"run.sh": "#!/bin/sh\ndocker run --privileged nginx\n", ".env": "TAG=1.27\n"})
    started: list[str] = []

    def refuse(name):
        def started_process(*args, **kwargs):
            started.append(name)
            raise AssertionError(f"{name} called during a run")

        return started_process

    for name in ("Popen", "run", "call", "check_call", "check_output", "getoutput", "getstatusoutput"):
        monkeypatch.setattr(subprocess, name, refuse(f"subprocess.{name}"))
    for name in dir(os):
        if name.startswith(("exec", "spawn", "posix_spawn")) or name in (
            "system",
            "popen",
            "fork",
            "forkpty",
        ):
            monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    monkeypatch.chdir(root)
    for args in (("check", "--output-format", "json", "-j", "1", "."), ("model", ".")):
        result = run_cli(*args)
        assert result.exit_code in (0, 1), result.output
    assert started == []


# ---------------------------------------------------------------- 2. the root boundary


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every project root the tests lint, shaped like /etc/shadow."""
    path = tmp_path / "outside" / "shadow.yaml"
    path.parent.mkdir()
    path.write_text(SHADOW)
    return path


def assert_not_read(result, what: str) -> None:
    """The outside file's content is nowhere in the output, and a CL006 says it was not read."""
    assert "ROOTHASH" not in result.output
    found = findings(result)
    assert any(f["code"] == "CL006" and "outside the project root" in f["message"] for f in found), (
        what,
        found,
    )


def test_compose_file_in_dotenv_outside_the_root(tmp_path: Path, outside: Path):
    """Row 2: `.env` with `COMPOSE_FILE=/etc/shadow`."""
    root = write(tmp_path / "project", {".env": f"COMPOSE_FILE={outside}\n", "compose.yaml": SERVICE})
    assert_not_read(check(str(root)), "COMPOSE_FILE")


@pytest.mark.parametrize(
    "link, compose",
    [
        ("compose.yaml", None),
        ("other.yaml", "include:\n  - other.yaml\n" + SERVICE),
        ("base.yaml", "services:\n  web:\n    extends: {file: base.yaml, service: web}\n"),
        ("linked/shadow.yaml", "include:\n  - linked/shadow.yaml\n" + SERVICE),
        (".env", SERVICE),
    ],
    ids=["compose-file", "include", "extends-file", "linked-directory", "dotenv"],
)
def test_symlinks_out_of_the_root_are_not_followed(tmp_path: Path, outside: Path, link: str, compose):
    """Row 3: a symlink to /etc/shadow as the compose file, an include, an extends file, through a
    linked directory, as `.env`."""
    root = tmp_path / "project"
    root.mkdir()
    if compose is not None:
        write(root, {"compose.yaml": compose})
    if link.startswith("linked/"):
        (root / "linked").symlink_to(outside.parent, target_is_directory=True)
    else:
        (root / link).symlink_to(outside)
    result = check(str(root))
    if link == ".env":
        assert "ROOTHASH" not in result.output
        assert any(f["code"] == "CL006" for f in findings(result))
    else:
        assert_not_read(result, link)


def test_allow_outside_root_reads_what_the_user_allows(tmp_path: Path, outside: Path):
    outside.write_text(SERVICE)
    root = write(tmp_path / "project", {"compose.yaml": f"include:\n  - {outside}\n"})
    assert [f["code"] for f in findings(check(str(root)))] == ["CL006"]
    assert [f["code"] for f in findings(check("--allow-outside-root", str(root)))] == ["CL101"]


def test_a_named_file_is_read_wherever_it_is(tmp_path: Path, outside: Path):
    """What the user names on the command line is read: the boundary is for what the tree refers to."""
    outside.write_text(SERVICE)
    link = tmp_path / "project" / "compose.yaml"
    link.parent.mkdir()
    link.symlink_to(outside)
    assert [f["code"] for f in findings(check(str(link)))] == ["CL101"]
    assert [f["code"] for f in findings(check("-f", str(link)))] == ["CL101"]


@pytest.mark.parametrize("name", ["compose.yaml", ".env", "run.sh", ".gitignore", ".composelint.yaml"])
def test_a_fifo_in_the_tree_does_not_hang(tmp_path: Path, name: str):
    """Row 6: a named pipe where a file is expected is refused without blocking."""
    root = write(tmp_path / "project", {"docker-compose.prod.yml": SERVICE, ".git/HEAD": "x\n"})
    os.mkfifo(root / name)
    done = cli("check", "--output-format", "json", ".", cwd=root, timeout=20)
    assert done.returncode == 1, done.stderr
    codes = sorted(f["code"] for f in json.loads(done.stdout)["findings"])
    assert "CL101" in codes
    if name in ("compose.yaml", "run.sh"):
        assert "CL006" in codes


def test_a_device_is_not_read(tmp_path: Path):
    """Row 7: `compose.yaml` a symlink to /dev/zero; `check - < /dev/zero`."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "compose.yaml").symlink_to("/dev/zero")
    assert [f["code"] for f in findings(check(str(root)))] == ["CL006"]  # outside the root
    result = check("--allow-outside-root", str(root))
    assert [f["code"] for f in findings(result)] == ["CL006"]
    assert "a character device, not a regular file" in findings(result)[0]["message"]
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "composelint", "check", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2 and "larger than 10 MiB" in done.stderr


# ---------------------------------------------------------------- 3. secrets never printed


PLANTED = {
    ".env": f"TOKEN={SECRET}\nNET=container:{SECRET}\nBROKEN_SOON=x\n",
    "compose.yaml": (
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    network_mode: ${NET}\n"
        "    ports:\n"
        '      - "${TOKEN}:80"\n'
        "    volumes:\n"
        '      - "/etc/${TOKEN}:/x"\n'
        '      - "/var/run/docker.sock:/${TOKEN}"\n'
        "  worker:\n"
        "    image: ${TOKEN}\n"
        "    privileged: true\n"
        '    environment: ["A=${X:?${TOKEN}}"]\n'
        '    cap_add: ["${TOKEN}"]\n'
    ),
}


def all_outputs(*args: str) -> dict[str, str]:
    outputs = {}
    for name in FORMAT_NAMES:
        result = run_cli("check", "--isolated", "--output-format", name, *args)
        assert result.exit_code in (0, 1), (name, result.output)
        outputs[name] = result.output
    color = run_cli("check", "--isolated", "--output-format", "full", "--color", "always", *args)
    outputs["full --color always"] = color.output
    model = run_cli("model", *args)
    assert model.exit_code == 0, model.output
    outputs["model"] = model.output
    return outputs


def assert_no_secret(outputs: dict[str, str]) -> None:
    leaked = [name for name, text in outputs.items() if SECRET in text or "S3CRET" in text]
    assert leaked == [], leaked


def test_env_file_values_are_never_printed(tmp_path: Path):
    """Row 4: `.env` values in messages, help, every format and `model`."""
    root = write(tmp_path / "project", PLANTED)
    outputs = all_outputs(str(root))
    assert_no_secret(outputs)
    assert "${TOKEN}" in outputs["json"] and "${NET}" in outputs["json"] and "${TOKEN}" in outputs["model"]


def test_env_file_option_and_process_environment_are_never_printed(tmp_path: Path, monkeypatch):
    root = write(tmp_path / "project", {**PLANTED, ".env": ""})
    write(tmp_path, {"vars.env": f"TOKEN={SECRET}\nNET=container:{SECRET}\n"})
    assert_no_secret(all_outputs("--env-file", str(tmp_path / "vars.env"), str(root)))
    monkeypatch.setenv("TOKEN", SECRET)
    monkeypatch.setenv("NET", f"container:{SECRET}")
    assert_no_secret(all_outputs("--use-process-env", str(root)))


def test_include_env_file_values_are_never_printed(tmp_path: Path):
    root = write(
        tmp_path / "project",
        {
            "compose.yaml": "include:\n  - path: sub/compose.yaml\n    env_file: sub/vars.env\n",
            "sub/compose.yaml": PLANTED["compose.yaml"],
            "sub/vars.env": PLANTED[".env"],
        },
    )
    assert_no_secret(all_outputs(str(root)))


@pytest.mark.parametrize(
    "line",
    [f"garbage {SECRET}", f"TOKEN='{SECRET}", f"TOKEN=${{{SECRET}", f"TOKEN {SECRET}"],
    ids=["not-an-assignment", "unterminated-quote", "bad-interpolation", "no-equals"],
)
def test_malformed_dotenv_line_is_reported_by_position_and_key(tmp_path: Path, line: str):
    """Row 5: CL006 names the line (and the key when there is one), never the content."""
    root = write(tmp_path / "project", {".env": f"OK=1\n{line}\n", "compose.yaml": SERVICE})
    result = check(str(root))
    [cl006] = [f for f in findings(result) if f["code"] == "CL006"]
    assert "line 2" in cl006["message"] and cl006["range"]["start"]["line"] == 2
    assert "S3CRET" not in result.output


def test_short_values_are_masked_as_whole_words_only(tmp_path: Path):
    """`PORT=80` masks the port 80, not the 80 inside 8080."""
    from composelint.masking import masker

    mask = masker({"80": "PORT", SECRET: "TOKEN"})
    assert mask("ports 80 and 8080, /etc/S3CRET-9f8e7dX") == "ports ${PORT} and 8080, /etc/${TOKEN}X"
