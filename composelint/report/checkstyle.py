"""`checkstyle`: Checkstyle XML (version 4.3), read by Jenkins warnings-ng, reviewdog -f=checkstyle, Sonar...

Every checked file gets a `<file>` element, findings or not; columns are code points.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from composelint.engine import LintResult
from composelint.report.common import CHECKSTYLE_SEVERITY, TOOL_NAME


def render_checkstyle(result: LintResult) -> str:
    root = ET.Element("checkstyle", version="4.3")
    by_path: dict[str, list] = {path: [] for path in result.files}
    for item in result.active:
        by_path.setdefault(item.finding.span.path, []).append(item)
    for path in sorted(by_path):
        element = ET.SubElement(root, "file", name=path)
        for item in by_path[path]:
            span = item.finding.span
            ET.SubElement(
                element,
                "error",
                line=str(span.line),
                column=str(span.column),
                severity=CHECKSTYLE_SEVERITY[item.severity],
                message=item.finding.message,
                source=f"{TOOL_NAME}.{item.rule.code}",
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
