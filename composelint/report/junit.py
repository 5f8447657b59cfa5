"""`junit`: JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure...).

One testsuite; each finding is a failed testcase (`type` = the finding's
severity), each checked file without findings a passed one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from composelint.engine import LintResult
from composelint.report.common import JUNIT_TYPE, TOOL_NAME


def render_junit(result: LintResult) -> str:
    active = result.active
    with_findings = {item.finding.span.path for item in active}
    clean = [path for path in result.files if path not in with_findings]
    tests, failures = len(active) + len(clean), len(active)
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": TOOL_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": TOOL_NAME, **counts, "skipped": "0"})
    cases: list[tuple[str, int, ET.Element]] = []
    for item in active:
        finding, span = item.finding, item.finding.span
        case = ET.Element(
            "testcase",
            name=f"{item.rule.code} {item.rule.name}",
            classname=span.path,
            file=span.path,
            line=str(span.line),
        )
        failure = ET.SubElement(case, "failure", message=finding.message, type=JUNIT_TYPE[item.severity])
        failure.text = "\n".join(
            part
            for part in (
                f"{span.path}:{span.line}:{span.column}: {item.rule.code} {item.severity}: {finding.message}",
                finding.help,
                item.url,
            )
            if part
        )
        cases.append((span.path, 1, case))
    for path in clean:
        cases.append((path, 0, ET.Element("testcase", name=path, classname=path, file=path)))
    for _, _, case in sorted(cases, key=lambda row: (row[0], row[1])):
        suite.append(case)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
