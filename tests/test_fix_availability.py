"""Each rule declares its fixes (`@rule(..., fix=, fix_always=)`) and its page says so: the
declaration is held to what the rules produce on every rule fixture and every fix fixture."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import FIXTURES, lint_json, run_cli

from composelint.rules import all_rules

FILES = sorted(FIXTURES.glob("rules/CL*/*")) + sorted(FIXTURES.glob("fixes/CL*/*"))


@pytest.fixture(scope="module")
def produced() -> dict[str, list[str | None]]:
    """Rule code -> the applicability of the fix of each of its findings (None: no fix)."""
    fixes = defaultdict(list)
    for path in FILES:
        for finding in lint_json("--select", "ALL", str(path))["findings"]:
            fixes[finding["code"]].append((finding.get("fix") or {}).get("applicability"))
    return fixes


def test_fixes_have_the_declared_applicability(produced):
    rules = all_rules()
    wrong = {
        code: sorted({str(a) for a in kinds if a is not None})
        for code, kinds in produced.items()
        if {a for a in kinds if a is not None} - {rules[code].fix}
    }
    assert not wrong, f"fixes the rule does not declare: {wrong}"


def test_a_rule_declared_always_fixable_fixes_every_finding(produced):
    unfixed = [code for code, rule in all_rules().items() if rule.fix_always and None in produced[code]]
    assert not unfixed


def test_every_declared_fix_is_produced_by_a_fixture(produced):
    """A declaration that no fixture exercises is either stale or untested."""
    unseen = [code for code, rule in all_rules().items() if rule.fix and rule.fix not in produced[code]]
    assert not unseen


def test_a_declaration_the_fix_model_does_not_know_is_refused():
    from composelint.rules.base import rule

    with pytest.raises(ValueError, match="fix is"):
        rule("CL999", "x", "info", "meta", fix="maybe")(lambda project: ())
    with pytest.raises(ValueError, match="fix_always"):
        rule("CL999", "x", "info", "meta", fix_always=True)(lambda project: ())


@pytest.mark.parametrize(
    ("code", "line", "table_cell"),
    [
        ("CL208", "Fix is always available (safe: `--fix` applies it).", "| safe (always) |"),
        (
            "CL101",
            "Fix is sometimes available (unsafe: `--fix --unsafe-fixes` applies it).",
            "| unsafe (sometimes) |",
        ),
        ("CL503", "No fix is available.", "| — |"),
    ],
)
def test_the_rule_page_says_whether_there_is_a_fix(code, line, table_cell):
    assert line in run_cli("rule", code).stdout.splitlines()
    assert line in run_cli("rule", code, "--output-format", "markdown").stdout.splitlines()
    (row,) = [
        r for r in run_cli("rules", "--output-format", "markdown").stdout.splitlines() if f"| {code} |" in r
    ]
    assert table_cell in row
    fix = json.loads(run_cli("rule", code, "--output-format", "json").stdout)["fix"]
    rule = all_rules()[code]
    assert fix == {
        "applicability": rule.fix,
        "availability": "always" if rule.fix_always else "sometimes" if rule.fix else "none",
    }
