"""`concise`: one line per finding, `path:line:col: CODE [severity] message`."""

from __future__ import annotations

from composelint.engine import LintResult


def render_concise(result: LintResult) -> str:
    lines = []
    for item in result.active:
        span = item.finding.span
        lines.append(
            f"{span.path}:{span.line}:{span.column}: {item.rule.code} [{item.severity}] {item.finding.message}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
