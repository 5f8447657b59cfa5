"""Output formats: one module each, all reading the engine's LintResult."""

from __future__ import annotations

from collections import Counter

from composelint.engine import LintResult
from composelint.rules.base import SEVERITIES

def render(output_format: str, result: LintResult, *, color: bool = False, errors: list[str] | None = None) -> str:
    if output_format == "json":
        from composelint.report.json import render_json
        return render_json(result, errors or [])
    if output_format == "concise":
        from composelint.report.concise import render_concise
        return render_concise(result)
    from composelint.report.full import render_full
    return render_full(result, color=color)


def summary_line(result: LintResult) -> str:
    active = result.active
    if not active:
        return f"All checks passed ({len(result.files)} file{'s' if len(result.files) != 1 else ''} checked)."
    counts = Counter(item.severity for item in active)
    parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    files = len({item.finding.span.path for item in active})
    return (f"Found {len(active)} problem{'s' if len(active) != 1 else ''} ({parts}) in {files} "
            f"file{'s' if files != 1 else ''} ({len(result.files)} checked).")


def statistics(result: LintResult) -> list[tuple[int, str, str]]:
    counts = Counter((item.rule.code, item.rule.name) for item in result.active)
    return sorted(((n, code, name) for (code, name), n in counts.items()), key=lambda row: (-row[0], row[1]))
