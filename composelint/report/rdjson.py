"""`rdjson` / `rdjsonl`: reviewdog Diagnostic Format (DiagnosticResult / one Diagnostic per line).

Columns count UTF-8 bytes, as reviewdog's proto requires; ranges are end
exclusive.  Fix edits become `suggestions` (reviewdog turns them into
suggested changes in pull-request reviews).
"""

from __future__ import annotations

import json

from composelint.engine import LintResult, Reported
from composelint.model import Span
from composelint.report.common import INFORMATION_URI, RDJSON_SEVERITY, TOOL_NAME, Columns

SOURCE = {"name": TOOL_NAME, "url": INFORMATION_URI}


def _range(span: Span, columns: Columns) -> dict:
    line, column, end_line, end_column = columns.utf8_span(span)
    return {"start": {"line": line, "column": column}, "end": {"line": end_line, "column": end_column}}


def _diagnostic(item: Reported, columns: Columns) -> dict:
    finding = item.finding
    diagnostic: dict = {
        "message": finding.message,
        "location": {"path": finding.span.path, "range": _range(finding.span, columns)},
        "severity": RDJSON_SEVERITY[item.severity],
        "source": SOURCE,
        "code": {"value": item.rule.code, "url": item.url},
    }
    if finding.fix is not None:
        suggestions = [
            {"range": _range(edit.span, columns), "text": edit.text}
            for edit in finding.fix.edits
            if edit.span.path == finding.span.path
        ]
        if suggestions:
            diagnostic["suggestions"] = suggestions
    if finding.related:
        diagnostic["related_locations"] = [
            {"location": {"path": span.path, "range": _range(span, columns)}} for span in finding.related
        ]
    return diagnostic


def render_rdjson(result: LintResult) -> str:
    columns = Columns(result.texts)
    document = {"source": SOURCE, "diagnostics": [_diagnostic(item, columns) for item in result.active]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_rdjsonl(result: LintResult) -> str:
    columns = Columns(result.texts)
    return "".join(
        json.dumps(_diagnostic(item, columns), ensure_ascii=False, separators=(",", ":")) + "\n"
        for item in result.active
    )
