"""`gitlab`: GitLab Code Quality report (a JSON array of Code Climate issues).

`artifacts: reports: codequality: <file>`.  GitLab does not display
`check_name`, so the description starts with the code and name.  Paths are
relative to `$CI_PROJECT_DIR` when the linter runs inside it.
"""

from __future__ import annotations

import json

from composelint.engine import LintResult, Reported
from composelint.report.common import BLOCKER_CODES, GITLAB_SEVERITY, is_security, repo_path, report_root

_CATEGORY = {"input": "Bug Risk", "meta": "Style"}


def _issue(item: Reported, root: str) -> dict:
    finding, span = item.finding, item.finding.span
    body = "\n\n".join(
        part for part in (finding.help, f"[{item.rule.code} documentation]({item.url})") if part
    )
    message = " ".join(finding.message.split())
    return {
        "type": "issue",
        "check_name": item.rule.code,
        "description": f"{item.rule.code} ({item.rule.name}): {message}",
        "content": {"body": body},
        "categories": ["Security"]
        if is_security(item.rule)
        else [_CATEGORY.get(item.rule.group, "Bug Risk")],
        "severity": "blocker" if item.rule.code in BLOCKER_CODES else GITLAB_SEVERITY[item.severity],
        "fingerprint": item.fingerprint,
        "location": {"path": repo_path(span.path, root), "lines": {"begin": span.line, "end": span.end_line}},
    }


def render_gitlab(result: LintResult) -> str:
    root = report_root()
    return json.dumps([_issue(item, root) for item in result.active], indent=2, ensure_ascii=False) + "\n"
