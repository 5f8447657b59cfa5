"""Output formats: one module each, all reading the engine's LintResult (registry: formats.py)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from composelint.engine import LintResult
from composelint.report.formats import FORMATS
from composelint.report.safety import encodable, for_lines, for_xml


def render_parts(output_format: str, result: LintResult, *, color: bool = False) -> Iterator[str]:
    """The report of `render`, in parts as they are made where the format allows (json, json-lines)."""
    chosen = FORMATS.get(output_format)
    if chosen is not None and chosen.parts is not None:
        parts = getattr(import_module(f"composelint.report.{chosen.module}"), chosen.parts)
        yield from (encodable(part) for part in parts(result))
    else:
        yield render(output_format, result, color=color)


def render(output_format: str, result: LintResult, *, color: bool = False) -> str:
    """The report of `result` in `output_format` (a name of report.formats.FORMATS); `color` is
    used by the formats made for a terminal."""
    chosen = FORMATS.get(output_format)
    if chosen is None:
        raise ValueError(f"unknown output format `{output_format}`")
    renderer = getattr(import_module(f"composelint.report.{chosen.module}"), chosen.function)
    result = (
        for_lines(result)
        if chosen.output == "lines"
        else for_xml(result)
        if chosen.output == "xml"
        else result
    )
    return encodable(renderer(result, color=color) if chosen.colored else renderer(result))
