"""The Markdown summary of a run for `$GITHUB_STEP_SUMMARY` (`--summary PATH`, and automatically
under GitHub Actions with the `github` format): the `markdown` report (counts per severity, the
findings most severe first, each linked to its rule), the count per rule, and the picture of each
project that has findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from composelint.engine import LintResult
from composelint.model import Project
from composelint.report.markdown import escape, render_markdown
from composelint.report.mermaid import render_mermaid
from composelint.report.picture import pictures


def render_github_summary(result: LintResult, projects: Sequence[Project]) -> str:
    lines = [render_markdown(result).rstrip()]
    active = result.active
    if not active:
        return lines[0] + "\n"
    urls = {item.rule.code: (item.rule.name, item.url) for item in active}
    counts = Counter(item.rule.code for item in active)
    lines += ["", "| rule | findings |", "|---|---:|"]
    lines += [
        f"| [{code} {urls[code][0]}]({urls[code][1]}) | {count} |"
        for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    for picture in pictures(projects, result.reported):
        if picture.marks:
            lines += [
                "",
                f"#### {escape(picture.title)}",
                "",
                "```mermaid",
                render_mermaid([picture]).rstrip(),
                "```",
            ]
    return "\n".join(lines) + "\n"
