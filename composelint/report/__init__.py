"""Output formats: one module each, all reading the engine's LintResult."""

from __future__ import annotations

from collections import Counter

from composelint.engine import LintResult
from composelint.types import Severity

# format name -> (module, function); each module is imported only when its format is used
_RENDERERS = {
    "concise": ("concise", "render_concise"),
    "grouped": ("grouped", "render_grouped"),
    "json-lines": ("json_lines", "render_json_lines"),
    "sarif": ("sarif", "render_sarif"),
    "github": ("github", "render_github"),
    "gitlab": ("gitlab", "render_gitlab"),
    "checkstyle": ("checkstyle", "render_checkstyle"),
    "junit": ("junit", "render_junit"),
    "rdjson": ("rdjson", "render_rdjson"),
    "rdjsonl": ("rdjson", "render_rdjsonl"),
}


def render(
    output_format: str, result: LintResult, *, color: bool = False, errors: list[str] | None = None
) -> str:
    """The report of `result` in `output_format` (a name of report.formats.FORMAT_NAMES)."""
    if output_format == "json":
        from composelint.report.json import render_json

        return render_json(result, errors or [])
    if output_format in _RENDERERS:
        from importlib import import_module

        module, function = _RENDERERS[output_format]
        return getattr(import_module(f"composelint.report.{module}"), function)(result)
    if output_format != "full":
        raise ValueError(f"unknown output format `{output_format}`")
    from composelint.report.full import render_full

    return render_full(result, color=color)


def summary_line(result: LintResult) -> str:
    """The last line of a human report: findings, and files checked per kind; then the files that
    looked relevant but were skipped, one per line, with why."""
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
    return "\n".join([line, *(f"Skipped {path}: {why}" for path, why in result.skipped)])


def statistics(result: LintResult) -> list[tuple[int, str, str]]:
    counts = Counter((item.rule.code, item.rule.name) for item in result.active)
    return sorted(((n, code, name) for (code, name), n in counts.items()), key=lambda row: (-row[0], row[1]))
