"""The Markdown summary of a run for `$GITHUB_STEP_SUMMARY` (`--summary PATH`, and automatically
under GitHub Actions with the `github` format): counts per severity and rule, the most severe
findings with links to their rules, and the picture of each project that has findings.

User text (messages, paths) is escaped: GitHub renders the summary as Markdown with HTML."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from composelint.engine import LintResult
from composelint.model import Project
from composelint.report.mermaid import render_mermaid
from composelint.report.picture import pictures
from composelint.types import Severity

TOP_FINDINGS = 20


def _plain(text: str) -> str:
    return "".join("\\" + c if c in "\\|[]*_`#<>!" else c for c in escape(text, quote=False))


def _inline(text: str) -> str:
    """Text safe on one Markdown line: no line breaks; outside `code spans` HTML and Markdown
    syntax escaped (inside them nothing is interpreted); unbalanced backticks escaped."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    parts = flat.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no code spans
        return _plain(flat)
    return "`".join(part if odd else _plain(part) for odd, part in ((i % 2, p) for i, p in enumerate(parts)))


def render_github_summary(result: LintResult, projects: Sequence[Project]) -> str:
    active = result.active
    severities = Counter(item.severity for item in active)
    files = len(result.files)
    lines = ["## composelint", ""]
    if not active:
        lines.append(f"No findings in {files} file{'s' if files != 1 else ''}.")
        return "\n".join(lines) + "\n"
    lines += ["| severity | findings |", "|---|---:|"]
    lines += [f"| {severity} | {severities[severity]} |" for severity in Severity if severities[severity]]
    rules = {item.rule.code: item.rule for item in active}
    counts = Counter(item.rule.code for item in active)
    lines += ["", "| rule | name | findings |", "|---|---|---:|"]
    lines += [
        f"| [{code}]({rules[code].url}) | {rules[code].name} | {count} |"
        for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    ordered = sorted(active, key=lambda item: item.severity.rank)[:TOP_FINDINGS]
    lines += ["", f"### Most severe findings ({len(ordered)} of {len(active)})", ""]
    for item in ordered:
        span = item.finding.span
        lines.append(
            f"- **{item.severity}** [{item.rule.code}]({item.rule.url}) "
            f"{_inline(span.path)}:{span.line}:{span.column}: {_inline(item.finding.message)}"
        )
    for picture in pictures(projects, result.reported):
        if picture.marks:
            lines += [
                "",
                f"### {_inline(picture.title)}",
                "",
                "```mermaid",
                render_mermaid([picture]).rstrip(),
                "```",
            ]
    return "\n".join(lines) + "\n"
