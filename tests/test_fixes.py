"""Fixes: `--fix`, `--unsafe-fixes`, `--diff`, `--show-fixes`, through the real CLI on real files.

Every fix has a fixture pair under fixtures/fixes/<CODE>/: `NAME.before.EXT` fixed with
`--fix --unsafe-fixes --select CODE` must give `NAME.after.EXT` byte for byte, and the after file
must have no finding of that rule and no finding the before file did not have.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED, findings, lint_json, run_cli, write
from ruamel.yaml import YAML

from composelint.app import Request, fix
from composelint.config import Overrides
from composelint.fixes import FixError, write_fixed

PAIRS = sorted((FIXTURES / "fixes").glob("CL*/*.before.*"))


def _after(before: Path) -> Path:
    return before.with_name(before.name.replace(".before.", ".after."))


def _target(before: Path, directory: Path) -> Path:
    """Where a fixture is copied to be fixed: a name that is read as its kind."""
    name = "compose.yaml" if before.suffix in (".yaml", ".yml") else "run" + before.suffix
    target = directory / name
    target.write_bytes(before.read_bytes())
    return target


@pytest.mark.parametrize("before", PAIRS, ids=[f"{p.parent.name}/{p.name}" for p in PAIRS])
def test_fix_gives_the_after_file(before: Path, tmp_path):
    code = before.parent.name
    target = _target(before, tmp_path)
    result = run_cli("check", "--fix", "--unsafe-fixes", "--select", code, str(target))
    assert result.exit_code in (0, 1), result.output
    assert target.read_text(encoding="utf-8") == _after(before).read_text(encoding="utf-8")
    assert " fixed, " in result.stderr and not result.stderr.startswith("composelint: 0 fixed")
    # The after file: no finding of the rule, and nothing the before file did not have.
    after = Counter(f[0] for f in findings("--extend-select", code, str(target)))
    target.write_bytes(before.read_bytes())
    earlier = Counter(f[0] for f in findings("--extend-select", code, str(target)))
    assert code in earlier and code not in after
    assert not after - earlier, f"new findings after the fix: {after - earlier}"


@pytest.mark.parametrize("before", PAIRS, ids=[f"{p.parent.name}/{p.name}" for p in PAIRS])
def test_fix_twice_changes_nothing(before: Path, tmp_path):
    target = _target(before, tmp_path)
    run_cli("check", "--fix", "--unsafe-fixes", str(target))
    once = target.read_bytes()
    second = run_cli("check", "--fix", "--unsafe-fixes", str(target))
    assert target.read_bytes() == once
    assert second.stderr.startswith("composelint: 0 fixed")
    assert run_cli("check", "--diff", "--unsafe-fixes", str(target)).exit_code == 0


def test_safe_fixes_only_without_unsafe_fixes(tmp_path):
    target = write(
        tmp_path, {"compose.yaml": "services:\n  db:\n    image: postgres:17\n    ports:\n      - 2222:22\n"}
    )
    result = run_cli("check", "--extend-select", "CL208", "--fix", str(target / "compose.yaml"))
    assert '- "2222:22"' in (target / "compose.yaml").read_text()  # CL208, safe
    assert "1 fixed, " in result.stderr


def test_diff_prints_and_does_not_write(tmp_path):
    before = FIXTURES / "fixes" / "CL208" / "ports.before.yaml"
    target = _target(before, tmp_path)
    result = run_cli("check", "--extend-select", "CL208", "--diff", str(target))
    assert result.exit_code == 1
    assert target.read_bytes() == before.read_bytes()
    assert f"--- {target}\n+++ {target}\n" in result.stdout
    assert "-      - 22:22\n" in result.stdout and '+      - "22:22"\n' in result.stdout
    assert "would fix 3 findings" in result.stderr


def test_show_fixes_lists_them_per_file(tmp_path):
    target = _target(FIXTURES / "fixes" / "CL201" / "host_mode.before.yaml", tmp_path)
    result = run_cli("check", "--fix", "--show-fixes", str(target))
    assert f"Fixed in {target}:\n  4 x CL201 (ports-discarded-host-network)\n" in result.stderr


def test_stdin_is_fixed_to_stdout_with_a_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (FIXTURES / "fixes" / "CL208" / "ports.before.yaml").read_text(encoding="utf-8")
    result = run_cli(
        "check", "--extend-select", "CL208", "--fix", "--stdin-filename", "compose.yaml", "-", input=text
    )
    assert result.stdout == (FIXTURES / "fixes" / "CL208" / "ports.after.yaml").read_text(encoding="utf-8")
    assert "compose.yaml:" in result.stderr  # the report of what remains
    assert not (tmp_path / "compose.yaml").exists()
    refused = run_cli("check", "--fix", "-", input=text)
    assert refused.exit_code == 2 and "--stdin-filename" in refused.stderr


def test_crlf_bom_and_permissions_are_kept(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_bytes(
        b"\xef\xbb\xbfservices:\r\n  db:\r\n    image: postgres:17\r\n    ports:\r\n      - 127.0.0.1:5432:5432\r\n"
        b"    network_mode: host\r\n"
    )
    os.chmod(compose, 0o640)
    run_cli("check", "--fix", str(compose))
    assert (
        compose.read_bytes()
        == b"\xef\xbb\xbfservices:\r\n  db:\r\n    image: postgres:17\r\n    network_mode: host\r\n"
    )
    assert stat.S_IMODE(compose.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_the_owner_is_kept_when_root_fixes_a_users_file(tmp_path):
    compose = write(
        tmp_path, {"compose.yaml": "services:\n  db:\n    image: postgres:17\n    ports:\n      - 22:22\n"}
    )
    os.chown(compose / "compose.yaml", 4321, 4321)
    run_cli("check", "--extend-select", "CL208", "--fix", str(compose / "compose.yaml"))
    info = (compose / "compose.yaml").stat()
    assert (info.st_uid, info.st_gid) == (4321, 4321)
    assert '"22:22"' in (compose / "compose.yaml").read_text(encoding="utf-8")


def test_utf16_file_is_written_back_as_utf16(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_bytes(
        "services:\n  db:\n    image: postgres:17\n    ports:\n      - 22:22\n".encode("utf-16")
    )
    run_cli("check", "--fix", "--select", "CL208", str(compose))
    assert (
        compose.read_bytes().decode("utf-16")
        == 'services:\n  db:\n    image: postgres:17\n    ports:\n      - "22:22"\n'
    )


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_text("services: {}\n", encoding="utf-8")
    with pytest.raises(FixError, match="changed after it was read"):
        write_fixed(str(compose), "services:\n", "services: {}\n")
    assert compose.read_text(encoding="utf-8") == "services: {}\n"


def test_files_outside_the_project_root_are_not_fixed(tmp_path):
    shared = "services:\n  db:\n    image: postgres:17\n    ports:\n      - 22:22\n"
    write(tmp_path, {"shared.yaml": shared, "app/compose.yaml": "include:\n  - ../shared.yaml\n"})
    result = run_cli(
        "check",
        "--extend-select",
        "CL208",
        "--fix",
        "--allow-outside-root",
        str(tmp_path / "app" / "compose.yaml"),
    )
    assert (tmp_path / "shared.yaml").read_text(encoding="utf-8") == shared
    assert "0 fixed" in result.stderr
    inside = write(
        tmp_path / "inside", {"shared.yaml": shared, "compose.yaml": "include:\n  - shared.yaml\n"}
    )
    run_cli("check", "--extend-select", "CL208", "--fix", str(inside / "compose.yaml"))
    assert '"22:22"' in (inside / "shared.yaml").read_text(encoding="utf-8")


def test_a_fix_that_would_break_the_file_is_undone(tmp_path, monkeypatch):
    """The round is undone for the file it would make invalid (here a rule whose fix writes a
    duplicate key), and the file is left as it was."""
    from dataclasses import replace

    from composelint.rules import all_rules
    from composelint.rules.base import REGISTRY
    from composelint.types import Edit, Fix

    rule = all_rules()["CL208"]

    def duplicating(project):
        for finding in rule.check(project):
            broken = Edit(finding.span._replace(column=1, end_column=1), "    image: twice\n")
            yield replace(finding, fix=Fix("safe", "breaks the file", (broken,)))

    monkeypatch.setitem(REGISTRY, "CL208", replace(rule, check=duplicating))
    text = "services:\n  db:\n    image: postgres:17\n    ports:\n      - 2222:22\n"
    target = write(tmp_path, {"compose.yaml": text}) / "compose.yaml"
    result = run_cli("check", "--fix", "--select", "CL208", str(target))
    assert target.read_text(encoding="utf-8") == text
    assert "fixes not applied: they would make the file invalid" in result.stderr
    assert "0 fixed, 1 remaining" in result.stderr


def test_no_fix_edits_what_other_services_share(tmp_path):
    """A setting written in an anchor (or a service another extends) is shared: fixing one
    service's finding there would change the others, so there is no fix."""
    text = (
        'x-ports: &ports\n  - "8080:80"\nx-base: &base\n  privileged: true\n'
        "services:\n  web:\n    image: nginx:1.27\n    ports: *ports\n"
        "  api:\n    <<: *base\n    image: ghcr.io/example/api:2.3.1\n"
    )
    target = write(tmp_path, {"compose.yaml": text}) / "compose.yaml"
    report = lint_json(str(target))
    by_code = {f["code"]: f for f in report["findings"]}
    assert by_code["CL202"]["fix"] is None and by_code["CL301"]["fix"] is None
    run_cli("check", "--fix", "--unsafe-fixes", "--select", "CL202,CL301", str(target))
    assert target.read_text(encoding="utf-8") == text


def test_python_api_computes_the_fixes_without_writing(tmp_path):
    import composelint

    text = "services:\n  db:\n    image: postgres:17\n    ports:\n      - 2222:22\n"
    target = write(tmp_path, {"compose.yaml": text}) / "compose.yaml"
    fixed = composelint.fix(composelint.Request(paths=(str(target),)), unsafe=True)
    ((before, after),) = fixed.changes.values()
    assert before == text == target.read_text(encoding="utf-8")
    assert after.endswith("      - 127.0.0.1:2222:22\n")  # no longer base-60: no quotes needed
    assert {item.rule.code for item in fixed.applied} == {"CL202"}  # the unsafe fix went first
    assert not [item for item in fixed.result.findings if item.rule.code in ("CL202", "CL208")]


def test_concise_and_full_mark_fixable_findings(tmp_path):
    target = write(
        tmp_path, {"compose.yaml": "services:\n  db:\n    image: postgres:17\n    ports:\n      - 22:22\n"}
    )
    concise = run_cli("check", "--extend-select", "CL208", "--output-format", "concise", str(target)).stdout
    assert "CL208 [warning] [*] Port `22:22`" in concise
    full = run_cli("check", "--extend-select", "CL208", "--output-format", "full", str(target)).stdout
    assert "  = fix (safe, --fix): Quote `22:22`" in full
    assert "1 fixable with --fix." in full


def test_json_and_sarif_carry_multi_line_edits(tmp_path):
    import jsonschema
    from test_report_formats import SARIF_SCHEMA

    target = _target(FIXTURES / "fixes" / "CL201" / "host_mode.before.yaml", tmp_path)
    report = lint_json(str(target))
    (removal,) = {
        json.dumps(f["fix"])
        for f in report["findings"]
        if f["code"] == "CL201" and f["workload"] == "web" and "ports" in f["fix"]["message"]
    }
    fix_object = json.loads(removal)
    assert fix_object["applicability"] == "safe"
    assert fix_object["edits"] == [
        {"range": {"start": {"line": 6, "column": 1}, "end": {"line": 12, "column": 1}}, "text": ""}
    ]
    log = json.loads(run_cli("check", "--output-format", "sarif", str(target)).stdout)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    replacements = [
        change["replacements"]
        for result in log["runs"][0]["results"]
        for fix_entry in result.get("fixes", [])
        for change in fix_entry["artifactChanges"]
    ]
    assert {"startLine": 6, "startColumn": 1, "endLine": 12, "endColumn": 1} in [
        r["deletedRegion"] for rs in replacements for r in rs
    ]


# --- Every fix on a sample of real compose files -----------------------------------------------

CORPUS = SHARED / "corpus" / "compose"
SAMPLE_EVERY = 80  # about 35 of the ~2,750 files; 1 runs the whole corpus (2 minutes)
# The keys a fix may change besides the one its finding names (a finding's `field` starts with
# the service's key: `ports[...]`, `security_opt[seccomp]`, `read_only`); `/` marks a top-level key.
ALSO_FIXED = {"CL101": ("ports",), "CL106": ("/networks",), "CL201": ("ports", "expose")}


def _corpus_sample() -> list[Path]:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    return files[::SAMPLE_EVERY]


def _without(value, paths: set[tuple[str, ...]]):
    """A compose document without the keys at `paths` (("networks",) or ("services", NAME, KEY))."""
    if not isinstance(value, dict):
        return value
    trimmed = {k: v for k, v in value.items() if (k,) not in paths}
    services = trimmed.get("services")
    if isinstance(services, dict):
        trimmed["services"] = {
            name: {k: v for k, v in service.items() if ("services", name, k) not in paths}
            if isinstance(service, dict)
            else service
            for name, service in services.items()
        }
    return trimmed


def test_fixes_on_real_files_keep_everything_else(shared, tmp_path):
    yaml = YAML(typ="safe", pure=True)
    applied_total = Counter()
    for number, source in enumerate(_corpus_sample()):
        directory = tmp_path / str(number)
        directory.mkdir()
        target = directory / "compose.yaml"
        target.write_bytes(source.read_bytes())
        try:
            original = yaml.load(source.read_text(encoding="utf-8"))
        except Exception:
            continue  # not YAML: nothing to compare
        overrides = Overrides(extend_select=("CL601", "CL602", "CL603"))
        fixed = fix(Request(paths=(str(target),), isolated=True, overrides=overrides), unsafe=True)
        if not fixed.changes:
            continue
        ((_, text),) = fixed.changes.values()
        changed = yaml.load(text)
        touched: set[tuple[str, ...]] = set()
        for item in fixed.applied:
            applied_total[item.rule.code] += 1
            assert item.finding.fix is not None and item.finding.fix.applicability == item.rule.fix, item
            for key in (re.split(r"[\[.]", item.finding.field)[0], *ALSO_FIXED.get(item.rule.code, ())):
                touched.add(
                    (key[1:],) if key.startswith("/") else ("services", item.finding.workload or "", key)
                )
        assert _without(changed, touched) == _without(original, touched), source
        remaining = {(r.rule.code, r.finding.workload, r.finding.field) for r in fixed.result.findings}
        claimed = {(r.rule.code, r.finding.workload, r.finding.field) for r in fixed.applied}
        assert not remaining & claimed, (source, remaining & claimed)
    assert len(applied_total) >= 5, f"the sample exercises few fixes: {applied_total}"
