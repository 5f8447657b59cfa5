"""`full`: each finding with the source line, a caret under the span and the help, like ruff.
A finding of the `secrets` group shows no source line: the line holds the credential."""

from __future__ import annotations

import click

from composelint.engine import LintResult, Reported
from composelint.report.summary import fix_mark, summary_line

_COLORS = {"error": "red", "warning": "yellow", "info": "cyan", "style": "blue"}


def render_full(result: LintResult, color: bool = False) -> str:
    blocks = [_block(item, result.texts.get(item.finding.span.path, ""), color) for item in result.active]
    blocks.append(summary_line(result) + "\n")
    return "\n".join(blocks)


def _style(text: str, color: bool, **options) -> str:
    return click.style(text, **options) if color else text


def _block(item: Reported, text: str, color: bool) -> str:
    finding, span = item.finding, item.finding.span
    lines = text.splitlines()
    header = (
        f"{_style(f'{span.path}:{span.line}:{span.column}:', color, bold=True)} "
        f"{_style(item.rule.code, color, fg=_COLORS[item.severity], bold=True)} "
        f"{_style(item.severity, color, fg=_COLORS[item.severity])}: {fix_mark(item)}{finding.message}"
    )
    out = [header]
    if 1 <= span.line <= len(lines) and item.rule.group != "secrets":  # never print a credential
        width = len(str(min(span.line + 1, len(lines))))
        gutter = " " * width + " |"
        out.append(gutter)
        if span.line > 1:
            out.append(f"{span.line - 1:>{width}} | {lines[span.line - 2]}")
        source = lines[span.line - 1]
        out.append(f"{span.line:>{width}} | {source}")
        end = span.end_column if span.end_line == span.line else len(source) + 1
        carets = "^" * max(1, min(end, len(source) + 1) - span.column)
        out.append(
            f"{gutter} {' ' * (span.column - 1)}{_style(carets, color, fg=_COLORS[item.severity])} {item.rule.name}"
        )
        if span.line < len(lines):
            out.append(f"{span.line + 1:>{width}} | {lines[span.line]}")
        out.append(gutter)
    if finding.help:
        out.append(f"  = help: {finding.help}")
    if finding.fix is not None:
        needs = "--fix" if finding.fix.applicability == "safe" else "--fix --unsafe-fixes"
        out.append(f"  = fix ({finding.fix.applicability}, {needs}): {finding.fix.message}")
    out.append(f"  = docs: {item.url}")
    return "\n".join(out) + "\n"
