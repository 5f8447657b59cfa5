"""The command line as users meet it: exit codes, formats, selection, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
from conftest import FIXTURES, ROOT, findings, lint_json, run_cli, write

HOST_MODE = str(FIXTURES / "examples" / "host-mode" / "compose.yaml")
BRIDGE_MODE = str(FIXTURES / "examples" / "bridge-mode" / "compose.yaml")
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "composelint-report.schema.json").read_text())


def test_findings_exit_1_and_clean_file_exit_0():
    assert run_cli("check", HOST_MODE).exit_code == 1
    assert run_cli("check", BRIDGE_MODE).exit_code == 0


def test_missing_path_exits_2_with_one_line():
    result = run_cli("check", "does/not/exist.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "does/not/exist.yaml: no such file or directory" in result.stderr


def test_unknown_selector_exits_2():
    result = run_cli("check", "--select", "CL999", HOST_MODE)
    assert result.exit_code == 2
    assert "unknown rule selector `CL999`" in result.stderr


def test_yaml_syntax_error_is_cl001_and_exit_1(tmp_path: Path):
    broken = tmp_path / "compose.yaml"
    broken.write_text("services:\n  web:\n    image: [nginx\n")
    result = run_cli("check", "--output-format", "concise", str(broken))
    assert result.exit_code == 1
    assert "CL001 [error] YAML syntax error" in result.stdout


def test_fail_on_and_exit_zero():
    # bridge-mode has no finding; host-mode has errors and warnings.
    assert run_cli("check", "--fail-on", "never", HOST_MODE).exit_code == 0
    assert run_cli("check", "--exit-zero", HOST_MODE).exit_code == 0
    assert run_cli("check", "--fail-on", "error", "--select", "CL201", HOST_MODE).exit_code == 0
    assert run_cli("check", "--fail-on", "warning", "--select", "CL201", HOST_MODE).exit_code == 1


def test_info_findings_do_not_fail_by_default():
    compose = (
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n"
        "  app:\n    image: ghcr.io/example/app:1.4.0\n"
    )
    result = run_cli("check", "--select", "CL104", "--stdin-filename", "compose.yaml", "-", input=compose)
    assert "CL104" in result.stdout
    assert result.exit_code == 0
    assert run_cli("check", "--select", "CL104", "--fail-on", "info", "-", input=compose).exit_code == 1


def test_json_report_validates_against_schema():
    report = lint_json(HOST_MODE, BRIDGE_MODE, "--select", "ALL")
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["summary"]["files_checked"] == 2
    codes = {f["code"] for f in report["findings"]}
    assert {"CL101", "CL102", "CL201", "CL210"} <= codes


def test_json_with_fix_and_suppression_validates(tmp_path: Path):
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  ssh:\n    image: alpine:3.20\n    ports:\n      - 22:22  # composelint: ignore=CL210 -- lab only\n"
    )
    report = lint_json("--extend-select", "CL208", str(compose))
    jsonschema.validate(report, REPORT_SCHEMA)
    by_code = {f["code"]: f for f in report["findings"]}
    assert by_code["CL208"]["fix"]["applicability"] == "safe"
    assert by_code["CL208"]["fix"]["edits"][0]["text"] == '"22:22"'
    assert by_code["CL210"]["suppressed"] == {"kind": "inline", "reason": "lab only"}


def test_findings_sorted_by_path_line_column_code():
    report = lint_json(HOST_MODE, "--select", "ALL")
    keys = [
        (f["path"], f["range"]["start"]["line"], f["range"]["start"]["column"], f["code"])
        for f in report["findings"]
    ]
    assert keys == sorted(keys)


def test_fingerprint_survives_unrelated_edits(tmp_path: Path):
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx:1.27\n    privileged: true\n")
    before = lint_json(str(compose))["findings"][0]
    compose.write_text("# a comment\n\nservices:\n  web:\n    image: nginx:1.27\n\n    privileged: true\n")
    after = lint_json(str(compose))["findings"][0]
    assert before["range"] != after["range"]
    assert before["fingerprint"] == after["fingerprint"]


def test_select_by_name_group_prefix_and_ignore():
    assert {c for c, *_ in findings("--select", "host-network", HOST_MODE)} == {"CL101"}
    assert {c for c, *_ in findings("--select", "CL10", HOST_MODE)} == {"CL101", "CL102"}
    assert {c for c, *_ in findings("--select", "network", "--ignore", "CL2", HOST_MODE)} == {
        "CL101",
        "CL102",
    }
    assert "CL210" not in {c for c, *_ in findings("--ignore", "sensitive-port-exposed", HOST_MODE)}


def test_directory_discovery_by_compose_file_names_and_content(tmp_path: Path):
    """The docker CLI's names are recognised without reading; other YAML files are Compose when their
    top-level `services:` entries have an image, build or extends.  Hidden directories are walked,
    version-control and cache directories are not."""
    bad = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"
    linted = {
        "compose.yaml",
        "docker-compose.yml",
        "prod.compose.yaml",
        "docker-compose.dev.yml",
        "docker-compose-dev.yml",
        "compose-prod.yaml",
        "docker-stack.yml",
        "app.yml",  # by content
    }
    for name in linted:
        (tmp_path / name).write_text(bad)
    (tmp_path / "composer.yml").write_text("require:\n  php: '>=8'\n")
    (tmp_path / "values.yaml").write_text("services:\n  web:\n    port: 80\n")  # Helm values, not Compose
    (tmp_path / "docker-compose.yml.example").write_text(bad)
    for hidden in (".devcontainer", ".devenv"):
        (tmp_path / hidden).mkdir()
        (tmp_path / hidden / "docker-compose.yml").write_text(bad)
    for cache in (".git", "node_modules", ".tox"):
        (tmp_path / cache).mkdir()
        (tmp_path / cache / "compose.yaml").write_text(bad)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "compose.yml").write_text("services: {}\n")
    report = lint_json(str(tmp_path))
    checked = {Path(f["path"]).relative_to(tmp_path).as_posix() for f in report["findings"]}
    assert checked == linted | {".devcontainer/docker-compose.yml", ".devenv/docker-compose.yml"}
    assert report["summary"]["files_checked"] == 11
    assert report["summary"]["files_by_kind"] == {"compose": 11}
    skipped = {Path(s["path"]).name: s["reason"] for s in report["summary"]["skipped"]}
    assert set(skipped) == {"values.yaml", "docker-compose.yml.example"}
    assert "without an image, build or extends" in skipped["values.yaml"]
    assert "template or copy" in skipped["docker-compose.yml.example"]


def test_summary_names_kinds_and_skipped_files(tmp_path: Path):
    (tmp_path / "compose.yaml").write_text("services:\n  job:\n    image: busybox:1.36\n")
    (tmp_path / "run.sh").write_text("docker run --rm alpine true\n")
    (tmp_path / "setup.zsh").write_text("docker run --privileged alpine\n")
    result = run_cli("check", "--output-format", "full", str(tmp_path))
    lines = result.stdout.splitlines()
    assert "All checks passed (2 files checked: 1 compose, 1 shell)." in lines
    assert f"Skipped {tmp_path / 'setup.zsh'}: zsh script: only sh/bash/dash/ash/ksh are parsed" in lines


def test_kind_selects_kinds_in_directories(tmp_path: Path):
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n    privileged: true\n")
    (tmp_path / "run.sh").write_text("docker run --privileged alpine\n")
    shell_only = lint_json("--kind", "shell", str(tmp_path))
    assert shell_only["summary"]["files_by_kind"] == {"shell": 1}
    both = lint_json("--kind", "shell", "--kind", "compose", str(tmp_path))
    assert both["summary"]["files_by_kind"] == {"compose": 1, "shell": 1}


def test_stdin_with_stdin_filename():
    result = run_cli(
        "check",
        "--output-format",
        "concise",
        "--stdin-filename",
        "deploy/compose.yaml",
        "-",
        input="services:\n  web:\n    image: alpine:3.20\n    pid: host\n",
    )
    assert result.stdout == (
        "deploy/compose.yaml:4:10: CL302 [error] Service `web` shares the host's PID namespace: "
        "it can see and signal every host process (`pid: host`)\n"
    )


def test_full_format_shows_source_caret_and_help():
    result = run_cli("check", "--output-format", "full", "--select", "CL101", HOST_MODE)
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "compose.yaml:5:19: CL101 error: [~] Service `proxy` uses the host network: it shares every "
        "host interface, can reach services bound to localhost, and a compromise can scan and "
        "attack the host's network"
    )
    assert "5 |     network_mode: host" in lines
    assert "  |                   ^^^^ host-network" in lines
    assert any(line.startswith("  = help:") and '"127.0.0.1:8080:80"' in line for line in lines)
    assert (
        "  = fix (unsafe, --fix --unsafe-fixes): Leave the host network, publish 127.0.0.1:8080:80" in lines
    )
    assert lines[-1] == (
        "Found 1 problem (1 error) in 1 file (1 file checked: 1 compose). "
        "1 fixable with --fix --unsafe-fixes."
    )
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_color_always():
    colored = run_cli("check", "--output-format", "full", "--color", "always", HOST_MODE)
    assert "\x1b[" in colored.stdout


def test_statistics():
    result = run_cli("check", "--statistics", HOST_MODE)
    assert [line.split() for line in result.stdout.splitlines()] == [
        ["1", "CL101", "host-network"],
        ["1", "CL102", "shared-network-namespace"],
        ["1", "CL201", "ports-discarded-host-network"],
        ["1", "CL210", "sensitive-port-exposed"],
    ]


def test_rule_documentation_by_code_and_name():
    by_code = run_cli("rule", "CL101")
    by_name = run_cli("rule", "host-network")
    assert by_code.exit_code == 0 and by_code.stdout == by_name.stdout
    for heading in (
        "# CL101 host-network",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ):
        assert heading in by_code.stdout
    assert run_cli("rule", "nope").exit_code == 2


def test_rules_table_and_json():
    from composelint.rules import all_rules

    table = run_cli("rules").stdout.splitlines()
    assert len(table) == len(all_rules())
    assert table[0].startswith("CL001  yaml-syntax-error")
    listed = json.loads(run_cli("rules", "--output-format", "json").stdout)
    assert [r["code"] for r in listed] == list(all_rules())


def test_version_and_module_entry_point():
    from composelint import __version__

    assert run_cli("--version").stdout.strip() == f"composelint, version {__version__}"
    process = subprocess.run(
        [sys.executable, "-m", "composelint", "check", "--output-format", "concise", HOST_MODE],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.returncode == 1
    assert "CL101 [error]" in process.stdout and process.stderr == ""


def test_deterministic_output_whatever_the_argument_order():
    first = run_cli("check", "--output-format", "json", HOST_MODE, BRIDGE_MODE).stdout
    second = run_cli("check", "--output-format", "json", BRIDGE_MODE, HOST_MODE).stdout
    assert first == second


def test_a_directory_with_nothing_to_lint_is_a_warning_and_exit_0(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("nothing here\n")
    result = run_cli("check", "--output-format", "concise", str(tmp_path / "empty"))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"composelint: warning: no files to lint in {tmp_path / 'empty'}\n"
    both = run_cli("check", "--output-format", "concise", str(tmp_path / "empty"), HOST_MODE)
    assert both.exit_code == 1 and "no files to lint in" in both.stderr and "CL101" in both.stdout


def test_an_invalid_configuration_is_an_error_even_with_nothing_to_lint(tmp_path: Path):
    (tmp_path / ".composelint.yaml").write_text("select: [NOT-A-RULE]\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert "NOT-A-RULE" in result.stderr and "no files to lint" not in result.stderr


def _on_terminal(*args: str, cwd: Path) -> tuple[str, str, int]:
    """`composelint ARGS` with stderr on a pseudo-terminal (as in a person's shell) and stdout on a
    pipe: (what the terminal showed, stdout, exit code)."""
    import pty
    import threading

    master, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "composelint", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal
    )
    os.close(terminal)
    # stdout is read meanwhile: a report larger than the pipe's buffer would block the process.
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()))
    reader.start()
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    reader.join(60)
    return shown.decode(), output[0].decode(), process.wait(timeout=60)


def test_progress_bar_on_a_terminal_only_for_long_runs_and_people(tmp_path: Path):
    """Over 100 projects the terminal shows a progress bar on stderr; the report on stdout has none
    of it.  --quiet, a machine format and a short run show none."""
    from composelint.cli import PROGRESS_FROM

    for index in range(PROGRESS_FROM):
        write(
            tmp_path / f"app{index}",
            {"compose.yaml": 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n'},
        )
    shown, stdout, code = _on_terminal("check", ".", cwd=tmp_path)
    assert code == 1 and stdout.count("CL202") == PROGRESS_FROM
    assert "composelint: linting" in shown and f"{PROGRESS_FROM}/{PROGRESS_FROM}" in shown
    assert "\r" not in stdout and "linting" not in stdout
    for args in (["--quiet"], ["--output-format", "json"]):
        shown, stdout, code = _on_terminal("check", *args, ".", cwd=tmp_path)
        assert code == 1 and shown == "" and "CL202" in stdout, args
    shown, _, _ = _on_terminal("check", "app1", "app2", cwd=tmp_path)
    assert shown == ""


def test_quiet_prints_no_warning_but_still_errors(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    assert "no files to lint" in run_cli("check", str(tmp_path / "empty")).stderr
    assert run_cli("check", "--quiet", str(tmp_path / "empty")).stderr == ""
    result = run_cli("check", "--quiet", str(tmp_path / "missing"))
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


TEST_DATA = FIXTURES / "projects" / "test-data"
TEST_DATA_NOTE = (
    "Not linted: 6 files below test-data directories (__fixtures__, e2e, fixtures, integration, "
    "integration-tests, integration_tests, test, test-data, test_data, testdata, tests); lint them with "
    "--include-test-data or `include-test-data: true` in the configuration."
)


def test_test_data_directories_are_counted_not_linted():
    report = lint_json(str(TEST_DATA))
    jsonschema.validate(report, REPORT_SCHEMA)
    linted = {Path(f["path"]).resolve().relative_to(TEST_DATA).as_posix() for f in report["findings"]}
    assert linted == {"compose.yaml", "examples/compose.yaml"}  # examples are copied into deployments
    not_linted = {
        Path(p).resolve().relative_to(TEST_DATA).as_posix()
        for p in report["summary"]["test_data"]["not_linted"]
    }
    assert not_linted == {
        "testdata/loader/compose.yaml",
        "e2e/fixtures/broken/compose.yaml",
        "__fixtures__/start.sh",
        "tests/compose.yaml",
        "integration/resources/compose.yaml",
        "src/test/resources/compose.yaml",  # a test directory at any depth
    }
    assert "--include-test-data" in report["summary"]["test_data"]["include_with"]
    assert report["summary"]["skipped"] == []  # a copy below test data is not listed either


def test_test_data_note_in_every_summary():
    for output_format in ("full", "grouped", "markdown", "github"):
        result = run_cli("check", "--output-format", output_format, str(TEST_DATA))
        assert TEST_DATA_NOTE in result.stdout, output_format
        assert "Not linted" not in result.stderr
    # Reports without a summary: the note goes to stderr, unless --quiet.
    for output_format in ("concise", "sarif", "json-lines", "junit"):
        result = run_cli("check", "--output-format", output_format, str(TEST_DATA))
        assert f"composelint: {TEST_DATA_NOTE}" in result.stderr.splitlines(), output_format
    assert (
        "Not linted" not in run_cli("check", "--quiet", "--output-format", "concise", str(TEST_DATA)).stderr
    )
    statistics = run_cli("check", "--statistics", str(TEST_DATA))
    assert f"composelint: {TEST_DATA_NOTE}" in statistics.stderr.splitlines()


def test_include_test_data_flag_and_configuration():
    result = run_cli("check", "--output-format", "full", "--include-test-data", str(TEST_DATA))
    assert "8 files checked: 7 compose, 1 shell" in result.stdout
    assert "Not linted" not in result.stdout + result.stderr
    assert "docker-compose.yml.example: a template or copy" in result.stdout
    included = FIXTURES / "projects" / "test-data-included"
    assert [code for code, *_ in findings(str(included))] == ["CL101"]  # `include-test-data: true`
    assert findings("--no-include-test-data", str(included)) == []  # the command line wins
    assert "CL101" in run_cli("check", "--isolated", "--include-test-data", str(included)).stdout


def test_named_test_data_is_linted():
    loader = TEST_DATA / "testdata" / "loader"
    assert [code for code, *_ in findings(str(loader / "compose.yaml"))] == ["CL101"]
    # A directory named on the command line is not test data itself, only what lies below it.
    assert [code for code, *_ in findings(str(loader))] == ["CL101"]
    assert [code for code, *_ in findings(str(TEST_DATA / "e2e"))] == []
    # The same for test directories: a file or a directory named (as pre-commit names files) is linted.
    nested = TEST_DATA / "src" / "test" / "resources" / "compose.yaml"
    assert [(code, line, column) for code, line, column, _ in findings(str(nested))] == [("CL401", 7, 9)]
    assert [code for code, *_ in findings(str(TEST_DATA / "tests"))] == ["CL210"]


def test_cl102_reports_sidecars_with_the_siblings_option(tmp_path: Path):
    """By default CL102 reports only a shared namespace that leads to the host's; `siblings: true`
    adds every container joining another's (fixtures/rules/CL102/negative_sidecars.yaml)."""
    compose = tmp_path / "compose.yaml"
    compose.write_text((FIXTURES / "rules" / "CL102" / "negative_sidecars.yaml").read_text(encoding="utf-8"))
    assert [f for f in findings(str(compose)) if f[0] == "CL102"] == []
    (tmp_path / ".composelint.yaml").write_text("rules:\n  shared-network-namespace: {siblings: true}\n")
    found = [f for f in findings(str(compose)) if f[0] == "CL102"]
    assert found == [("CL102", 17, 19, "warning"), ("CL102", 23, 19, "warning")]


def test_an_ansible_role_task_list_named_compose_is_not_linted():
    """A walk skips `roles/*/tasks/compose.yml` (Ansible's task list) and says so; the project's
    own compose file beside the roles is linted; the task file named on the command line is."""
    root = FIXTURES / "projects" / "ansible-role"
    result = run_cli("check", "--output-format", "full", str(root))
    assert "an Ansible role's task list" in result.stdout
    assert [code for code, *_ in findings(str(root))] == ["CL101"]
    named = findings(str(root / "roles" / "local_docker" / "tasks" / "compose.yml"))
    assert [code for code, *_ in named] == ["CL002"]
