"""Configuration files through the real CLI: lookup, precedence, every key, errors.

Files are written to temporary directories (or read from fixtures/config)
and linted by `composelint check` in-process."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, expectations, findings, lint_json, run_cli, write

CONFIG_SCHEMA = json.loads((ROOT / "schemas" / "composelint-config.schema.json").read_text(encoding="utf-8"))
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "composelint-report.schema.json").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")

ALL_INTERFACES = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n'  # CL202 warning
WIDE_RANGE = (
    'services:\n  web:\n    image: alpine:3.20\n    ports:\n      - "127.0.0.1:30000-30150:30000-30150"\n'
)
HOST_NETWORK = "services:\n  {name}:\n    image: alpine:3.20\n    network_mode: host\n"


def codes(*args: str, input: str | None = None) -> list[str]:
    return [code for code, *_ in findings(*args, input=input)]


def by_code(report: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        grouped.setdefault(finding["code"], []).append(finding)
    return grouped


# ------------------------------------------------------------------ lookup


@pytest.mark.parametrize(
    "directory",
    ["nearest", "nearest/team", "nearest/team/nested", "pyproject", "pyproject/both", "pyproject/no-table"],
)
def test_nearest_configuration_applies(directory):
    """Each fixture's `# expect:` comments hold under the configuration nearest to it."""
    compose = FIXTURES / "config" / directory / "compose.yaml"
    assert set(findings(str(compose))) == expectations(compose)


def test_nearest_configuration_is_not_merged_with_the_one_above():
    # nearest/ makes CL202 an error; team/ says only `fail-on: error` and CL202 stays a warning.
    assert run_cli("check", str(FIXTURES / "config" / "nearest" / "compose.yaml")).exit_code == 1
    assert run_cli("check", str(FIXTURES / "config" / "nearest" / "team")).exit_code == 0


def test_directory_run_uses_each_files_own_configuration():
    report = lint_json(str(FIXTURES / "config" / "nearest"))
    severities = {Path(f["path"]).parent.name: f["severity"] for f in report["findings"]}
    assert severities == {"nearest": "error", "team": "warning", "nested": "warning"}


def test_search_stops_at_the_repository_root(tmp_path: Path):
    write(
        tmp_path,
        {
            ".composelint.yaml": "ignore: [CL202]\n",
            "repo/compose.yaml": ALL_INTERFACES,
            "plain/compose.yaml": ALL_INTERFACES,
        },
    )
    (tmp_path / "repo" / ".git").mkdir()
    assert codes("--no-respect-gitignore", str(tmp_path / "repo")) == ["CL202"]
    assert codes(str(tmp_path / "plain")) == []  # no .git: the search goes on upward


def test_config_option_applies_one_file_to_everything(tmp_path: Path):
    write(
        tmp_path,
        {
            "a/.composelint.yaml": "select: [CL101]\n",
            "a/compose.yaml": ALL_INTERFACES,
            "b/compose.yaml": ALL_INTERFACES,
            "shared.yaml": "severity: {CL202: error}\n",
        },
    )
    assert codes(str(tmp_path)) == ["CL202"]  # a/ selects CL101 only
    report = lint_json("--config", str(tmp_path / "shared.yaml"), str(tmp_path))
    assert [f["severity"] for f in report["findings"]] == ["error", "error"]


def test_config_option_reads_pyproject_and_other_toml(tmp_path: Path):
    write(
        tmp_path,
        {
            "compose.yaml": ALL_INTERFACES,
            "pyproject.toml": '[tool.composelint]\nseverity = {CL202 = "style"}\n',
            "composelint.toml": 'ignore = ["CL202"]\n',
        },
    )
    assert findings("--config", str(tmp_path / "pyproject.toml"), str(tmp_path))[0][3] == "style"
    assert codes("--config", str(tmp_path / "composelint.toml"), str(tmp_path)) == []


def test_isolated_ignores_configuration_files(tmp_path: Path):
    write(tmp_path, {".composelint.yaml": "ignore: [CL202]\n", "compose.yaml": ALL_INTERFACES})
    assert codes(str(tmp_path)) == []
    assert codes("--isolated", str(tmp_path)) == ["CL202"]
    result = run_cli("check", "--isolated", "--config", str(tmp_path / ".composelint.yaml"), str(tmp_path))
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_standard_input_uses_the_configuration_of_its_name(tmp_path: Path):
    write(tmp_path, {"deploy/.composelint.yaml": "ignore: [CL202]\n"})
    name = str(tmp_path / "deploy" / "compose.yaml")
    assert codes("--stdin-filename", name, "-", input=ALL_INTERFACES) == []
    assert codes("--stdin-filename", str(tmp_path / "compose.yaml"), "-", input=ALL_INTERFACES) == ["CL202"]


def test_lookups_are_cached_per_directory(tmp_path: Path, monkeypatch):
    from composelint import config

    files = {".composelint.yaml": "ignore: [CL213]\n"}
    files.update({f"d{i}/sub/compose.yaml": ALL_INTERFACES for i in range(12)})
    write(tmp_path, files)
    loads, probes = [], []
    original_load, original_in = config.load_config, config.config_in
    monkeypatch.setattr(config, "load_config", lambda path: loads.append(path) or original_load(path))
    monkeypatch.setattr(
        config, "config_in", lambda directory: probes.append(directory) or original_in(directory)
    )
    assert codes(str(tmp_path)) == ["CL202"] * 12
    assert len(loads) == 1
    assert len(probes) == len(set(probes))  # each directory is looked at once


# ------------------------------------------------------------------ selection, severity, fail-on


def test_select_extend_select_and_ignore_keys(tmp_path: Path):
    write(
        tmp_path,
        {
            "compose.yaml": HOST_NETWORK.format(name="vpn").replace(
                "network_mode: host\n", "network_mode: host\n    privileged: true\n"
            )
        },
    )
    config = tmp_path / ".composelint.yaml"
    config.write_text("select: [CL1]\n")
    assert codes(str(tmp_path)) == ["CL101"]
    config.write_text("select: [CL1]\nextend-select: [privileged]\n")
    assert sorted(codes(str(tmp_path))) == ["CL101", "CL301"]
    config.write_text("ignore: [host-network]\n")
    assert codes(str(tmp_path)) == ["CL301"]


def test_command_line_select_and_ignore_replace_extend_select_appends(tmp_path: Path):
    write(
        tmp_path,
        {
            "compose.yaml": HOST_NETWORK.format(name="vpn").replace(
                "network_mode: host\n", "network_mode: host\n    privileged: true\n"
            ),
            ".composelint.yaml": "select: [CL1]\nextend-select: [CL301]\nignore: [CL101]\n",
        },
    )
    assert codes(str(tmp_path)) == ["CL301"]
    assert codes("--select", "CL3", str(tmp_path)) == ["CL301"]  # config ignore still applies
    assert sorted(codes("--ignore", "CL2", str(tmp_path))) == ["CL101", "CL301"]
    assert codes("--select", "CL101", "--ignore", "CL301", str(tmp_path)) == ["CL101"]
    assert sorted(codes("--extend-select", "CL101", "--ignore", "CL5", str(tmp_path))) == ["CL101", "CL301"]


def test_severity_most_specific_selector_wins(tmp_path: Path):
    compose = (
        'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n'
        '      - "127.0.0.1:8081:8081"\n'
    )
    write(
        tmp_path,
        {
            "compose.yaml": compose,
            ".composelint.yaml": "severity:\n  ALL: style\n  network: info\n  CL2: warning\n"
            "  CL21: error\n  port-all-interfaces: style\n",
        },
    )
    severities = {code: severity for code, _, _, severity in findings(str(tmp_path))}
    assert severities == {"CL202": "style", "CL213": "error"}


def test_severity_override_changes_the_exit_code(tmp_path: Path):
    write(tmp_path, {"compose.yaml": ALL_INTERFACES})
    assert run_cli("check", str(tmp_path)).exit_code == 1
    (tmp_path / ".composelint.yaml").write_text("severity:\n  CL202: info\n")
    assert run_cli("check", str(tmp_path)).exit_code == 0
    assert run_cli("check", "--fail-on", "info", str(tmp_path)).exit_code == 1
    (tmp_path / ".composelint.yaml").write_text("severity:\n  CL2: info\n  port-target-mismatch: error\n")
    write(tmp_path, {"compose.yaml": ALL_INTERFACES.replace("8080:80", "8080:8080")})
    assert findings(str(tmp_path)) == [("CL202", 5, 9, "info"), ("CL213", 5, 9, "error")]
    assert run_cli("check", str(tmp_path)).exit_code == 1


def test_fail_on_key_and_command_line_precedence(tmp_path: Path):
    write(tmp_path, {"compose.yaml": ALL_INTERFACES, ".composelint.yaml": "fail-on: error\n"})
    assert run_cli("check", str(tmp_path)).exit_code == 0
    assert run_cli("check", "--fail-on", "warning", str(tmp_path)).exit_code == 1
    (tmp_path / ".composelint.yaml").write_text("fail-on: never\nseverity: {CL202: error}\n")
    assert run_cli("check", str(tmp_path)).exit_code == 0


def test_per_file_ignores_globs_are_relative_to_the_configuration(tmp_path: Path):
    write(
        tmp_path,
        {
            ".composelint.yaml": 'per-file-ignores:\n  "examples/**": [port-all-interfaces]\n'
            '  "*.dev.yml": [CL2]\n',
            "compose.yaml": ALL_INTERFACES,
            "examples/demo/compose.yaml": ALL_INTERFACES,
            "deploy/compose.dev.yml": ALL_INTERFACES,
            "deploy/examples/compose.yaml": ALL_INTERFACES,  # `examples/**` is anchored: not this one
        },
    )
    report = lint_json(str(tmp_path))
    paths = sorted(Path(f["path"]).relative_to(tmp_path).as_posix() for f in report["findings"])
    assert paths == ["compose.yaml", "deploy/examples/compose.yaml"]


def test_per_file_ignored_rule_does_not_make_its_suppression_unused(tmp_path: Path):
    compose = ALL_INTERFACES.replace('"8080:80"', '"8080:80"  # composelint: ignore=CL202 -- demo')
    write(
        tmp_path,
        {".composelint.yaml": 'per-file-ignores:\n  "demo/**": [CL202]\n', "demo/compose.yaml": compose},
    )
    assert codes(str(tmp_path)) == []


# ------------------------------------------------------------------ rule options


def test_cl209_max_option(tmp_path: Path):
    write(tmp_path, {"compose.yaml": WIDE_RANGE})
    assert codes(str(tmp_path)) == ["CL209"]
    (tmp_path / ".composelint.yaml").write_text("rules:\n  CL209:\n    max: 200\n")
    assert codes(str(tmp_path)) == []
    (tmp_path / ".composelint.yaml").write_text("rules:\n  wide-port-range: {max: 20}\n")
    report = lint_json(str(tmp_path))
    assert "(more than 20)" in report["findings"][0]["message"]


def test_known_images_extend_the_table_of_cl101_cl203_and_cl213(tmp_path: Path):
    write(
        tmp_path,
        {
            "alone/compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:2.1\n",
            "mapped/compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:2.1\n    ports:\n"
            '      - "127.0.0.1:9000:9000"\n',
            "host/compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:2.1\n    network_mode: host\n",
        },
    )
    assert sorted(codes(str(tmp_path))) == ["CL101"]
    (tmp_path / ".composelint.yaml").write_text(
        "extend-select: [CL203]\nknown-images:\n  ghcr.io/acme/api: [8080]\n"
    )
    report = by_code(lint_json(str(tmp_path)))
    assert sorted(report) == ["CL101", "CL203", "CL213"]
    assert "8080" in report["CL203"][0]["message"]
    assert "listens on 8080" in report["CL213"][0]["message"]
    assert '"127.0.0.1:8080:8080"' in report["CL101"][0]["help"]
    # for one rule only, under `rules:`
    (tmp_path / ".composelint.yaml").write_text(
        "rules:\n  CL213:\n    known-images: {ghcr.io/acme/api: [8080]}\n"
    )
    assert sorted(codes(str(tmp_path))) == ["CL101", "CL213"]


def test_cl104_implicit_option_leaves_compose_services_alone(tmp_path: Path):
    write(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
            ".composelint.yaml": "rules:\n  default-bridge: {implicit: true}\n",
        },
    )
    assert codes("--select", "CL104", str(tmp_path)) == []


def test_cl104_implicit_option_reports_docker_run_without_network(tmp_path: Path):
    pytest.importorskip("composelint.sources.shell", reason="shell front end not present")
    script = write(tmp_path, {"start.sh": "#!/bin/sh\ndocker run -d nginx:1.27\n"}) / "start.sh"
    try:
        assert codes("--select", "CL104", str(script)) == []
    except (ImportError, AssertionError) as error:  # the shell front end is still being written
        pytest.skip(f"shell front end not usable: {error}")
    (tmp_path / ".composelint.yaml").write_text("rules:\n  CL104:\n    implicit: true\n")
    assert codes("--select", "CL104", str(script)) == ["CL104"]


def test_cl104_implicit_option_through_the_engine():
    """The option as the engine hands it to the rule, on a `docker run` workload of the model."""
    from composelint.engine import Settings, lint_project
    from composelint.model import Origin, Project, Span, Workload
    from composelint.rules import all_rules

    span = Span("start.sh", 2, 1, 2, 27)
    project = Project("start.sh", workloads=[Workload("nginx", Origin.DOCKER_RUN, span)])
    rule = all_rules()["CL104"]
    assert lint_project(project, [rule]) == []
    reported = lint_project(project, [rule], settings=Settings(options={"CL104": {"implicit": True}}))
    assert [(item.rule.code, item.finding.span) for item in reported] == [("CL104", span)]


def test_rule_options_reach_worker_processes(tmp_path: Path):
    files = {
        ".composelint.yaml": "extend-select: [CL203]\nrules:\n  CL209: {max: 120}\n"
        "known-images: {ghcr.io/acme/api: [8080]}\n"
    }
    for index in range(20):
        files[f"wide{index}/compose.yaml"] = WIDE_RANGE.replace("30150", str(30100 + 10 * index))
        files[f"api{index}/compose.yaml"] = "services:\n  api:\n    image: ghcr.io/acme/api:2.1\n"
    write(tmp_path, files)
    sequential = run_cli("check", "--output-format", "json", "-j", "1", str(tmp_path)).stdout
    parallel = run_cli("check", "--output-format", "json", "-j", "4", str(tmp_path)).stdout
    assert parallel == sequential
    counted = {code: len(items) for code, items in by_code(json.loads(parallel)).items()}
    assert counted == {
        "CL203": 20,
        "CL209": 18,
    }  # ranges of 101 + 10 * index ports: 101 and 111 are within max


# ------------------------------------------------------------------ workload exclusions

VPN = (
    "services:\n  legacy-vpn:\n    image: ghcr.io/acme/vpn:1.4\n    network_mode: host\n    cap_add: [NET_ADMIN]\n"
    "  web:\n    image: alpine:3.20\n    network_mode: host\n"
)


def test_workload_exclusion_is_reported_as_suppressed_with_its_reason(tmp_path: Path):
    write(
        tmp_path,
        {
            "compose.yaml": VPN,
            ".composelint.yaml": "workloads:\n  - name: legacy-vpn\n    ignore: [CL101, network-capability]\n"
            '    reason: "WireGuard needs it"\n',
        },
    )
    report = lint_json(str(tmp_path))
    jsonschema.validate(report, REPORT_SCHEMA)
    suppressed = {(f["code"], f["workload"]): f["suppressed"] for f in report["findings"]}
    assert suppressed == {
        ("CL101", "legacy-vpn"): {"kind": "config", "reason": "WireGuard needs it"},
        ("CL309", "legacy-vpn"): {"kind": "config", "reason": "WireGuard needs it"},
        ("CL101", "web"): None,
    }
    concise = run_cli("check", "--output-format", "concise", str(tmp_path)).stdout
    assert "legacy-vpn" not in concise and "`web`" in concise


def test_workload_exclusion_name_globs_and_files(tmp_path: Path):
    write(
        tmp_path,
        {
            "a/compose.yaml": VPN,
            "b/compose.yaml": VPN,
            ".composelint.yaml": 'workloads:\n  - {name: "*", ignore: [CL101], reason: "lab machines", files: ["a/**"]}\n',
        },
    )
    report = lint_json(str(tmp_path))
    active = sorted(
        (Path(f["path"]).parent.name, f["code"], f["workload"])
        for f in report["findings"]
        if f["suppressed"] is None
    )
    assert active == [
        ("a", "CL309", "legacy-vpn"),
        ("b", "CL101", "legacy-vpn"),
        ("b", "CL101", "web"),
        ("b", "CL309", "legacy-vpn"),
    ]


def test_workload_exclusion_needs_a_reason(tmp_path: Path):
    write(
        tmp_path,
        {"compose.yaml": VPN, ".composelint.yaml": "workloads:\n  - name: legacy-vpn\n    ignore: [CL101]\n"},
    )
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        "composelint: error: "
        + _shown(tmp_path / ".composelint.yaml")
        + ":2:5: workloads[0].reason: missing: every workload exclusion needs a reason\n"
    )
    (tmp_path / ".composelint.yaml").write_text(
        'workloads:\n  - {name: legacy-vpn, ignore: [CL101], reason: "  "}\n'
    )
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2 and "workloads[0].reason: must not be empty" in result.stderr


# ------------------------------------------------------------------ discovery: exclude, gitignore


def _tree(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "compose.yaml": ALL_INTERFACES,
            "vendor/lib/compose.yaml": ALL_INTERFACES,
            "docker-compose.generated.yml": ALL_INTERFACES,
            "stacks/compose.yaml": ALL_INTERFACES,
        },
    )


def linted(*args: str, root: Path) -> list[str]:
    report = lint_json(*args)
    return sorted(
        {Path(f["path"]).resolve().relative_to(root.resolve()).as_posix() for f in report["findings"]}
    )


def test_exclude_and_extend_exclude(tmp_path: Path):
    root = _tree(tmp_path)
    (root / ".composelint.yaml").write_text('exclude: ["vendor/"]\nextend-exclude: ["*.generated.yml"]\n')
    assert linted(str(root), root=root) == ["compose.yaml", "stacks/compose.yaml"]
    # a file named on the command line is linted anyway, unless --force-exclude
    named = str(root / "vendor" / "lib" / "compose.yaml")
    assert linted(named, root=root) == ["vendor/lib/compose.yaml"]
    assert linted("--force-exclude", named, root=root) == []


def test_exclude_on_the_command_line_replaces_extend_exclude_appends(tmp_path: Path, monkeypatch):
    root = _tree(tmp_path)
    (root / ".composelint.yaml").write_text('exclude: ["vendor/**"]\n')
    monkeypatch.chdir(root)
    assert linted("--exclude", "stacks", ".", root=root) == [
        "compose.yaml",
        "docker-compose.generated.yml",
        "vendor/lib/compose.yaml",
    ]
    assert linted("--extend-exclude", "stacks/compose.yaml", ".", root=root) == [
        "compose.yaml",
        "docker-compose.generated.yml",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_respect_gitignore(tmp_path: Path):
    root = _tree(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("stacks/\n*.generated.yml\n")
    assert linted(str(root), root=root) == ["compose.yaml", "vendor/lib/compose.yaml"]
    assert linted("--no-respect-gitignore", str(root), root=root) == [
        "compose.yaml",
        "docker-compose.generated.yml",
        "stacks/compose.yaml",
        "vendor/lib/compose.yaml",
    ]
    (root / ".composelint.yaml").write_text("respect-gitignore: false\n")
    assert len(linted(str(root), root=root)) == 4
    assert linted("--respect-gitignore", str(root), root=root) == ["compose.yaml", "vendor/lib/compose.yaml"]
    (root / ".composelint.yaml").unlink()
    named = str(root / "stacks" / "compose.yaml")
    assert linted(named, root=root) == ["stacks/compose.yaml"]
    assert linted("--force-exclude", named, root=root) == []


def test_gitignore_applies_without_git(tmp_path: Path, monkeypatch):
    """The ignore files are read, not asked of git: no git on PATH changes nothing."""
    root = _tree(tmp_path)
    (root / ".git").mkdir()
    (root / ".gitignore").write_text("stacks/\n")
    monkeypatch.setenv("PATH", "")
    result = run_cli("check", "--output-format", "json", str(root))
    assert result.exit_code == 1 and result.stderr == ""
    assert len(json.loads(result.stdout)["findings"]) == 3


# ------------------------------------------------------------------ bad configurations


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


@pytest.mark.parametrize(
    "name, text, key_and_reason",
    [
        (".composelint.yaml", "selekt: [CL1]\n", "selekt: unknown key (did you mean `select`?)"),
        (".composelint.yaml", "select: CL1\n", "select: expected a list, got a string"),
        (".composelint.yaml", "ignore: [CL999]\n", "ignore[0]: unknown rule selector `CL999`"),
        (
            ".composelint.yaml",
            "severity: {CL209: fatal}\n",
            "severity.CL209: `fatal` is not one of error, warning",
        ),
        (".composelint.yaml", "severity: {CL9999: info}\n", "severity.CL9999: unknown rule selector"),
        (".composelint.yaml", "fail-on: sometimes\n", "fail-on: `sometimes` is not one of"),
        (
            ".composelint.yaml",
            "per-file-ignores: {'x/**': [nope]}\n",
            "per-file-ignores.x/**[0]: unknown rule selector",
        ),
        (
            ".composelint.yaml",
            "respect-gitignore: maybe\n",
            "respect-gitignore: expected true or false, got a string",
        ),
        (".composelint.yaml", "rules: {CL999: {max: 3}}\n", "rules.CL999: unknown rule"),
        (
            ".composelint.yaml",
            "rules: {CL209: {mx: 3}}\n",
            "rules.CL209.mx: unknown key (did you mean `max`?)",
        ),
        (".composelint.yaml", "rules: {CL209: {max: 0}}\n", "rules.CL209.max: must be at least 1, got 0"),
        (
            ".composelint.yaml",
            "rules: {CL209: {max: high}}\n",
            "rules.CL209.max: expected an integer, got a string",
        ),
        (".composelint.yaml", "rules: {CL101: {max: 3}}\n", "rules.CL101.max: unknown key"),
        (".composelint.yaml", "rules: {CL105: {max: 3}}\n", "rules.CL105.max: unknown option of CL105"),
        (
            ".composelint.yaml",
            "known-images: {nginx: [80000]}\n",
            "known-images.nginx[0]: must be at most 65535",
        ),
        (".composelint.yaml", "select: [CL1\n", "invalid YAML: "),
        (".composelint.yaml", "- CL101\n", "expected a mapping of settings, got a list"),
        (".composelint.yaml", "severity:\n  101: error\n", "severity.101: a key must be text"),
        ("pyproject.toml", "[tool.composelint\n", "invalid TOML: "),
        ("pyproject.toml", "[tool.composelint]\nselect = 'ALL'\n", "select: expected a list, got a string"),
    ],
)
def test_bad_configuration_exits_2_with_one_line(tmp_path: Path, name, text, key_and_reason):
    write(tmp_path, {"compose.yaml": ALL_INTERFACES, name: text})
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    where = re.escape(f"composelint: error: {_shown(tmp_path / name)}:")
    assert re.match(rf"{where}\d+:\d+: {re.escape(key_and_reason)}", result.stderr), result.stderr


INVALID = FIXTURES / "config" / "invalid"


@pytest.mark.parametrize(
    "directory, expected",
    [
        (
            "yaml",
            [
                ".composelint.yaml:1:1: selekt: unknown key (did you mean `select`?)",
                ".composelint.yaml:2:17: select[1]: unknown rule selector `CL999` "
                "(use a code, prefix, name, group or ALL)",
                ".composelint.yaml:4:10: severity.CL209: `fatal` is not one of error, warning, info, style",
                ".composelint.yaml:5:3: severity.101: a key must be text: quote it",
                ".composelint.yaml:7:11: rules.CL209.mx: unknown key (did you mean `max`?)",
                ".composelint.yaml:7:23: rules.CL209.max: must be at least 1, got 0",
                ".composelint.yaml:8:3: rules.CL999: unknown rule (use a code or a name)",
                ".composelint.yaml:9:10: fail-on: `sometimes` is not one of error, warning, info, style, never",
            ],
        ),
        (
            "pyproject",
            [
                "pyproject.toml:5:1: select: expected a list, got a string",
                "pyproject.toml:6:1: fail-on: `sometimes` is not one of error, warning, info, style, never",
                "pyproject.toml:9:1: rules.CL209.max: must be at least 1, got 0",
                "pyproject.toml:11:3: workloads[0].reason: missing: every workload exclusion needs a reason",
            ],
        ),
    ],
)
def test_every_configuration_error_is_reported_at_once_with_its_position(directory, expected, monkeypatch):
    """A configuration with many mistakes: each is one line `file:line:column: key: reason`, in
    the order of the file, so one run shows everything to fix."""
    monkeypatch.chdir(INVALID / directory)
    result = run_cli("check", ".")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"composelint: error: {line}" for line in expected]


def test_unreadable_configuration_exits_2(tmp_path: Path):
    write(tmp_path, {"compose.yaml": ALL_INTERFACES})
    result = run_cli("check", "--config", str(tmp_path / "missing.yaml"), str(tmp_path))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"composelint: error: {_shown(tmp_path / 'missing.yaml')}: cannot read: No such file or directory\n"
    )
    (tmp_path / ".composelint.yaml").write_bytes(b"select: [\xff]\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr
    result = run_cli("check", "--config", str(tmp_path / "compose.yaml"), str(tmp_path))
    assert result.exit_code == 2 and "services: unknown key" in result.stderr
    write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n"})
    result = run_cli("check", "--config", str(tmp_path / "pyproject.toml"), str(tmp_path))
    assert result.exit_code == 2 and "no [tool.composelint] table" in result.stderr


def test_broken_pyproject_without_our_table_is_not_a_configuration(tmp_path: Path):
    write(tmp_path, {"compose.yaml": ALL_INTERFACES, "pyproject.toml": "[project\n"})
    assert codes(str(tmp_path)) == ["CL202"]


# ------------------------------------------------------------------ schema and README


def test_schema_is_valid_and_lists_every_rule_option():
    from composelint.rules import all_rules

    jsonschema.Draft202012Validator.check_schema(CONFIG_SCHEMA)
    properties = CONFIG_SCHEMA["properties"]["rules"]["properties"]
    definitions = CONFIG_SCHEMA["$defs"]
    for rule in all_rules().values():
        for key in (rule.code, rule.name):
            if not rule.options:
                assert key not in properties
                continue
            reference = properties[key]["$ref"].rsplit("/", 1)[1]
            assert set(definitions[reference]["properties"]) == set(rule.options), key


def test_packaged_schema_is_the_published_one():
    from importlib import resources

    packaged = resources.files("composelint").joinpath("data/composelint-config.schema.json").read_text()
    assert json.loads(packaged) == CONFIG_SCHEMA


def readme_example() -> str:
    section = README.split("### Configuration\n", 1)[1].split("\n### ", 1)[0]
    return re.search(r"```yaml\n(# \.composelint\.yaml\n.*?)```", section, re.S).group(1)


def test_readme_example_is_valid_and_applies(tmp_path: Path):
    from composelint.config import load_config

    write(
        tmp_path,
        {
            ".composelint.yaml": readme_example(),
            "deploy/compose.yaml": VPN,
            "examples/compose.yaml": HOST_NETWORK.format(name="demo") + '    ports:\n      - "8080:80"\n',
            "vendor/x/compose.yaml": ALL_INTERFACES,
            "docker-compose.generated.yml": ALL_INTERFACES,
            "build/compose.yaml": "services:\n  app:\n    build:\n      context: .\n      network: host\n",
            "api/compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:2.1\n",
            "web/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports:\n"
            '      - "127.0.0.1:30000-30150:30000-30150"\n',
        },
    )
    from composelint.rules import all_rules

    default = {code for code, rule in all_rules().items() if rule.default_on}
    data = load_config(str(tmp_path / ".composelint.yaml"))
    assert set(data) >= {
        "select",
        "extend-select",
        "ignore",
        "severity",
        "fail-on",
        "per-file-ignores",
        "exclude",
        "extend-exclude",
        "respect-gitignore",
        "known-images",
        "rules",
        "workloads",
    }
    report = lint_json(str(tmp_path))
    jsonschema.validate(report, REPORT_SCHEMA)
    seen = {
        (Path(f["path"]).resolve().relative_to(tmp_path.resolve()).parts[0], f["code"], f["workload"]): f
        for f in report["findings"]
    }
    folders = {folder for folder, _, _ in seen}
    assert (
        "vendor" not in folders and "docker-compose.generated.yml" not in folders
    )  # exclude, extend-exclude
    assert not any(key[:2] == ("build", "CL103") for key in seen)  # ignore
    assert seen[("deploy", "CL101", "legacy-vpn")]["suppressed"]["kind"] == "config"  # workloads
    assert seen[("deploy", "CL309", "legacy-vpn")]["suppressed"]["reason"].startswith("WireGuard")
    assert seen[("deploy", "CL101", "web")]["suppressed"] is None
    assert seen[("examples", "CL201", "demo")]["severity"] == "warning"  # CL2: warning
    assert not any(
        key[:2] in (("examples", "CL101"), ("examples", "CL202")) for key in seen
    )  # per-file-ignores
    assert ("api", "CL203", "api") in seen  # known-images
    assert ("web", "CL209", "web") not in seen  # wide-port-range max 200
    assert seen[("web", "CL213", "web")]["severity"] == "info"  # name beats prefix
    assert any(code not in default for _, code, _ in seen)  # select: [ALL] turns on opt-in rules


def test_a_long_bracketed_line_in_pyproject_is_read(tmp_path: Path):
    """A valid pyproject.toml whose multi-line string holds a line `[` and 200,000 blanks: finding
    the positions of table headers must not backtrack over the blanks (that took minutes; the time
    is checked by `python bench/hostile.py 23`)."""
    text = '[tool.composelint]\nselect = "ALL"\n[tool.other]\nnote = """\n[' + " " * 200_000 + '\n"""\n'
    write(tmp_path, {"compose.yaml": ALL_INTERFACES, "pyproject.toml": text})
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2 and "pyproject.toml:2:1: select: expected a list" in result.stderr
