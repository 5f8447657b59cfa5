"""Rule documentation from the rule metadata: `composelint rule` and docs/rules/*.md.

`python -m composelint.docs [DIR]` writes one Markdown page per rule and an
index (default DIR: docs/rules); a test keeps the committed pages current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from composelint.rules import all_rules
from composelint.rules.base import Rule


def rule_markdown(rule: Rule) -> str:
    default = "on by default" if rule.default_on else "opt-in (select it by code, name, group or `ALL`)"
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"Severity: **{rule.severity}**. Group: `{rule.group}`. {default.capitalize()}.",
        "",
        rule.doc.strip(),
    ]
    if rule.references:
        lines += ["", "## References", ""] + [f"- {reference}" for reference in rule.references]
    if rule.options:
        lines += ["", "## Options", ""] + [
            f"- `{key}`: default `{value}`" for key, value in rule.options.items()
        ]
    return "\n".join(lines) + "\n"


def rule_text(rule: Rule) -> str:
    return rule_markdown(rule) + f"\nDocs: {rule.url}\n"


def rule_json(rule: Rule) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "group": rule.group,
        "default": rule.default_on,
        "summary": rule.summary,
        "references": list(rule.references),
        "options": rule.options,
        "url": rule.url,
        "doc": rule.doc,
    }


def render_rule(rule: Rule, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(rule_json(rule), indent=2) + "\n"
    if output_format == "markdown":
        return rule_markdown(rule)
    return rule_text(rule)


def rules_table(rules: list[Rule]) -> str:
    lines = ["| code | name | severity | group | default | what it reports |", "|---|---|---|---|---|---|"]
    for rule in rules:
        default = "on" if rule.default_on else "opt-in"
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity} | {rule.group} | {default} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def page_name(rule: Rule) -> str:
    return f"{rule.code}-{rule.name}.md"


def pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    rules = list(all_rules().values())
    linked = []
    for line, rule in zip(rules_table(rules).splitlines()[2:], rules, strict=False):
        linked.append(line.replace(f"| `{rule.name}` |", f"| [`{rule.name}`]({page_name(rule)}) |", 1))
    index = (
        "# composelint rules\n\nGenerated from the rule metadata by `python -m composelint.docs`.\n\n"
        + "\n".join(rules_table(rules).splitlines()[:2] + linked)
        + "\n"
    )
    generated = {"README.md": index}
    generated.update({page_name(rule): rule_markdown(rule) for rule in rules})
    return generated


def main(argv: list[str]) -> None:
    target = Path(argv[0] if argv else "docs/rules")
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("CL*.md"):
        stale.unlink()
    for name, content in pages().items():
        (target / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
