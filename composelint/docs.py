"""Rule documentation from the rule metadata: `composelint rule`, SARIF help and the site's rule
pages (composelint.site writes them)."""

from __future__ import annotations

import json

from composelint.rules.base import Rule


def fix_availability(rule: Rule) -> str:
    """`always`, `sometimes` (withheld where an edit cannot be made safely: a value from a
    variable, a setting in an anchor or an extended service...) or `none`."""
    if rule.fix is None:
        return "none"
    return "always" if rule.fix_always else "sometimes"


def fix_line(rule: Rule) -> str:
    """What the rule page says about fixes, as ruff's "Fix is always available."."""
    if rule.fix is None:
        return "No fix is available."
    how = "`--fix` applies it" if rule.fix == "safe" else "`--fix --unsafe-fixes` applies it"
    return f"Fix is {fix_availability(rule)} available ({rule.fix}: {how})."


# What the page of a rule declared `lasting_hosts_only` says about CI jobs' ephemeral hosts.
EPHEMERAL_HOSTS = (
    "Not reported on a CI job's ephemeral host (a GitHub-hosted runner, GitLab Docker-in-Docker): "
    "a container reaching that VM gains nothing the job's own sudo and runtime socket do not give "
    "(README: *Ephemeral CI hosts*)."
)


def rule_markdown(rule: Rule) -> str:
    default = "on by default" if rule.default_on else "opt-in (select it by code, name, group or `ALL`)"
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"Severity: **{rule.severity}**. Group: `{rule.group}`. {default.capitalize()}.",
        "",
        fix_line(rule),
        "",
        *([EPHEMERAL_HOSTS, ""] if rule.lasting_hosts_only else []),
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
        "fix": {"applicability": rule.fix, "availability": fix_availability(rule)},
        "lasting_hosts_only": rule.lasting_hosts_only,
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
    lines = [
        "| code | name | severity | group | default | fix | what it reports |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        default = "on" if rule.default_on else "opt-in"
        fix = "—" if rule.fix is None else f"{rule.fix} ({fix_availability(rule)})"
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity} | {rule.group} | {default} | {fix} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"
