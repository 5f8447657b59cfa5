"""Rule documentation from the rule metadata: `composelint rule`, SARIF help and the site's rule
pages (composelint.site writes them)."""

from __future__ import annotations

import json

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


def rule_text(rule: Rule, url: str | None = None) -> str:
    """The rule's page as plain text, ending with its URL (default: on the project's site)."""
    return rule_markdown(rule) + f"\nDocs: {url or rule.url}\n"


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
