"""`grouped`: findings under a header per file (ruff's `grouped`), then the summary line."""

from __future__ import annotations

from itertools import groupby

from composelint.engine import LintResult
from composelint.report.summary import summary_line


def render_grouped(result: LintResult) -> str:
    out = []
    for path, items in groupby(result.active, key=lambda item: item.finding.span.path):
        out.append(f"{path}:")
        for item in items:
            span = item.finding.span
            out.append(
                f"  {span.line}:{span.column} {item.rule.code} {item.severity}: {item.finding.message}"
            )
        out.append("")
    out.append(summary_line(result))
    return "\n".join(out) + "\n"
