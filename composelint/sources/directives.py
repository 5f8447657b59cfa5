"""`# composelint:` suppression comments, found by scanning the source text.

One grammar for compose files and shell scripts (both use `#` comments):

    # composelint: <verb>[=| ]<rule>[,<rule>...] [-- <reason>]
    verb = ignore | disable | enable | disable-file   (rules may also be separated by spaces)

A trailing `ignore` covers its own line; an own-line `ignore` covers the next
node (YAML) or command (shell), given as `extents`; `disable` runs to the
matching `enable` or the end of the file; `disable-file` must stand in the
leading comment block.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from composelint.model import Directive, Span
from composelint.patterns import lazy_pattern

_COMMENT = lazy_pattern(r"(?:^|\s)#\s*composelint\s*:\s*(?P<body>.*)$")
_BODY = lazy_pattern(
    r"(?P<verb>[a-z-]+)(?:\s*=\s*|\s+|$)(?P<rules>[A-Za-z0-9_,\s-]*?)\s*(?:--\s*(?P<reason>.*))?$"
)
_SEPARATOR = lazy_pattern(r"[,\s]+")
_NEXT_COMMENT = lazy_pattern(r"\s#(?:\s|$)")  # `# composelint: ignore=CL301  # other remark`
_NOT_CONTENT = lazy_pattern(r"#|%|---(\s+#.*)?$")
VERBS = ("ignore", "disable", "enable", "disable-file")


def ignore_comment(code: str, reason: str) -> str:
    """The comment that suppresses `code` where it stands, with `reason`."""
    return f"# composelint: ignore={code} -- {reason}"


def scan_directives(
    path: str, text: str, extents: list[tuple[int, int, int]], values: Sequence[Span] = ()
) -> list[Directive]:
    """Find every directive; `extents` are (start_line, start_column, end_line) of nodes,
    `values` the spans of scalars whose text is not a comment."""
    lines = text.removeprefix("\ufeff").splitlines()  # the YAML parser does not count a BOM either
    starts = sorted(extents)
    directives: list[Directive] = []
    first_content = _first_content_line(lines)
    for number, line in enumerate(lines, start=1):
        if "composelint" not in line:
            continue
        match = _COMMENT.search(line)
        if not match:
            continue
        column = line.index("#", match.start()) + 1
        if any(_inside(value, number, column) for value in values):
            continue
        span = Span(path, number, column, number, len(line) + 1)
        own_line = not line[: column - 1].strip()
        body = _NEXT_COMMENT.split(match.group("body"), 1)[0]
        directives.append(_directive(path, lines, number, span, own_line, body, starts, first_content))
    return _close_ranges(path, len(lines), directives)


def _inside(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


def _first_content_line(lines: list[str]) -> int:
    """The first line that is not blank, a comment, `---` or a `%YAML` directive."""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not _NOT_CONTENT.match(stripped):
            return number
    return len(lines) + 1


def _directive(path, lines, number, span, own_line, body, starts, first_content) -> Directive:
    match = _BODY.match(body.strip())
    verb = match.group("verb") if match else ""
    rules = tuple(r for r in _SEPARATOR.split(match.group("rules")) if r) if match else ()
    reason = (match.group("reason") or "").strip() or None if match else None
    if not match or verb not in VERBS:
        return Directive(
            verb,
            rules,
            reason,
            span,
            span,
            error=f"cannot parse directive `{body.strip()}`; expected `<verb>=<rule>[,<rule>] [-- reason]` with verb one of {', '.join(VERBS)}",
        )
    if not rules:
        return Directive(verb, rules, reason, span, span, error=f"`{verb}` names no rule")
    if verb == "disable-file":
        if number > first_content:
            return Directive(
                verb,
                rules,
                reason,
                span,
                span,
                error="`disable-file` is only honoured in the leading comment block, before any content",
            )
        return Directive(verb, rules, reason, span, Span(path, 1, 1, len(lines) + 1, 1))
    if verb == "ignore":
        if not own_line:
            return Directive(
                verb, rules, reason, span, Span(path, number, 1, number, len(lines[number - 1]) + 1)
            )
        return Directive(verb, rules, reason, span, _next_node(path, lines, number, starts))
    return Directive(verb, rules, reason, span, span)


def _next_node(path: str, lines: list[str], number: int, starts: list[tuple[int, int, int]]) -> Span:
    """The node starting on the first content line after `number` (outermost one)."""
    target = number + 1
    while target <= len(lines) and (
        not lines[target - 1].strip() or lines[target - 1].lstrip().startswith("#")
    ):
        target += 1
    index = bisect.bisect_left(starts, (target, 0, 0))
    end_line = target
    if index < len(starts) and starts[index][0] == target:
        column = starts[index][1]
        end_line = max(end for line, col, end in starts[index:] if line == target and col == column)
    return Span(path, target, 1, end_line, 10**9)


def _close_ranges(path: str, last_line: int, directives: list[Directive]) -> list[Directive]:
    """Give each rule of a `disable` its own scope: up to the next `enable` naming that rule
    (or `all`), else to the end of the file.  `disable=A,B` ... `enable=A` leaves B disabled."""
    closed = []
    for position, directive in enumerate(directives):
        if directive.verb != "disable" or directive.error is not None:
            closed.append(directive)
            continue
        for rule in directive.rules:
            end = last_line + 1
            for later in directives[position + 1 :]:
                enabled = {name.lower() for name in later.rules}
                if later.verb == "enable" and later.error is None and enabled & {rule.lower(), "all"}:
                    end = later.span.line
                    break
            closed.append(
                Directive(
                    directive.verb,
                    (rule,),
                    directive.reason,
                    directive.span,
                    Span(path, directive.span.line, 1, end, 1),
                )
            )
    return closed
