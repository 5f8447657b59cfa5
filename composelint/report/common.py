"""What several report formats share: severity mappings, column units and repository-relative paths.

Spans are 1-based lines and columns counted in code points, end exclusive
(composelint.model.Span).  Formats that count columns otherwise (SARIF:
UTF-16 code units; reviewdog: UTF-8 bytes) convert with `Columns`, which
reads the linted text kept in LintResult.texts.
"""

from __future__ import annotations

import os

from composelint.model import Span
from composelint.patterns import lazy_pattern
from composelint.types import DOCS_SITE, Rule

TOOL_NAME = "composelint"
INFORMATION_URI = DOCS_SITE

# docs/conventions.md 5: one column per consumer.
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "style": "note"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
GITLAB_SEVERITY = {"error": "critical", "warning": "major", "info": "minor", "style": "info"}
RDJSON_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO", "style": "INFO"}
CHECKSTYLE_SEVERITY = {"error": "error", "warning": "warning", "info": "info", "style": "info"}
JUNIT_TYPE = {"error": "error", "warning": "warning", "info": "info", "style": "style"}
# GitHub code scanning score ("0.1".."10.0"; >= 7.0 high, >= 4.0 medium, else low).
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0", "style": "1.0"}
# Rule groups that are not about security (tagged as plain problems in SARIF); every other group is.
NON_SECURITY_GROUPS = frozenset({"input", "meta"})
# Files that could not be analysed at all: GitLab's `blocker`.
BLOCKER_CODES = frozenset({"CL001"})

_LINE_BREAK = lazy_pattern(r"\r\n|\r|\n")


class Columns:
    """Convert code-point columns to UTF-16 code units or UTF-8 bytes, line by line."""

    def __init__(self, texts: dict[str, str]):
        self._texts = texts
        self._lines: dict[str, list[str]] = {}

    def _line(self, path: str, line: int) -> str:
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = _LINE_BREAK.split(self._texts.get(path, "").removeprefix("\ufeff"))
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    def _convert(self, path: str, line: int, column: int, encoding: str, unit: int) -> int:
        text = self._line(path, line)
        prefix = text[: column - 1]
        beyond = max(0, column - 1 - len(text))  # a column past the end (end of line, missing text)
        return len(prefix.encode(encoding, "surrogatepass")) // unit + beyond + 1

    def utf16(self, path: str, line: int, column: int) -> int:
        return self._convert(path, line, column, "utf-16-le", 2)

    def utf8(self, path: str, line: int, column: int) -> int:
        return self._convert(path, line, column, "utf-8", 1)

    def utf16_span(self, span: Span) -> tuple[int, int, int, int]:
        return (
            span.line,
            self.utf16(span.path, span.line, span.column),
            span.end_line,
            self.utf16(span.path, span.end_line, span.end_column),
        )

    def utf8_span(self, span: Span) -> tuple[int, int, int, int]:
        return (
            span.line,
            self.utf8(span.path, span.line, span.column),
            span.end_line,
            self.utf8(span.path, span.end_line, span.end_column),
        )


def is_security(rule: Rule) -> bool:
    return rule.group not in NON_SECURITY_GROUPS


def report_root() -> str:
    """The directory CI paths are relative to: the checkout (GITHUB_WORKSPACE, CI_PROJECT_DIR)
    when the working directory is inside it, else the working directory."""
    cwd = os.getcwd()
    for variable in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        value = os.environ.get(variable)
        if value:
            root = os.path.abspath(value)
            if not os.path.relpath(cwd, root).startswith(".."):
                return root
    return cwd


def repo_path(path: str, root: str | None = None) -> str:
    """A finding's path relative to `report_root()` with `/`, or unchanged when outside it (or stdin)."""
    if path == "-":
        return path
    root = root or report_root()
    try:
        relative = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive (Windows)
        return path
    if relative.startswith("..") or os.path.isabs(relative):
        return path
    return relative.replace(os.sep, "/")
