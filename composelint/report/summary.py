"""What human-readable reports end with: the summary line, and the per-rule statistics."""

from __future__ import annotations

from collections import Counter

from composelint.discovery import TEST_DATA_DIRECTORIES
from composelint.engine import LintResult, Reported
from composelint.types import Severity


def summary_line(result: LintResult) -> str:
    """The last line of a human report: findings, and files checked per kind; then the files that
    looked relevant but were skipped, one per line, with why, and the files below test-data
    directories that were not linted."""
    active = result.active
    by_kind = ", ".join(f"{count} {kind}" for kind, count in result.files_by_kind.items())
    checked = f"{len(result.files)} file{'s' if len(result.files) != 1 else ''} checked"
    if by_kind:
        checked += f": {by_kind}"
    if not active:
        line = f"All checks passed ({checked})."
    else:
        counts = Counter(item.severity for item in active)
        parts = ", ".join(f"{counts[s]} {s}" for s in Severity if counts[s])
        files = len({item.finding.span.path for item in active})
        line = (
            f"Found {len(active)} problem{'s' if len(active) != 1 else ''} ({parts}) in {files} "
            f"file{'s' if files != 1 else ''} ({checked})."
        )
    fixable = Counter(item.finding.fix.applicability for item in active if item.finding.fix is not None)
    if fixable["safe"]:
        line += f" {fixable['safe']} fixable with --fix."
    if fixable["unsafe"]:
        line += f" {fixable['unsafe']} fixable with --fix --unsafe-fixes."
    hidden = Counter(item.suppressed.kind for item in result.reported if item.suppressed is not None)
    if hidden:
        total = sum(hidden.values())
        kinds = ", ".join(f"{hidden[kind]} {_HIDDEN_BY[kind]}" for kind in _HIDDEN_BY if hidden[kind])
        line += f" {total} finding{'s' if total != 1 else ''} hidden: {kinds}."
    lines = [line, *(f"Skipped {path}: {why}" for path, why in result.skipped)]
    return "\n".join([*lines, test_data_note(result)] if result.test_data else lines)


# How to lint what the default leaves out, in every report that says it.
INCLUDE_TEST_DATA = "--include-test-data or `include-test-data: true` in the configuration"


def test_data_note(result: LintResult) -> str:
    """What a walk found below test-data directories and did not lint, and how to lint it."""
    count = len(result.test_data)
    names = ", ".join(sorted(TEST_DATA_DIRECTORIES))
    return (
        f"Not linted: {count} file{'s' if count != 1 else ''} below test-data directories ({names}); "
        f"lint them with {INCLUDE_TEST_DATA}."
    )


def fix_mark(item: Reported) -> str:
    """`[*] ` before the message of a finding `--fix` fixes, `[~] ` when it needs `--unsafe-fixes`."""
    if item.finding.fix is None:
        return ""
    return "[*] " if item.finding.fix.applicability == "safe" else "[~] "


# Suppression kind -> what hid the finding, in the summary line.
_HIDDEN_BY = {"baseline": "by the baseline", "config": "by the configuration", "inline": "by comments"}


def statistics(result: LintResult) -> list[tuple[int, str, str]]:
    counts = Counter((item.rule.code, item.rule.name) for item in result.active)
    return sorted(((n, code, name) for (code, name), n in counts.items()), key=lambda row: (-row[0], row[1]))
