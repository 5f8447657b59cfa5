"""User text in a report made harmless for the kind of output it goes to.

Service names, image names, paths and values come from the linted tree, which may be hostile: a
service named `"a\n::error file=x::Y"` would forge a GitHub Actions workflow command in any
line-based report (the runner reads every output line), an ESC or OSC sequence would drive the
terminal, and a control character makes XML unparsable.  So before a format renders, every text
that came from the input is escaped for that format's kind of output, and a lone surrogate (a YAML
escape such as "\\ud800") is written as `\\ud800` so that any output can be encoded.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from composelint.engine import LintResult, Reported
from composelint.patterns import lazy_pattern
from composelint.records import replace

# C0 and C1 controls (ESC starts terminal sequences), DEL, line and paragraph separators, lone
# surrogates; a tab stays as it is.
_LINE_UNSAFE = lazy_pattern("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# In a linted file's text, shown line by line: line breaks (the YAML ones too) and tabs stay.
_SOURCE_UNSAFE = lazy_pattern("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
# Characters XML 1.0 does not allow at all.
_XML_UNSAFE = lazy_pattern("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = lazy_pattern("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def _escape(match: re.Match) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def line_text(text: str) -> str:
    """One line of plain text: every control character escaped; a leading `::` (a workflow
    command when a line starts with it) loses its meaning."""
    if not (text.isascii() and text.isprintable()):  # printable ASCII (most texts) holds nothing unsafe
        text = _LINE_UNSAFE.sub(_escape, text)
    return "\\" + text if text.startswith("::") else text


def xml_text(text: str) -> str:
    """Text for XML that is also safe on a line of its own (JUnit text is often printed)."""
    return _XML_UNSAFE.sub(_escape, line_text(text))


def encodable(text: str) -> str:
    """Any output: lone surrogates written as `\\udXXX` (inside a JSON string that is the same
    escape JSON uses), so the text can be encoded as UTF-8.  ASCII text holds none (`isascii` is
    several times faster than the pattern's scan, and most parts of a report are ASCII)."""
    return text if text.isascii() else _SURROGATE.sub(_escape, text)


def for_lines(result: LintResult) -> LintResult:
    return _escaped(result, line_text)


def for_xml(result: LintResult) -> LintResult:
    return _escaped(result, xml_text)


def _escaped(result: LintResult, escape: Callable[[str], str]) -> LintResult:
    """A copy of `result` with every text from the input escaped: messages, help, fixes, paths and
    the linted source lines (kept line by line)."""

    paths: dict[str, str] = {}  # findings share a few paths

    def span(value):
        path = paths.get(value.path)
        if path is None:
            path = paths[value.path] = escape(value.path)
        return value if path == value.path else value._replace(path=path)

    def item(reported: Reported) -> Reported:
        finding = reported.finding
        fix = finding.fix
        if fix is not None and (fixed := escape(fix.message)) != fix.message:
            fix = replace(fix, message=fixed)
        message = escape(finding.message)
        help_text = None if finding.help is None else escape(finding.help)
        where = span(finding.span)
        related = tuple(span(s) for s in finding.related)
        workload = None if finding.workload is None else escape(finding.workload)
        if (
            message == finding.message
            and help_text == finding.help
            and where == finding.span
            and related == finding.related
            and workload == finding.workload
            and fix is finding.fix
        ):
            return reported  # nothing to escape (most findings): no copy
        return replace(
            reported,
            finding=replace(
                finding,
                message=message,
                help=help_text,
                span=where,
                related=related,
                workload=workload,
                fix=fix,
            ),
        )

    return replace(
        result,
        reported=[item(r) for r in result.reported],
        files=[escape(path) for path in result.files],
        texts={escape(path): _SOURCE_UNSAFE.sub(_escape, text) for path, text in result.texts.items()},
        kinds={escape(path): kind for path, kind in result.kinds.items()},
        skipped=[(escape(path), why) for path, why in result.skipped],
        test_data=[escape(path) for path in result.test_data],
    )
