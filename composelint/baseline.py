"""Baselines: record today's findings, report only new ones later.

A baseline file holds the fingerprints of findings (with code, path and
message for the humans reading the diff).  Fingerprints are keyed on rule,
path, workload and field, not on the line (engine._fingerprinted), so a
finding moved by an edit elsewhere in the file is still known.  Known
findings stay in the JSON and SARIF reports, suppressed with kind
`baseline`; text formats and the exit code ignore them.
"""

from __future__ import annotations

import json

from composelint.engine import NOT_SUPPRESSIBLE, LintResult, Suppression
from composelint.records import replace

VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read or written (one line)."""


def read_baseline(path: str) -> set[str]:
    """The fingerprints recorded in a baseline file."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: not a composelint baseline: invalid JSON ({error})") from None
    entries = document.get("findings") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("version") != VERSION
        or not isinstance(entries, list)
        or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries)
    ):
        raise BaselineError(
            f"{path}: not a composelint baseline (expected version {VERSION} and findings with a fingerprint)"
        )
    return {entry["fingerprint"] for entry in entries}


def write_baseline(path: str, result: LintResult) -> int:
    """Record every finding not suppressed by a comment or the configuration; returns their number."""
    known = [
        item
        for item in result.reported
        if item.rule.code not in NOT_SUPPRESSIBLE
        and (item.suppressed is None or item.suppressed.kind == "baseline")
    ]
    entries = [
        {
            "fingerprint": item.fingerprint,
            "code": item.rule.code,
            "path": item.finding.span.path,
            "message": item.finding.message,
        }
        for item in known
    ]
    document = {"version": VERSION, "tool": "composelint", "findings": entries}
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write baseline: {error.strerror}") from None
    return len(entries)


def apply_baseline(result: LintResult, fingerprints: set[str]) -> None:
    """Mark the findings recorded in a baseline as suppressed (kind `baseline`)."""
    result.reported = [
        replace(item, suppressed=Suppression("baseline", None))
        if item.suppressed is None
        and item.rule.code not in NOT_SUPPRESSIBLE
        and item.fingerprint in fingerprints
        else item
        for item in result.reported
    ]
