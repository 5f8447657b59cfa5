"""Every rule has positive and negative fixtures under fixtures/rules/<CODE>/.

A fixture marks each expected finding of its rule with a trailing comment
`# expect: CODE@COLUMN[:severity]` on the line where it must be reported.
`positive*` files must expect at least one finding, `negative*` files none;
the findings of that rule must match the expectations exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, expectations, findings

CASES = sorted((FIXTURES / "rules").glob("CL*/*"))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_fixture(path: Path):
    code = path.parent.name
    expected = {e for e in expectations(path) if e[0] == code}
    if path.name.startswith("positive"):
        assert expected, f"{path} expects no {code} finding"
    elif path.name.startswith("negative"):
        assert not expected, f"{path} is a negative fixture but expects findings"
    actual = [f for f in findings("--extend-select", code, str(path)) if f[0] == code]
    assert {(c, line, col) for c, line, col, _ in actual} == {(c, line, col) for c, line, col, _ in expected}
    for c, line, col, severity in expected:
        if severity:
            assert (c, line, col, severity) in actual, f"{c} at {line}:{col} should be {severity}"


def test_every_rule_has_positive_and_negative_fixtures():
    from composelint.rules import all_rules

    missing = []
    for code in all_rules():
        names = [p.name for p in (FIXTURES / "rules" / code).glob("*")]
        # CL009 reports composelint's own bugs: no input is meant to trigger it (test_hostile.py
        # injects a failure instead).
        positive = code == "CL009" or any(n.startswith("positive") for n in names)
        if not positive or not any(n.startswith("negative") for n in names):
            missing.append(code)
    assert not missing, f"rules without positive and negative fixtures: {missing}"


def test_no_rule_finds_anything_in_a_project_that_holds_nothing():
    """The engine skips such a project (a Markdown file or CI job without container commands)
    without running the rules: none of them may report anything there, whatever its files say."""
    from dataclasses import replace

    from composelint.model import Project, SourceFile
    from composelint.rules import all_rules
    from composelint.sources.kinds import COMPOSE, FRONT_ENDS, SET_FRONT_ENDS

    text = "services:\n  web:\n    network_mode: host\n# docker run --privileged --net=host x\n"
    kinds = [COMPOSE, *FRONT_ENDS, *SET_FRONT_ENDS]
    project = Project("empty", sources=[SourceFile(f"file.{kind}", "base", kind, text) for kind in kinds])
    project.ephemeral_host = True
    assert project.holds_nothing()
    rules = all_rules()
    checked = replace(project, selected_rules=frozenset(rules))
    found = {code: list(rule.run(checked)) for code, rule in rules.items()}
    assert {code: findings for code, findings in found.items() if findings} == {}


def _lasting_hosts_only() -> list[str]:
    from composelint.rules import all_rules

    return [code for code, rule in all_rules().items() if rule.lasting_hosts_only]


@pytest.mark.parametrize("code", _lasting_hosts_only())
def test_a_rule_for_lasting_hosts_says_nothing_on_an_ephemeral_host(code: str):
    """The engine gives a rule declared `lasting_hosts_only` no workload of a CI job's ephemeral
    host: its positive fixtures report there only on containers started against another daemon."""
    from dataclasses import replace

    from composelint.app import Request, load_projects
    from composelint.engine import lint_project
    from composelint.rules import all_rules

    rule = all_rules()[code]
    reported, ephemeral, remote = [], [], set()
    for path in sorted((FIXTURES / "rules" / code).glob("positive*")):
        for project in load_projects(Request(paths=(str(path),))):
            reported += lint_project(project, [rule])
            ephemeral += lint_project(replace(project, ephemeral_host=True), [rule])
            remote.update(workload.name for workload in project.workloads if workload.remote)
    assert reported, f"{code}'s positive fixtures report nothing"
    assert {item.finding.workload for item in ephemeral} <= remote


def test_the_readme_names_the_rules_for_lasting_hosts():
    """README's *Ephemeral CI hosts* lists the host-isolation rules: the rules declared
    `lasting_hosts_only`."""
    import re

    from conftest import ROOT

    section = (ROOT / "README.md").read_text(encoding="utf-8").split("#### Ephemeral CI hosts", 1)[1]
    named = section.split("the host-isolation rules", 1)[1].split("the published-port rules", 1)[0]
    codes = set()
    for first, last in re.findall(r"CL(\d{3})(?:-CL(\d{3}))?", named):
        codes.update(f"CL{n}" for n in range(int(first), int(last or first) + 1))
    assert codes == set(_lasting_hosts_only())
