"""`concise`: one line per finding, `path:line:col: CODE [severity] message`; a finding with a fix
has `[*]` (applied by `--fix`) or `[~]` (by `--fix --unsafe-fixes`) before its message."""

from __future__ import annotations

from composelint.engine import LintResult
from composelint.report.summary import fix_mark


def render_concise(result: LintResult) -> str:
    lines = []
    for item in result.active:
        span = item.finding.span
        lines.append(
            f"{span.path}:{span.line}:{span.column}: {item.rule.code} [{item.severity}] "
            f"{fix_mark(item)}{item.finding.message}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
