"""`sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; `rules` holds every rule that ran, so code scanning knows each rule
even before it reports anything (stable `ruleIndex`).  Regions
are 1-based with `columnKind: utf16CodeUnits`; URIs are relative to
`%SRCROOT%` (the checkout under CI, else the working directory).  Suppressed
findings stay in the log with `suppressions` (GitHub shows them as dismissed).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from composelint import __version__
from composelint.engine import LintResult, Reported
from composelint.model import Span
from composelint.patterns import lazy_pattern
from composelint.report.common import (
    INFORMATION_URI,
    SARIF_LEVEL,
    SECURITY_SEVERITY,
    TOOL_NAME,
    Columns,
    is_security,
    repo_path,
    report_root,
)
from composelint.types import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_MAX_DESCRIPTION = 1024  # GitHub's limit for short and full descriptions
_SECTION = lazy_pattern(r"^## What it does\s*\n(.*?)(?=^## |\Z)", re.S | re.M)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DESCRIPTION else text[: _MAX_DESCRIPTION - 1] + "…"


def _rule(rule: Rule, url: str) -> dict:
    from composelint.docs import rule_markdown, rule_text

    what = _SECTION.search(rule.doc)
    security = is_security(rule)
    properties: dict = {"tags": [rule.group, "security"] if security else [rule.group]}
    if security:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    else:
        properties["problem.severity"] = {"error": "error", "warning": "warning"}.get(
            rule.severity, "recommendation"
        )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(rule.summary)},
        "fullDescription": {"text": _clip(what.group(1) if what else rule.summary)},
        "helpUri": url,
        "help": {
            "text": rule_text(rule, url),
            "markdown": rule_markdown(rule) + f"\n[Documentation of {rule.code}]({url})\n",
        },
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": properties,
    }


class _Locations:
    def __init__(self, result: LintResult):
        self.columns = Columns(result.texts)
        self.root = report_root()

    def artifact(self, path: str) -> dict:
        shown = repo_path(path, self.root)
        if Path(shown).is_absolute():  # outside the checkout: an absolute file URI, no base
            return {"uri": Path(shown).as_uri()}
        return {"uri": quote(shown, safe="/"), "uriBaseId": SRCROOT}

    def region(self, span: Span) -> dict:
        start_line, start_column, end_line, end_column = self.columns.utf16_span(span)
        return {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        }

    def physical(self, span: Span) -> dict:
        return {"artifactLocation": self.artifact(span.path), "region": self.region(span)}


def _result(item: Reported, index: int, kinds: dict[str, str], where: _Locations) -> dict:
    finding = item.finding
    result: dict = {
        "ruleId": item.rule.code,
        "ruleIndex": index,
        "level": SARIF_LEVEL[item.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": where.physical(finding.span)}],
        "partialFingerprints": {"composelint/v1": item.fingerprint},
    }
    if finding.workload:
        result["locations"][0]["logicalLocations"] = [{"name": finding.workload, "kind": "object"}]
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, "physicalLocation": where.physical(span)}
            for number, span in enumerate(finding.related, start=1)
        ]
    if finding.fix is not None and finding.fix.edits:
        changes: dict[str, list[dict]] = {}
        for edit in finding.fix.edits:
            changes.setdefault(edit.span.path, []).append(
                {"deletedRegion": where.region(edit.span), "insertedContent": {"text": edit.text}}
            )
        result["fixes"] = [
            {
                "description": {"text": finding.fix.message},
                "artifactChanges": [
                    {"artifactLocation": where.artifact(path), "replacements": replacements}
                    for path, replacements in changes.items()
                ],
            }
        ]
    if item.suppressed is not None:
        # An inline comment is in the source; configuration and baselines are not.
        suppression: dict = {"kind": "inSource" if item.suppressed.kind == "inline" else "external"}
        if item.suppressed.reason:
            suppression["justification"] = item.suppressed.reason
        result["suppressions"] = [suppression]
    properties: dict = {"severity": item.severity, "sourceKind": kinds.get(finding.span.path, "compose")}
    if finding.help:
        properties["help"] = finding.help
    if finding.fix is not None:
        properties["fixApplicability"] = finding.fix.applicability
    result["properties"] = properties
    return result


def render_sarif(result: LintResult) -> str:
    ran = {rule.code: rule for rule in result.rules}
    rules = sorted(
        {**ran, **{item.rule.code: item.rule for item in result.reported}}.values(),
        key=lambda rule: rule.code,
    )
    index = {rule.code: number for number, rule in enumerate(rules)}
    # A rule's page on the documentation site its findings link to (`docs-url`), else the project's.
    urls = {item.rule.code: item.url for item in result.reported}
    where = _Locations(result)
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule, urls.get(rule.code, rule.url)) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path(where.root).as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": [_result(item, index[item.rule.code], result.kinds, where) for item in result.reported],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
