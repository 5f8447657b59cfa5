"""`json`: the versioned editor/CI contract, documented by schemas/composelint-report.schema.json."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator

from composelint import __version__
from composelint.engine import LintResult, Reported
from composelint.report.summary import INCLUDE_TEST_DATA
from composelint.types import Severity

# The C function json.dumps(..., ensure_ascii=False) writes a string with (quotes included).
_STRING: Callable[[str], str] = json.encoder.encode_basestring
_KEYS = ("path", "range", "code", "name", "severity", "message", "help", "url", "source_kind", "workload") + (
    "fingerprint",
    "related",
    "fix",
    "suppressed",
)


def _template(keys: tuple[str, ...], comma: str, colon: str) -> str:
    """`{"key": %s, ...}` with these separators."""
    return "{" + comma.join(f'"{key}"{colon}%s' for key in keys) + "}"


_RULE_KEYS = ("code", "name", "severity")
_PLACE_KEYS = ("url", "source_kind")


def _finding_template(comma: str, colon: str) -> str:
    """`_template(_KEYS, ...)` with the rule's keys and the place's keys one slot each."""
    slots = []
    for key in _KEYS:
        if key in (_RULE_KEYS[0], _PLACE_KEYS[0]):
            slots.append("%s")
        elif key not in _RULE_KEYS and key not in _PLACE_KEYS:
            slots.append(f'"{key}"{colon}%s')
    return "{" + comma.join(slots) + "}"


def _joined(keys: tuple[str, ...], comma: str, colon: str) -> str:
    """`"key": %s, ...`: consecutive keys of an object, filled once for many findings."""
    return _template(keys, comma, colon)[1:-1]


# The finding, its ranges and its parts, as json.dumps writes them: by default, and compact.  The
# rule's code, name and severity, and the URL with the source kind, are written once for each
# combination (`_RULE_PARTS`, `_PLACE_PARTS`): a report repeats a few dozen of each thousands of times.
_TEXTS = {
    compact: (
        _finding_template(comma, colon),
        _template(("start", "end"), comma, colon) % ((_template(("line", "column"), comma, colon),) * 2),
        _template(("path", "range"), comma, colon),
        _template(("applicability", "message", "edits"), comma, colon),
        _template(("range", "text"), comma, colon),
        _template(("kind", "reason"), comma, colon),
        comma,
        _joined(_RULE_KEYS, comma, colon),
        _joined(_PLACE_KEYS, comma, colon),
    )
    for compact, comma, colon in ((False, ", ", ": "), (True, ",", ":"))
}
_RULE_PARTS: dict[tuple[str, str, bool], str] = {}  # (code, severity, compact) -> its keys' text
_PLACE_PARTS: dict[tuple[str, str, bool], str] = {}  # (url, source kind, compact) -> their keys' text


def finding_text(item: Reported, kinds: dict[str, str], compact: bool = False) -> str:
    """One finding of the report as the JSON text `json.dumps(..., ensure_ascii=False)` writes for
    it (`compact`: with the separators `,` and `:`), written directly: building a dictionary for
    json to encode took 11 us a finding, three quarters of the report's time.  The keys, in order:
    those of _KEYS (schemas/composelint-report.schema.json)."""
    whole, where, located, fixed, edited, suppression, comma, rule_keys, place_keys = _TEXTS[compact]
    finding = item.finding
    rule = item.rule
    rule_key = (rule.code, item.severity, compact)
    rule_part = _RULE_PARTS.get(rule_key)
    if rule_part is None:
        rule_part = _RULE_PARTS[rule_key] = rule_keys % (
            _STRING(rule.code),
            _STRING(rule.name),
            _STRING(item.severity),
        )
    kind = kinds.get(finding.span.path, "compose")
    place_key = (item.url, kind, compact)
    place_part = _PLACE_PARTS.get(place_key)
    if place_part is None:
        if len(_PLACE_PARTS) > 10_000:  # a documentation URL per configuration: a few
            _PLACE_PARTS.clear()
        place_part = _PLACE_PARTS[place_key] = place_keys % (_STRING(item.url), _STRING(kind))
    fix = "null"
    if finding.fix is not None:
        edits = comma.join(edited % (where % edit.span[1:], _STRING(edit.text)) for edit in finding.fix.edits)
        fix = fixed % (_STRING(finding.fix.applicability), _STRING(finding.fix.message), f"[{edits}]")
    suppressed = "null"
    if item.suppressed is not None:
        reason = item.suppressed.reason
        suppressed = suppression % (
            _STRING(item.suppressed.kind),
            "null" if reason is None else _STRING(reason),
        )
    related = comma.join(located % (_STRING(span.path), where % span[1:]) for span in finding.related)
    return whole % (
        _STRING(finding.span.path),
        where % finding.span[1:],
        rule_part,
        _STRING(finding.message),
        "null" if finding.help is None else _STRING(finding.help),
        place_part,
        "null" if finding.workload is None else _STRING(finding.workload),
        _STRING(item.fingerprint),
        f"[{related}]",
        fix,
        suppressed,
    )


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
        # One finding per line: readable, and written by finding_text (indent=2 over thousands of
        # findings takes json's pure-Python path and dominates the run).
        yield head + '\n  "findings": [\n'
        for index, item in enumerate(result.reported):
            separator = ",\n" if index else ""
            yield separator + "    " + finding_text(item, result.kinds)
        yield "\n  ],"
    yield '\n  "errors"' + tail + "\n"
