"""`json-lines`: one JSON object per finding (the `findings` items of `json`), suppressed ones included."""

from __future__ import annotations

from collections.abc import Iterator

from composelint.engine import LintResult
from composelint.report.json import finding_text


def render_json_lines(result: LintResult) -> str:
    return "".join(json_lines_parts(result))


def json_lines_parts(result: LintResult) -> Iterator[str]:
    """One line per finding, as it is made."""
    for item in result.reported:
        yield finding_text(item, result.kinds, compact=True) + "\n"
