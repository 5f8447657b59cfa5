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
