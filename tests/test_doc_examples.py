"""Each rule's documented example is linted: "Example" must trigger the rule,
"Use instead" must not."""

from __future__ import annotations

import re

import pytest

from composelint.rules import all_rules
from conftest import findings

RULES = list(all_rules().values())
_BLOCK = re.compile(r"## (?P<section>Example|Use instead)\n(?:.*?\n)*?```yaml\n(?P<body>.*?)```", re.S)


def _examples(doc: str) -> dict[str, str]:
    return {m["section"]: m["body"] for m in _BLOCK.finditer(doc)}


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_documented_example(rule):
    examples = _examples(rule.doc)
    assert set(examples) == {"Example", "Use instead"}, f"{rule.code} documents no yaml Example / Use instead"
    # Suppression rules judge comments about other rules, so those must run too.
    option = "--extend-select" if rule.group == "meta" else "--select"
    bad = findings(option, rule.code, "--stdin-filename", "compose.yaml", "-", input=examples["Example"])
    assert any(code == rule.code for code, *_ in bad), f"{rule.code} does not fire on its own example"
    good = findings(option, rule.code, "--stdin-filename", "compose.yaml", "-", input=examples["Use instead"])
    assert not any(code == rule.code for code, *_ in good), f"{rule.code} fires on its 'Use instead' example"
