"""Each rule's documented example is linted: "Example" must trigger the rule,
"Use instead" must not.  A ```yaml block is linted as a compose file, a ```sh
block as a shell script."""

from __future__ import annotations

import re

import pytest
from conftest import findings

from composelint.rules import all_rules

RULES = list(all_rules().values())
_BLOCK = re.compile(
    r"## (?P<section>Example|Use instead)\n(?:.*?\n)*?```(?P<language>yaml|sh)\n(?P<body>.*?)```", re.S
)
_FILE_NAMES = {"yaml": "compose.yaml", "sh": "script.sh"}


def _examples(doc: str) -> dict[str, tuple[str, str]]:
    """section -> (file name to lint it as, text)."""
    return {m["section"]: (_FILE_NAMES[m["language"]], m["body"]) for m in _BLOCK.finditer(doc)}


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_documented_example(rule):
    if rule.code == "CL009":
        pytest.skip("an internal error has no input meant to trigger it (tests/test_hostile.py injects one)")
    examples = _examples(rule.doc)
    assert set(examples) == {"Example", "Use instead"}, (
        f"{rule.code} documents no yaml/sh Example / Use instead"
    )
    # Suppression rules judge comments about other rules, and CL005/CL008 name the selected rules
    # an unknown value leaves undecided, so those must run too.
    option = "--extend-select" if rule.group == "meta" or rule.code in ("CL005", "CL008") else "--select"
    name, text = examples["Example"]
    bad = findings(option, rule.code, "--stdin-filename", name, "-", input=text)
    assert any(code == rule.code for code, *_ in bad), f"{rule.code} does not fire on its own example"
    name, text = examples["Use instead"]
    good = findings(option, rule.code, "--stdin-filename", name, "-", input=text)
    assert not any(code == rule.code for code, *_ in good), f"{rule.code} fires on its 'Use instead' example"
