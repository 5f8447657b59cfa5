"""The one registry of output formats: each name with the module and function that render it.

Kept apart from the renderers, so the command line lists the names without importing them; a
renderer's module is imported when its format is used.  A new format is one row here and one
module in `composelint/report/` with a `render_*(result) -> str` function.
"""

from __future__ import annotations

from typing import NamedTuple


class Format(NamedTuple):
    module: str  # under composelint.report
    function: str  # (result) -> str, or (result, color=...) -> str when `colored`
    colored: bool = False
    output: str = "json"  # lines | xml | json: how user text is escaped (report/safety.py)
    parts: str | None = None  # (result) -> the report in parts, written as they are made
    summary: bool = False  # the report has the run's summary (files left out included)


FORMATS: dict[str, Format] = {
    "full": Format("full", "render_full", colored=True, output="lines", summary=True),
    "concise": Format("concise", "render_concise", output="lines"),
    "grouped": Format("grouped", "render_grouped", output="lines", summary=True),
    "json": Format("json", "render_json", parts="json_parts", summary=True),
    "json-lines": Format("json_lines", "render_json_lines", parts="json_lines_parts"),
    "sarif": Format("sarif", "render_sarif"),
    "github": Format("github", "render_github", output="lines", summary=True),
    "gitlab": Format("gitlab", "render_gitlab"),
    "checkstyle": Format("checkstyle", "render_checkstyle", output="xml"),
    "junit": Format("junit", "render_junit", output="xml"),
    "rdjson": Format("rdjson", "render_rdjson"),
    "rdjsonl": Format("rdjson", "render_rdjsonl"),
    "markdown": Format("markdown", "render_markdown", output="lines", summary=True),
}
FORMAT_NAMES = tuple(FORMATS)

# `composelint model`: the model as data (json) or as a picture with the findings drawn on it.
PICTURE_FORMATS = {"mermaid": "mermaid", "dot": "dot", "svg": "svg", "html": "svg"}  # name -> module
MODEL_FORMATS = ("json", *PICTURE_FORMATS)
