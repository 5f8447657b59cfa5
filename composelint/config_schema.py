"""The rule vocabulary of the configuration schema, generated from the rule registry.

`$defs.rule` enumerates every rule code and name, `$defs.selector` adds the groups, `ALL` and
code prefixes, so an editor completes and checks them in `.composelint.yaml`.
`python -m composelint.config_schema` rewrites both in schemas/composelint-config.schema.json;
a test fails when they fall behind the registry.  composelint itself checks selectors against
the catalog (case-insensitively, with a suggestion), so it reads the schema without them
(`config._validator`).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from composelint.rules import all_rules

SCHEMA_FILE = "data/composelint-config.schema.json"
PREFIX = "^CL[0-9]{0,2}$"  # a code prefix: CL, CL1, CL10


def rule_defs() -> dict[str, dict]:
    rules = list(all_rules().values())
    groups = sorted({rule.group for rule in rules})
    return {
        "rule": {
            "description": "A rule, by code or name.",
            "enum": [rule.code for rule in rules] + [rule.name for rule in rules],
        },
        "selector": {
            "description": "A rule code or name, a code prefix (CL2), a group, or ALL.",
            "anyOf": [
                {"$ref": "#/$defs/rule"},
                {"enum": [*groups, "ALL"]},
                {"type": "string", "pattern": PREFIX},
            ],
        },
    }


def main() -> None:
    path = Path(str(resources.files("composelint").joinpath(SCHEMA_FILE))).resolve()
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["$defs"].update(rule_defs())
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
