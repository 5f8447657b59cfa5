"""Hostile trees (issue 17): the linter starts no process, reads nothing outside the project root,
opens only regular files, and never prints a value that came from a variable."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import FIXTURES, run_cli, write

from composelint.report.formats import FORMAT_NAMES

SERVICE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
SECRET = "S3CRET-9f8e7d"  # planted in env files; must never reach any output
SHADOW = "root:$6$saltsalt$ROOTHASH:19000:0:99999:7:::\n"


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


# ---------------------------------------------------------------- 4-5. no lost run, bounds as CL010


def codes_in(result) -> list[str]:
    return [f["code"] for f in findings(result)]


def test_an_internal_error_is_cl009_on_its_file_and_the_run_goes_on(tmp_path: Path, monkeypatch):
    """Item 4: one failing project is CL009; the other files keep their findings (exit 1, not 2)."""
    from composelint.rules import all_rules

    root = write(tmp_path / "project", {"a/compose.yaml": SERVICE, "b/compose.yaml": SERVICE})
    rule = all_rules()["CL101"]
    original = rule.check

    def failing(project, *options):
        if any(source.path.endswith("a/compose.yaml") for source in project.sources):
            raise KeyError("boom")
        return original(project, *options)

    object.__setattr__(rule, "check", failing)  # a frozen dataclass: restored below
    try:
        result = check(str(root))
        found = findings(result)
        assert sorted((f["code"], f["path"].rsplit("/", 2)[-2]) for f in found) == [
            ("CL009", "a"),
            ("CL101", "b"),
        ]
        [cl009] = [f for f in found if f["code"] == "CL009"]
        assert "KeyError" in cl009["message"] and "boom" not in cl009["message"]
        assert sorted(codes_in(check("--ignore", "CL009", str(root)))) == ["CL009", "CL101"]
        verbose = run_cli("check", "--isolated", "--verbose", "--output-format", "json", str(root))
        assert (
            verbose.exit_code == 1 and "Traceback" in verbose.stderr and "KeyError: 'boom'" in verbose.stderr
        )
    finally:
        object.__setattr__(rule, "check", original)


def test_configuration_nesting_and_alias_bombs_are_refused_in_one_line(tmp_path: Path):
    """Rows 8-9: 50,000 nested `[` (a segfault), an alias bomb (a hang) in `.composelint.yaml`."""
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)
    )
    for text, reason in (
        ("select: " + "[" * 50_000 + "]" * 50_000 + "\n", "nesting deeper"),
        (bomb, "aliases"),
    ):
        root = write(tmp_path / reason.split()[0], {".composelint.yaml": text, "compose.yaml": SERVICE})
        done = cli("check", ".", cwd=root, timeout=30)
        assert done.returncode == 2 and done.stdout == ""
        [line] = done.stderr.splitlines()
        assert re.search(r"\.composelint\.yaml:\d+:\d+: invalid YAML", line) and reason in line


def test_dotenv_value_growth_is_bounded(tmp_path: Path):
    """Row 10: `A=${A}${A}` forty times (453 bytes) was OOM-killed at 24 GiB."""
    root = write(
        tmp_path / "project",
        {".env": "A=x\n" + "A=${A}${A}\n" * 40, "compose.yaml": "services:\n  web:\n    image: ${A}\n"},
    )
    done = cli("check", "--output-format", "json", ".", cwd=root, timeout=30)
    [limit] = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "CL010"]
    assert limit["range"]["start"]["line"] > 2 and "`A`" in limit["message"]


def test_a_large_value_referenced_many_times_is_bounded(tmp_path: Path):
    """Row 11: a 1 MB value referenced 20,000 times took 19 GiB; the project's budget stops it."""
    labels = "".join(f"      L{i}: ${{BIG}}\n" for i in range(40))
    root = write(
        tmp_path / "project",
        {".env": "BIG=" + "v" * 1_000_000 + "\n", "compose.yaml": SERVICE + "    labels:\n" + labels},
    )
    found = findings(check(str(root)))
    # 33 values of 1 MB fit the 32 MiB budget (labels start on line 6); the 34th is reported, once.
    assert [f["range"]["start"]["line"] for f in found if f["code"] == "CL010"] == [39]


def test_alias_expansion_is_counted_per_file(tmp_path: Path):
    """Row 12: twenty documents each under the cap were twenty times the work."""
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 5)
    )
    root = write(tmp_path / "project", {"compose.yaml": "\n---\n".join([bomb] * 20) + "\n---\n" + SERVICE})
    assert "CL010" in codes_in(check(str(root)))


def test_each_file_is_parsed_once_per_project(tmp_path: Path, monkeypatch):
    """Rows 13-14: services extending one large file, an include diamond: each file parsed once."""
    from composelint.sources.compose import project as loader

    parsed: list[str] = []
    real_read_yaml = loader.read_yaml
    monkeypatch.setattr(
        loader, "read_yaml", lambda path, text: parsed.append(path) or real_read_yaml(path, text)
    )
    base = "services:\n" + "".join(f"  s{i}:\n    image: nginx:1.27\n" for i in range(200))
    services = "".join(f"  e{i}:\n    extends: {{file: base.yaml, service: s{i}}}\n" for i in range(20))
    diamond = {}
    for level in range(16):
        body = "" if level == 15 else f"include:\n  - l{level + 1}a.yaml\n  - l{level + 1}b.yaml\n"
        for side in "ab":
            diamond[f"l{level}{side}.yaml"] = body + f"x-{level}{side}: 1\n"
    root = write(
        tmp_path / "project",
        {
            "base.yaml": base,
            "compose.yaml": "include:\n  - l0a.yaml\n  - l0b.yaml\nservices:\n" + services,
            **diamond,
        },
    )
    assert findings(check(str(root / "compose.yaml"))) == []
    assert sorted(parsed) == sorted(dict.fromkeys(parsed))  # no file twice


def test_deep_and_long_input_is_cl010_not_a_lost_run(tmp_path: Path):
    """Row 15: `${A:-` 500 deep, 1,000 nested directories, an include chain of 1,200 files and an
    extends chain of 1,500 services each ended the run with a RecursionError (exit 2)."""
    root = tmp_path / "project"
    deep = str(root)
    for _ in range(1000):
        deep = os.path.join(deep, "d")
        os.makedirs(deep)
    Path(deep, "compose.yaml").write_text(SERVICE)
    try:
        deep_and_long_run(root)
    finally:  # pytest removes old temporary directories recursively: 1,000 levels would fail it
        os.remove(os.path.join(deep, "compose.yaml"))
        while deep != str(root):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def deep_and_long_run(root: Path) -> None:
    chain = {f"chain/c{i}.yml": f"include:\n  - c{i + 1}.yml\n" for i in range(1200)}
    extends = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(1500))
    write(
        root,
        {
            "nested/compose.yaml": "services:\n  web:\n    image: " + "${A:-" * 500 + "x" + "}" * 500 + "\n",
            "chain/compose.yaml": "include:\n  - c0.yml\n" + SERVICE,
            **chain,
            "ext/compose.yaml": "services:\n" + extends + "  s1500:\n    image: nginx:1.27\n",
            "ok/compose.yaml": SERVICE,
        },
    )
    done = cli("check", "--output-format", "json", ".", cwd=root, timeout=60)
    assert done.returncode == 1, done.stderr
    found = json.loads(done.stdout)["findings"]
    limited = {f["path"].split("/")[0] for f in found if f["code"] == "CL010"}
    assert limited == {"nested", "chain", "ext"}
    assert {f["path"] for f in found if f["code"] == "CL101"} >= {"ok/compose.yaml", "chain/compose.yaml"}


def test_undecodable_and_unlistable_files_do_not_lose_the_run(tmp_path: Path, monkeypatch):
    """Row 22: a latin-1 script, a UTF-16 compose file, a directory that cannot be listed."""
    root = write(tmp_path / "project", {"ok/compose.yaml": SERVICE})
    write(root, {"latin/x.sh": "placeholder"})
    (root / "latin" / "x.sh").write_bytes("#!/bin/sh\necho caf\xe9\n".encode("latin-1"))
    (root / "utf16").mkdir()
    (root / "utf16" / "compose.yaml").write_bytes(("\ufeff" + SERVICE).encode("utf-16"))
    (root / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = findings(check(str(root)))
    assert sorted((f["code"], f["path"].rsplit("/", 2)[-2]) for f in found) == [
        ("CL006", "latin"),
        ("CL101", "ok"),
        ("CL101", "utf16"),
    ]


# ---------------------------------------------------------------- 7. output safety, 8. once


HOSTILE_NAMES = FIXTURES / "reports" / "hostile-names"


@pytest.mark.parametrize("name", [*FORMAT_NAMES, "full --color always"])
def test_user_text_cannot_forge_output(name: str):
    """Row 21 (and 16): names with a line break before `::error`, ESC/OSC sequences, control and
    XML-invalid characters and a lone surrogate, in every format."""
    output_format, *color = name.split(" ", 1)
    result = run_cli(
        "check",
        "--isolated",
        "--output-format",
        output_format,
        *(["--color", "always"] if color else []),
        str(HOSTILE_NAMES),
    )
    assert result.exit_code == 1, result.output
    text = result.stdout
    text.encode("utf-8")  # a lone surrogate could not be written
    own = ("::error file=", "::warning file=", "::notice file=") if output_format == "github" else ()
    forged = [
        line for line in text.splitlines() if line.lstrip().startswith("::") and not line.startswith(own)
    ]
    assert forged == []
    assert "\x1b]" not in text and "\x07" not in text and "\x01" not in text
    assert all(escape.startswith("[") for escape in text.split("\x1b")[1:])  # colour codes only
    if output_format in ("checkstyle", "junit"):
        ElementTree.fromstring(text.encode("utf-8"))
    if output_format in ("json", "sarif", "gitlab", "rdjson"):
        json.loads(text)


def test_identical_findings_are_reported_once(tmp_path: Path):
    """Item 8: nested eval chains reached one command by many paths (20 identical CL101 lines)."""
    script = (
        "#!/bin/sh\nA='docker run --network host nginx:1.27'\nB='eval \"$A\"'\n"
        + 'eval "$B"\n' * 1
        + 'C="eval \\"$B\\"; eval \\"$B\\""\neval "$C"\n'
    )
    root = write(tmp_path / "project", {"x.sh": script})
    found = findings(check(str(root)))
    keys = [(f["code"], json.dumps(f["range"], sort_keys=True), f["message"]) for f in found]
    assert len(keys) == len(set(keys))


def test_huge_numbers_and_surrogates_do_not_lose_the_run(tmp_path: Path):
    """Row 16: a 4,301-digit port (ValueError) and a service named "\\ud800" (UnicodeEncodeError)
    ended the run with exit 2."""
    root = write(
        tmp_path / "project",
        {
            "a/compose.yaml": f'services:\n  web:\n    image: nginx:1.27\n    ports: ["{"9" * 4301}:80"]\n',
            "b/compose.yaml": 'services:\n  "\\ud800":\n    image: nginx:1.27\n    privileged: true\n',
            "c/compose.yaml": SERVICE,
        },
    )
    for output_format in ("concise", "json"):
        done = cli("check", "--output-format", output_format, ".", cwd=root)
        assert done.returncode == 1 and done.stderr == ""
        assert "CL009" not in done.stdout and "CL010" in done.stdout and "CL301" in done.stdout
        assert "4,301 digits is past the 20-digit bound" in done.stdout and "\\ud800" in done.stdout


def test_nul_bytes_in_a_script_are_dropped_as_bash_does(tmp_path: Path):
    """Row 20: `docker run \\0--net=host --privi\\0leged nginx` runs both flags under bash and dash."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "x.sh").write_bytes(b"#!/bin/sh\ndocker run \x00--net=host --privi\x00leged nginx:1.27\n")
    assert sorted(codes_in(check(str(root)))) == ["CL007", "CL101", "CL301"]


# ---------------------------------------------------------------- 5. shell bounds


def cpu_bound_cli(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`cli` and the CPU seconds it took (wall time says little on a shared machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = cli(*args, cwd=cwd, timeout=30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def test_units_and_devcontainer_json_past_their_size_bound_are_cl010_not_read(tmp_path: Path):
    """A 10 MB systemd unit took about 50 s (each command line interpreted), a 10 MB Quadlet unit
    24 s and 665 MB, a 1 MB devcontainer.json 35 s (json-five); real ones are a few KB.  A unit
    past 1 MiB, a devcontainer.json past 64 KiB is CL010 at line 1 (devcontainer.json was CL001
    past 1 MiB), and the other files are still linted."""
    lines = "".join(f"ExecStartPre=-/usr/bin/docker rm -f c{i}\n" for i in range(30_000))
    ports = "".join(f"PublishPort=127.0.0.1:{1024 + i}:80\n" for i in range(40_000))
    root = write(
        tmp_path / "p",
        {
            "app.service": "[Service]\n"
            + lines
            + "ExecStart=/usr/bin/docker run --network host nginx:1.27\n",
            "q/app.container": "[Container]\nImage=nginx:1.27\n" + ports,
            "q/db.container": "[Container]\nImage=postgres:16\nNetwork=host\n",
            ".devcontainer/devcontainer.json": '{"image": "nginx:1.27", "runArgs": ['
            + '"-l", "x",' * 100_000
            + '"--privileged"]}',
        },
    )
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert seconds < 5, seconds
    found = sorted(
        (f["code"], f["path"], f["range"]["start"]["line"]) for f in json.loads(done.stdout)["findings"]
    )
    assert [f for f in found if f[0] == "CL010"] == [
        ("CL010", ".devcontainer/devcontainer.json", 1),
        ("CL010", "app.service", 1),
        ("CL010", "q/app.container", 1),
    ]
    assert ("CL101", "q/db.container", 3) in found


def test_markdown_compose_blocks_are_linear_and_blocks_per_file_bounded(tmp_path: Path):
    """Each `yaml` block was read as a compose text as long as the whole file (blanked around the
    block): 400 KB of compose blocks took a minute, 10 MB never finished.  Past 2,000 blocks read in
    one file, CL010 at the next block's fence (10 MB of shell blocks took 90 s)."""
    block = (
        "## Step {i}\n\n```yaml\nservices:\n  s{i}:\n    image: nginx:1.27\n    ports: ['{port}:80']\n```\n\n"
    )
    text = "# Steps\n\n" + "".join(block.format(i=i, port=1024 + i) for i in range(2_100))
    root = write(tmp_path / "p", {"README.md": text})
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert seconds < 10, seconds
    found = json.loads(done.stdout)["findings"]
    ports = [f["range"]["start"] for f in found if f["code"] == "CL202"]
    assert len(ports) == 2_000
    assert (ports[0], ports[-1]) == ({"line": 9, "column": 13}, {"line": 9 + 1999 * 9, "column": 13})
    limited = [(f["range"]["start"]["line"], f["message"]) for f in found if f["code"] == "CL010"]
    assert limited == [(5 + 2000 * 9, "More than 2,000 code blocks read in one file: the rest is not linted")]


def test_a_markdown_file_past_four_mebibytes_is_cl010_not_read(tmp_path: Path):
    """markdown-it's tree of a 10 MB file took 480 MB (552 MB for the run): over 4 MiB, CL010."""
    block = "```sh\ndocker run --privileged nginx:1.27\n```\n\n"
    root = write(tmp_path / "p", {"README.md": block * (4 * 1024 * 1024 // len(block) + 1)})
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert seconds < 5, seconds
    found = [
        (f["code"], f["range"]["start"]["line"], f["message"]) for f in json.loads(done.stdout)["findings"]
    ]
    assert found == [("CL010", 1, "Markdown file is larger than 4 MiB; not read")]


def test_a_ci_file_makefile_or_dockerfile_past_one_mebibyte_is_cl010_not_read(tmp_path: Path):
    """Each workflow step, GitLab job script or recipe line is read as a script of its own: a 4 MiB
    workflow took 12 s and 690 MB, a 10 MB one-rule Makefile 33 s and 1.4 GB, a 10 MB Dockerfile
    580-660 MB.  Over 1 MiB (the corpus's largest CI file: 49 KB, Makefile: 57 KB), CL010 at line 1;
    a smaller CI file beside them is read."""
    step = "      - run: docker run --privileged nginx:1.27\n"
    workflow = "on: push\njobs:\n  build:\n    runs-on: self-hosted\n    steps:\n"
    job = "job{i}:\n  script:\n    - docker run --privileged nginx:1.27\n"
    many = 1024 * 1024 // len(job.format(i=0)) + 1
    root = write(
        tmp_path / "p",
        {
            ".github/workflows/big.yml": workflow + step * (1024 * 1024 // len(step) + 1),
            ".github/workflows/small.yml": workflow + step,
            ".gitlab-ci.yml": "".join(job.format(i=i) for i in range(many)),
            "Makefile": "all:\n" + "\tdocker run --privileged nginx:1.27\n" * (1024 * 1024 // 36 + 1),
            "Dockerfile": "FROM docker:27\n"
            + "RUN docker run --privileged nginx:1.27\n" * (1024 * 1024 // 39 + 1),
        },
    )
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert seconds < 5, seconds
    found = json.loads(done.stdout)["findings"]
    assert sorted(
        (f["path"], f["range"]["start"]["line"], f["message"]) for f in found if f["code"] == "CL010"
    ) == [
        (".github/workflows/big.yml", 1, "Workflow file is larger than 1 MiB; not read"),
        (".gitlab-ci.yml", 1, "GitLab CI file is larger than 1 MiB; not read"),
        ("Dockerfile", 1, "Dockerfile is larger than 1 MiB; not read"),
        ("Makefile", 1, "Makefile is larger than 1 MiB; not read"),
    ]
    assert sorted({(f["code"], f["path"]) for f in found if f["code"] != "CL010"}) == [
        ("CL301", ".github/workflows/small.yml"),
    ]


def test_gitlab_jobs_and_makefile_rules_per_file_are_bounded(tmp_path: Path):
    """Each GitLab CI job and each Makefile rule that runs a container is a project (about 1.4 ms
    and 0.3 ms): 11,475 jobs (1 MB) took 15.9 s, a 10 MB Makefile over 30 s.  Past 2,000 read in
    one file, CL010 at the next one."""
    job = "job{i}:\n  script:\n    - docker run -p {port}:80 img:1\n"
    rule = "run{i}:\n\tdocker run -p {port}:80 img:1\n"
    root = write(
        tmp_path / "p",
        {
            ".gitlab-ci.yml": "".join(job.format(i=i, port=1024 + i) for i in range(2_100)),
            "Makefile": "".join(rule.format(i=i, port=1024 + i) for i in range(2_100)),
        },
    )
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert seconds < 10, seconds
    found = json.loads(done.stdout)["findings"]
    for path in (".gitlab-ci.yml", "Makefile"):
        assert len([f for f in found if f["code"] == "CL202" and f["path"] == path]) == 2_000, path
    limited = sorted(
        (f["path"], f["range"]["start"]["line"], f["message"]) for f in found if f["code"] == "CL010"
    )
    assert limited == [
        (".gitlab-ci.yml", 1 + 2000 * 3, "More than 2,000 jobs read in one file: the rest is not linted"),
        (
            "Makefile",
            1 + 2000 * 2,
            "More than 2,000 rules that run containers read in one file: the rest is not linted",
        ),
    ]


def test_dockerfile_run_instructions_per_file_are_bounded(tmp_path: Path):
    """Each RUN is parsed as a script of its own (about 0.2 ms): past 2,000 read in one file, CL010
    at the next one, so a 10 MB Dockerfile of RUN lines stays within the budget.  Non-ASCII lines
    map back by the line (a byte-to-character conversion from the file's start was quadratic)."""
    text = "FROM docker:27\n" + "".join(
        f"RUN echo é && docker run -p {1024 + i}:80 img:1\n" for i in range(2_100)
    )
    root = write(tmp_path / "p", {"Dockerfile": text})
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert seconds < 10, seconds
    found = json.loads(done.stdout)["findings"]
    ports = [f["range"]["start"] for f in found if f["code"] == "CL202"]
    assert len(ports) == 2_000 and ports[-1] == {"line": 2001, "column": 29}
    limited = [(f["range"]["start"]["line"], f["message"]) for f in found if f["code"] == "CL010"]
    assert limited == [(2002, "More than 2,000 RUN instructions read in one file: the rest is not linted")]


def test_a_markdown_compose_block_names_host_lines_in_its_messages(tmp_path: Path):
    """The block is read on its own and mapped back: a message naming a line names the file's."""
    block = "- item:\n\n  ```yaml\n  services:\n    web:\n      image: nginx:1.27\n      image: nginx:1.28\n  ```\n"
    root = write(tmp_path / "p", {"README.md": "# Title\n\nText.\n\n" + block})
    found = json.loads(cli("check", "--isolated", "--output-format", "json", ".", cwd=root).stdout)[
        "findings"
    ]
    assert [
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"], f["message"].split(";")[0])
        for f in found
    ] == [("CL003", 11, 7, "Duplicate key `image` (first defined at line 10)")]


def test_a_block_comment_never_closed_in_devcontainer_json_is_cl001_at_once():
    """Found by atheris: json-five's block-comment pattern takes time exponential in what follows an
    unclosed `/*` (60 bytes: 0.7 s; this 900-byte file: minutes).  It is CL001 where it opens."""
    done, seconds = cpu_bound_cli(
        "check",
        "--isolated",
        "--output-format",
        "json",
        "fixtures/hostile/unclosed-comment",
        cwd=FIXTURES.parent,
    )
    assert seconds < 5
    found = [(f["code"], f["range"]["start"]["line"]) for f in json.loads(done.stdout)["findings"]]
    assert found == [("CL001", 5)]


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "hostile").glob("*.sh")))
def test_backticks_and_substitutions_are_lexed_in_linear_time(name: str):
    """Row 18 and the shapes beside it: a `$( )` or backtick inside a backtick substitution was lexed
    to the end of the script, so the rest was lexed again at every level (4 of these 5 files took
    over 20 s and 560-830 MB each)."""
    done, seconds = cpu_bound_cli(
        "check", "--isolated", "--output-format", "json", f"fixtures/hostile/{name}", cwd=FIXTURES.parent
    )
    assert done.returncode == 1, done.stderr
    assert seconds < 5
    found = {(f["code"], f["range"]["start"]["line"]) for f in json.loads(done.stdout)["findings"]}
    assert {("CL301", 4), ("CL007", 5)} <= found


def test_eval_expansion_is_bounded_and_each_command_reported_once():
    """Row 19: `A="$A;$A"` eleven times, then `eval "$A"` twenty times took 103 s, and each eval
    gave 2,048 containers at one position.  Past 256 KiB of nested code: CL010 at that eval."""
    done, seconds = cpu_bound_cli(
        "check",
        "--isolated",
        "--output-format",
        "json",
        "fixtures/rules/CL010/positive_eval_expansion.sh",
        cwd=FIXTURES.parent,
    )
    assert done.returncode == 1, done.stderr
    assert seconds < 5
    found = sorted(
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
        for f in json.loads(done.stdout)["findings"]
        if f["code"] in ("CL010", "CL301")
    )
    assert found == [("CL010", 21, 7)] + [("CL301", line, 7) for line in range(17, 21)]


def hostile_fixture(name: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """fixtures/hostile/NAME linted with every rule: the run and its findings (JSON)."""
    done = cli(
        "check", "--isolated", "--select", "ALL", "--output-format", "json", name, cwd=FIXTURES / "hostile"
    )
    assert done.returncode == 1, done.stderr
    return done, json.loads(done.stdout)["findings"]


def test_numbers_past_every_integer_type_do_not_lose_the_run():
    """Integers parsed from user text beyond ports: 400- and 5,000-digit sizes, counts, limits and
    indexes, and `²` (a digit to Python's isdigit, refused by int()) in compose and shell: an
    OverflowError (`mem_limit`) and a ValueError (`expose`) were CL009.  A YAML integer past 20
    digits is CL010 where it is written and read as text; so is a number past 20 digits in the
    text of a setting that holds numbers."""
    _, found = hostile_fixture("integers")
    assert [f for f in found if f["code"] == "CL009"] == []
    limited = [(f["path"], f["range"]["start"]["line"]) for f in found if f["code"] == "CL010"]
    # Numbers inside strings too (sizes, limits, a restart count, expose, ports, `-m`, `-p`):
    # CL010 where written, nothing read from them (no CL207 "invalid", no CL608 "forever").
    assert limited == [("integers/compose.yaml", line) for line in (5, 7, 8, 9, 10, 13, 15, 17, 17)] + [
        ("integers/run.sh", line) for line in (11, 11, 11, 11, 11, 12)
    ]
    assert not [f for f in found if f["code"] in ("CL207", "CL608") and "9999" in f["message"]]
    invalid = {(f["path"], f["range"]["start"]["line"]) for f in found if f["code"] == "CL207"}
    assert {("integers/compose.yaml", 10), ("integers/compose.yaml", 11), ("integers/run.sh", 11)} <= invalid


def test_numbers_past_the_bound_inside_strings_are_cl010_where_written():
    """A 5,000-digit number inside a quoted port, a `${X:-...}` default, a `.env` value, a range,
    the long syntax, a sysctl, a restart count, a CPU limit, `docker run --publish`/`--sysctl`,
    Quadlet's `PublishPort=` and devcontainer.json's `appPort`: CL010 at each, no other finding
    about the value (it is not read), and the `.env` value is never printed."""
    done, found = hostile_fixture("numbers-in-text")
    limited = sorted((f["path"], f["range"]["start"]["line"]) for f in found if f["code"] == "CL010")
    assert limited == [
        ("numbers-in-text/.devcontainer/devcontainer.json", 1),
        ("numbers-in-text/app.container", 3),
        *[("numbers-in-text/compose.yaml", line) for line in (6, 7, 8, 9, 12, 13, 17)],
        ("numbers-in-text/run.sh", 2),
        ("numbers-in-text/run.sh", 2),
    ]
    assert all(
        "5,000 digits is past the 20-digit bound" in f["message"] for f in found if f["code"] == "CL010"
    )
    assert not [f for f in found if f["code"] in ("CL207", "CL608", "CL009")]
    assert "9" * 30 not in done.stdout


def test_a_number_past_the_bound_in_a_json_integer_is_read_as_text(tmp_path: Path):
    """devcontainer.json `appPort: [<25 digits>]` parses as a JSON integer (int() takes up to 4,300
    digits) and becomes `-p 127.0.0.1:N:N`: CL010 there, not an invalid port."""
    root = write(
        tmp_path / "p",
        {".devcontainer/devcontainer.json": '{"image": "nginx:1.27", "appPort": [%s]}' % ("8" * 25)},
    )
    found = json.loads(cli("check", "--isolated", "--output-format", "json", ".", cwd=root).stdout)[
        "findings"
    ]
    assert [(f["code"], f["range"]["start"]["line"]) for f in found if f["code"] in ("CL010", "CL207")] == [
        ("CL010", 1)
    ]


def test_a_pyproject_integer_past_int_conversion_is_a_configuration_error(tmp_path: Path):
    """tomllib raised ValueError on a 5,000-digit integer: `internal error`; now the usual one line."""
    root = write(
        tmp_path / "p",
        {"pyproject.toml": f"[tool.composelint]\nline-length = {'9' * 5000}\n", "compose.yaml": SERVICE},
    )
    done = cli("check", ".", cwd=root)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "composelint: error: pyproject.toml: invalid TOML: A number of 5,000 digits is past the 20-digit bound: not read"
    ]


def test_long_numbers_in_sizes_and_limits_are_read_in_linear_time(tmp_path: Path):
    """`cpus: "111...1!"` (a number that is no amount) was matched by a backtracking pattern: 16,000
    digits took 12 s, a 2 MB one would never finish.  Compose and the command line."""
    digits = "1" * 2_000_000
    root = write(
        tmp_path / "p",
        {
            "compose.yaml": f'services:\n  web:\n    image: nginx:1.27\n    cpus: "{digits}!"\n    mem_limit: "{digits}x"\n',
            "run.sh": f"#!/bin/sh\ndocker run --cpus {digits}! -m {digits}x nginx:1.27\n",
        },
    )
    done, seconds = cpu_bound_cli("check", "--isolated", "--output-format", "json", ".", cwd=root)
    assert done.returncode == 1, done.stderr
    assert seconds < 10
    found = json.loads(done.stdout)["findings"]
    assert sorted((f["path"], f["range"]["start"]["line"]) for f in found if f["code"] == "CL010") == [
        ("compose.yaml", 4),
        ("compose.yaml", 5),
        ("run.sh", 2),
        ("run.sh", 2),
    ]


_APP = "services:\n  app:\n    image: nginx:1.27\n    networks: [shared, own]\nnetworks:\n  own: {}\n"
_DECLARATIONS = "networks:\n  shared: {external: true}\n"


@pytest.mark.parametrize("base", ["outside", "fifo", "broken", "alias-bomb"])
def test_a_hostile_declarations_file_above_a_project(tmp_path: Path, outside: Path, base: str):
    """A compose file above an app, whose networks CL106 would count as declared for it, that is a
    symlink out of the root, a named pipe, broken YAML or an alias bomb: not read, no hang, and the
    app's attachment is still reported."""
    root = write(tmp_path / "store", {"apps/app/docker-compose.yml": _APP})
    common = root / "apps" / "docker-compose.common.yml"
    if base == "outside":
        outside.write_text(_DECLARATIONS)
        common.symlink_to(outside)
    elif base == "fifo":
        os.mkfifo(common)
    elif base == "broken":
        common.write_text(_DECLARATIONS + "  other: [\n")
    else:
        common.write_text(
            "x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"x-a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 7))
            + _DECLARATIONS
        )
    done = cli("check", "--output-format", "json", "--isolated", ".", cwd=root, timeout=30)
    assert done.returncode == 1, done.stderr
    reported = [
        (f["path"], f["message"]) for f in json.loads(done.stdout)["findings"] if f["code"] == "CL106"
    ]
    assert reported == [
        (
            "apps/app/docker-compose.yml",
            "Service `app` attaches to network `shared`, which is not declared under top-level `networks:`",
        )
    ]


def test_a_declarations_file_is_read_once_per_run(tmp_path: Path, monkeypatch):
    """240 apps below one common file: it is read once, not once per app."""
    from composelint.sources.compose import declarations

    read: list[str] = []
    real_read_text = declarations.read_text
    monkeypatch.setattr(
        declarations, "read_text", lambda path, root: read.append(path) or real_read_text(path, root)
    )
    apps = {f"apps/app{i}/docker-compose.yml": _APP for i in range(5)}
    root = write(tmp_path / "store", {"apps/docker-compose.common.yml": _DECLARATIONS, **apps})
    assert findings(check("--jobs", "1", str(root))) == []
    assert [Path(path).name for path in read] == ["docker-compose.common.yml"]
