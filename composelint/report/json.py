"""`json`: the versioned editor/CI contract, documented by schemas/composelint-report.schema.json."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from composelint import __version__
from composelint.engine import LintResult, Reported
from composelint.model import Span
from composelint.report.summary import INCLUDE_TEST_DATA
from composelint.types import Severity

# What json.dumps(value, ensure_ascii=False) builds at each call: made once for thousands of findings.
_ONE_LINE = json.JSONEncoder(ensure_ascii=False)


def _range(span: Span) -> dict:
    return {
        "start": {"line": span.line, "column": span.column},
        "end": {"line": span.end_line, "column": span.end_column},
    }


def finding_json(item: Reported, kinds: dict[str, str]) -> dict:
    finding = item.finding
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability,
            "message": finding.fix.message,
            "edits": [{"range": _range(edit.span), "text": edit.text} for edit in finding.fix.edits],
        }
    return {
        "path": finding.span.path,
        "range": _range(finding.span),
        "code": item.rule.code,
        "name": item.rule.name,
        "severity": item.severity,
        "message": finding.message,
        "help": finding.help,
        "url": item.url,
        "source_kind": kinds.get(finding.span.path, "compose"),
        "workload": finding.workload,
        "fingerprint": item.fingerprint,
        "related": [{"path": span.path, "range": _range(span)} for span in finding.related],
        "fix": fix,
        "suppressed": None
        if item.suppressed is None
        else {"kind": item.suppressed.kind, "reason": item.suppressed.reason},
    }


def render_json(result: LintResult) -> str:
    return "".join(json_parts(result))


def json_parts(result: LintResult) -> Iterator[str]:
    """The report in parts, one finding per part, so a large report is written as it is made
    (the whole corpus with every rule: a 36 MB string, copied and encoded again, before)."""
    active = result.active
    counts = Counter(item.severity for item in active)
    document = {
        "version": 1,
        "tool": {"name": "composelint", "version": __version__},
        # What stops a run exits 2 before any report is written; the key stays for the schema.
        "errors": [],
        "summary": {
            "files_checked": len(result.files),
            "files_with_findings": len({item.finding.span.path for item in active}),
            "findings": len(active),
            "by_severity": {severity.value: counts[severity] for severity in Severity},
            "suppressed": len(result.reported) - len(active),
            "files_by_kind": result.files_by_kind,
            "skipped": [{"path": path, "reason": why} for path, why in result.skipped],
            "test_data": {"not_linted": result.test_data, "include_with": INCLUDE_TEST_DATA},
        },
    }
    head, _, tail = json.dumps(document, indent=2, ensure_ascii=False).partition('\n  "errors"')
    if not result.reported:
        yield head + '\n  "findings": [],'
    else:
        # One finding per line: readable, and encoded by the C encoder (indent=2 over
        # thousands of findings takes the pure-Python path and dominates the run).
        yield head + '\n  "findings": [\n'
        for index, item in enumerate(result.reported):
            separator = ",\n" if index else ""
            yield separator + "    " + _ONE_LINE.encode(finding_json(item, result.kinds))
        yield "\n  ],"
    yield '\n  "errors"' + tail + "\n"
