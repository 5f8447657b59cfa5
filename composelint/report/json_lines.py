"""`json-lines`: one JSON object per finding (the `findings` items of `json`), suppressed ones included."""

from __future__ import annotations

import json

from composelint.engine import LintResult
from composelint.report.json import finding_json


def render_json_lines(result: LintResult) -> str:
    return "".join(
        json.dumps(finding_json(item, result.kinds), ensure_ascii=False, separators=(",", ":")) + "\n"
        for item in result.reported
    )
