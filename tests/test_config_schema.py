"""The configuration schema as editors use it: rule codes and names are an enum generated from the
rule registry (kept current here), selectors accept every spelling composelint accepts, the README's
example is valid, and `$schema` may name the schema's URL."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import ROOT, run_cli
from ruamel.yaml import YAML

from composelint.config_schema import rule_defs
from composelint.rules import all_rules

SCHEMA = json.loads((ROOT / "schemas" / "composelint-config.schema.json").read_text(encoding="utf-8"))
EDITOR = jsonschema.Draft202012Validator(SCHEMA)


def test_rule_enum_is_generated_from_the_registry():
    current = {name: SCHEMA["$defs"][name] for name in rule_defs()}
    assert current == rule_defs(), (
        "the schema's rule enum is stale: run `python -m composelint.config_schema`"
    )
    rules = all_rules().values()
    assert set(SCHEMA["$defs"]["rule"]["enum"]) == {r.code for r in rules} | {r.name for r in rules}


def test_readme_example_is_valid_for_editors():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n# \.composelint\.yaml\n(.*?)```", readme, re.S).group(1)
    EDITOR.validate(YAML(typ="safe").load(example))


@pytest.mark.parametrize("selector", ["CL101", "host-network", "CL2", "CL", "network", "hardening", "ALL"])
def test_every_selector_spelling_is_valid(selector):
    EDITOR.validate(
        {"select": [selector], "severity": {selector: "info"}, "per-file-ignores": {"a/**": [selector]}}
    )


@pytest.mark.parametrize(
    "config",
    [
        {"select": ["CL999"]},
        {"ignore": ["host-netwrk"]},
        {"severity": {"CL1234": "info"}},
        {"rules": {"nope": {}}},
    ],
)
def test_editors_flag_a_rule_that_does_not_exist(config):
    assert list(EDITOR.iter_errors(config))


def test_schema_key_names_the_schema_on_the_site(tmp_path):
    (tmp_path / ".composelint.yaml").write_text(f"$schema: {SCHEMA['$id']}\nselect: [host-network]\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
    )
    result = run_cli("check", "--output-format", "concise", str(tmp_path))
    assert result.exit_code == 1 and "CL101" in result.stdout
