"""`github`: GitHub Actions workflow commands, one annotation per finding.

`::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`,
escaped like actions/toolkit (`escapeData` for the message, `escapeProperty`
for parameters).  `col`/`endColumn` are left out when the range spans lines
(the runner rejects them there).  Errors come first, then warnings, then
notices, because GitHub shows at most 10 annotations of each type per step;
a last plain line gives the totals.
"""

from __future__ import annotations

from composelint.engine import LintResult, Reported
from composelint.report.common import GITHUB_COMMAND, repo_path, report_root
from composelint.report.summary import summary_line


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(item: Reported, root: str | None = None) -> str:
    finding, span = item.finding, item.finding.span
    params = [("file", repo_path(span.path, root)), ("line", str(span.line))]
    if span.end_line == span.line:
        params += [
            ("col", str(span.column)),
            ("endLine", str(span.end_line)),
            ("endColumn", str(span.end_column)),
        ]
    else:
        params.append(("endLine", str(span.end_line)))
    params.append(("title", f"{item.rule.code} {item.rule.name}"))
    body = "\n".join(part for part in (finding.message, finding.help, item.url) if part)
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in params)
    return f"::{GITHUB_COMMAND[item.severity]} {joined}::{escape_data(body)}"


def render_github(result: LintResult) -> str:
    root = report_root()
    ordered = sorted(result.active, key=lambda item: item.severity.rank)
    lines = [annotation(item, root) for item in ordered]
    note = summary_line(result)
    if len(ordered) > 10:
        note += (
            " GitHub shows at most 10 annotations of each type per step; see the full report for the rest."
        )
    lines.append(note)
    return "\n".join(lines) + "\n"
