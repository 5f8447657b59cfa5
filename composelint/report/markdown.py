"""`markdown`: a GitHub-flavoured Markdown table, for a job summary or a pull-request comment.

The summary line, then one row per unsuppressed finding (severity, location, rule linked to its
page, message), most severe first; at most `MAX_ROWS` rows, so a summary stays far below GitHub's
1 MiB limit.  Text from the linted files is escaped: it cannot close the table or add markup.
"""

from __future__ import annotations

from composelint.engine import LintResult
from composelint.report.common import repo_path, report_root
from composelint.report.summary import summary_line

MAX_ROWS = 200
_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()<>#+!|~"} | {"\n": " ", "\r": " "})


def escape(text: str) -> str:
    return text.translate(_SPECIAL)


def render_markdown(result: LintResult) -> str:
    root = report_root()
    lines = ["### composelint", "", *summary_line(result).splitlines()]
    active = sorted(result.active, key=lambda item: item.severity.rank)
    if active:
        lines += ["", "| severity | location | rule | message |", "|---|---|---|---|"]
        for item in active[:MAX_ROWS]:
            span = item.finding.span
            where = escape(f"{repo_path(span.path, root)}:{span.line}:{span.column}")
            rule = f"[{item.rule.code} {item.rule.name}]({item.url})"
            lines.append(f"| {item.severity} | {where} | {rule} | {escape(item.finding.message)} |")
        if len(active) > MAX_ROWS:
            lines += ["", f"… and {len(active) - MAX_ROWS} more (see the annotations or the SARIF report)."]
    return "\n".join(lines) + "\n"
