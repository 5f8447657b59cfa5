"""The pages of the documentation site (mkdocs.yml, docs/) that are generated from the code.

One page per rule and the rule index (rules/, from the rule metadata), the command-line reference
(reference/cli.md, from the command-line parsers) and the configuration reference
(reference/configuration.md, from the configuration schema).  docs/hooks.py adds them when the
site is built; tests/test_site.py builds it and follows every documentation URL the tool prints.
"""

from __future__ import annotations

import json
from argparse import RawDescriptionHelpFormatter
from functools import partial
from importlib import resources
from typing import Any

from composelint.cli import COMMANDS, command_parser, root_parser
from composelint.docs import rule_markdown, rules_table
from composelint.rules import all_rules
from composelint.rules.base import Rule


def rule_page_path(rule: Rule) -> str:
    """The page of a rule, relative to docs/: its URL path is `rules/NAME/`, as `Rule.url` prints."""
    return f"rules/{rule.name}.md"


def rules_index(rules: list[Rule]) -> str:
    table = rules_table(rules).splitlines()
    linked = [
        line.replace(f"| `{rule.name}` |", f"| [`{rule.name}`]({rule.name}.md) |", 1)
        for line, rule in zip(table[2:], rules, strict=True)
    ]
    return (
        "# Rules\n\nEvery rule with its code, name, default severity, group and fix (safe or unsafe, always "
        "or sometimes available). Select rules by code, code prefix, name, group or `ALL` ([configuration](../reference/configuration.md)).\n\n"
        + "\n".join(table[:2] + linked)
        + "\n"
    )


# ---------------------------------------------------------------- configuration reference


def config_schema() -> dict[str, Any]:
    text = resources.files("composelint").joinpath("data/composelint-config.schema.json").read_text("utf-8")
    return json.loads(text)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        reference = node["$ref"].removeprefix("#/$defs/")
        node = {**schema["$defs"][reference], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _type_text(schema: dict[str, Any], node: dict[str, Any]) -> str:
    node = _resolve(schema, node)
    if "description" in node and ("anyOf" in node or len(node.get("enum", ())) > 8):  # rule, selector
        return node["description"].rstrip(".")[0].lower() + node["description"].rstrip(".")[1:]
    if "enum" in node:
        values = node["enum"]
        return "one of " + ", ".join(f"`{value}`" for value in values)
    kind = node.get("type", "any")
    if kind == "array":
        return f"list of {_type_text(schema, node.get('items', {}))}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"mapping to {_type_text(schema, node['additionalProperties'])}"
    return str(kind)


def configuration_reference() -> str:
    schema = config_schema()
    lines = [
        "# Configuration reference",
        "",
        schema["description"],
        "",
        "Editors complete and check the file with the JSON schema "
        f"[`composelint-config.schema.json`](../schemas/composelint-config.schema.json) (`$schema: {schema['$id']}`).",
        "",
        "## Keys",
    ]
    for key, node in schema["properties"].items():
        resolved = _resolve(schema, node)
        lines += ["", f"### `{key}`", "", f"Type: {_type_text(schema, node)}.", ""]
        lines.append(resolved.get("description", ""))
    lines += ["", "## Rule options", "", "Under `rules:`, keyed by rule code or name."]
    for rule in all_rules().values():
        if rule.options:
            lines += ["", f"### [{rule.code} {rule.name}](../rules/{rule.name}.md)", ""]
            option_schema = _resolve(schema, schema["properties"]["rules"]["properties"].get(rule.code, {}))
            for option, default in rule.options.items():
                description = option_schema.get("properties", {}).get(option, {}).get("description", "")
                lines.append(f"- `{option}` (default `{json.dumps(default)}`): {description}".rstrip(": "))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- command-line reference


def cli_reference() -> str:
    root = root_parser()
    lines = [
        "# Command-line reference",
        "",
        root.description or "",
        "",
        "Exit codes: 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 the linter could "
        "not do its job (usage, unreadable path, invalid configuration).",
    ]
    for name in COMMANDS:
        parser = command_parser(name)
        # A fixed width, so the page does not depend on the terminal that generates it.
        parser.formatter_class = partial(RawDescriptionHelpFormatter, width=100)
        lines += ["", f"## `composelint {name}`", "", "```text", parser.format_help().rstrip(), "```"]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """Path relative to docs/ -> content of every generated page."""
    rules = list(all_rules().values())
    generated = {"rules/index.md": rules_index(rules)}
    generated.update({rule_page_path(rule): rule_markdown(rule) for rule in rules})
    generated["reference/cli.md"] = cli_reference()
    generated["reference/configuration.md"] = configuration_reference()
    return generated
