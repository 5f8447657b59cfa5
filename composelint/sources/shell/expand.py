"""Words as the shell passes them: quote removal, parameter expansion, field splitting.

A word's raw text is cut into segments (literal text, quoted text, one
expansion's value).  Each segment remembers where it is written, whether it
is quoted (an unquoted expansion is split on blanks) and how certain its
text is.  Command substitutions, arithmetic, `$1`, `$@` and variables
without a known value become UNKNOWN; nothing is ever executed.

`${X#pat}`, `${X##pat}`, `${X%pat}`, `${X%%pat}`, `${X/pat/s}` and
`${X//pat/s}` are computed when X and the pattern are known; `$(command -v
docker)`, `$(dirname "$0")` and the output of the script's own printing
functions (through the caller's `substitute`) are known too.

Not modelled (the text stays as written): brace expansion `{a,b}`, globs,
tilde expansion, `IFS` other than blanks; `${X:1:2}`, `${#X}`, `${!X}`,
case modification and operators on arrays give UNKNOWN.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable

from composelint.limits import MAX_INTEGER_DIGITS
from composelint.model import Span
from composelint.patterns import lazy_pattern
from composelint.records import record, replace
from composelint.sources.docker_cli.words import UNKNOWN
from composelint.sources.shell.lexer import Lexer

DEFINITE, POSSIBLE, UNSURE = "definite", "possible", "unknown"
_RANK = {DEFINITE: 0, POSSIBLE: 1, UNSURE: 2}

MAX_VALUE = 65536  # characters of one variable's value (X="$X$X" doubles); longer -> UNKNOWN
MAX_ELEMENTS = 4096  # elements of one array
MAX_EXPANSION_DEPTH = 16  # ${A:-${B:-...}} nesting

_UNQUOTED_SPECIAL = lazy_pattern(r"[\\'\"`$<>]")
_QUOTED_SPECIAL = lazy_pattern(r"[\\`$]")
_OPERAND_SPECIAL = lazy_pattern(r"[\\`$\"]")  # "${X:-"a b"}": quotes inside the operand still quote
_BLANKS = lazy_pattern(r"[^ \t\n]+")
_BRACED = lazy_pattern(
    r"(?P<prefix>[!#]?)(?P<name>[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!\-])"
    r"(?P<subscript>\[[^\]]*\])?(?P<operator>:?[-=+?])?"
)
_NAME = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*")
_POSITIONAL = frozenset("123456789@*")
_UNKNOWN_RUN = lazy_pattern(UNKNOWN + "{2,}")
_SUBSCRIPT = lazy_pattern(rf"\[(?:[@*]|[0-9]{{1,{MAX_INTEGER_DIGITS}}})\]")  # a longer index is unknown
_PARAMETER = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!\-]")
_ANSI_ESCAPE = lazy_pattern(
    r"\\(?:(?P<simple>[abeEfnrtv\\'\"?])|(?P<octal>[0-7]{1,3})|x(?P<hex>[0-9A-Fa-f]{1,2})"
    r"|u(?P<u4>[0-9A-Fa-f]{1,4})|U(?P<u8>[0-9A-Fa-f]{1,8})|c(?P<control>.)|(?P<other>.))",
    re.DOTALL,
)
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


def worst(first: str, second: str) -> str:
    return first if _RANK[first] >= _RANK[second] else second


@record(frozen=True, slots=True)
class Element:
    """One value of a variable (a scalar has one): its text, how sure, where it was written."""

    text: str
    certainty: str = DEFINITE
    origin: Span | None = None


@record(frozen=True, slots=True)
class Binding:
    elements: tuple[Element, ...]
    array: bool = False
    # Values other branches may have left (`if ...; then M=host; else M=bridge; fi`), each possible.
    others: tuple[tuple[Element, ...], ...] = ()


def unknown_binding(origin: Span | None = None) -> Binding:
    return Binding((Element(UNKNOWN, UNSURE, origin),))


class Variables:
    """Assignments seen so far, in layers: the script, function bodies (their
    `local` variables) and subshells (`( )`, `$( )`, `sh -c`), whose
    assignments are dropped when they end."""

    def __init__(self):
        self.layers: list[tuple[str, dict[str, Binding | None]]] = [("script", {})]

    def get(self, name: str) -> Binding | None:
        for _, layer in reversed(self.layers):
            if name in layer:
                return layer[name]
        return None

    def set(self, name: str, binding: Binding | None, local: bool = False) -> None:
        """`None` unsets.  A non-local assignment in a function goes to the
        enclosing script or subshell, unless an enclosing function made it local."""
        for kind, layer in reversed(self.layers):
            if (local and kind == "function") or kind != "function" or name in layer:
                layer[name] = binding
                return

    def push(self, kind: str) -> None:
        self.layers.append((kind, {}))

    def pop(self, kind: str) -> None:
        if len(self.layers) > 1 and self.layers[-1][0] == kind:
            self.layers.pop()


@record(slots=True)
class Segment:
    """A piece of a word's value.  `exact`: character k is written at
    start + k; otherwise the whole text comes from start..end (an escape or
    an expansion).  `new_field`: an array element after the first."""

    text: str
    start: int
    end: int
    exact: bool = True
    quoted: bool = False
    expanded: bool = False
    certainty: str = DEFINITE
    origin: Span | None = None
    new_field: bool = False


Field = list[Segment]


def field_text(field: Field) -> str:
    return field[0].text if len(field) == 1 else "".join(segment.text for segment in field)


def describe(field: Field) -> tuple[str, str, Span | None]:
    """A field's text, certainty (unknown if any part is UNKNOWN, else the least
    sure part) and origin (preferably of a part as unsure as the whole)."""
    text = field_text(field)
    if len(field) == 1:
        segment = field[0]
        return text, UNSURE if UNKNOWN in text else segment.certainty, segment.origin
    certainty = UNSURE if UNKNOWN in text else DEFINITE
    if certainty != UNSURE:
        for segment in field:
            if segment.certainty != UNSURE:
                certainty = worst(certainty, segment.certainty)
    origin = next(
        (s.origin for s in field if s.origin is not None and s.certainty == certainty),
        next((s.origin for s in field if s.origin is not None), None),
    )
    return text, certainty, origin


def split_fields(segments: list[Segment]) -> list[Field]:
    """Word splitting: unquoted expansion results split on blanks, array elements apart."""
    fields: list[Field] = []
    current: Field | None = None
    for segment in segments:
        if segment.new_field and current is not None:
            fields.append(current)
            current = None
        if not (segment.expanded and not segment.quoted) or segment.text == UNKNOWN:
            current = current or []
            current.append(segment)
            continue
        text = segment.text
        pieces = list(_BLANKS.finditer(text))
        if text[:1] in (" ", "\t", "\n") and current is not None:
            fields.append(current)
            current = None
        for index, piece in enumerate(pieces):
            if index and current is not None:
                fields.append(current)
                current = None
            current = current or []
            current.append(_piece(segment, piece.start(), piece.end()))
        if pieces and text[-1:] in (" ", "\t", "\n") and current is not None:
            fields.append(current)
            current = None
    if current is not None:
        fields.append(current)
    return fields


def _piece(segment: Segment, start: int, end: int) -> Segment:
    if segment.exact:
        return replace(
            segment, text=segment.text[start:end], start=segment.start + start, end=segment.start + end
        )
    return replace(segment, text=segment.text[start:end])


class Expander:
    """Expands the words of one piece of code with the current variables.

    `span` turns a code range into a file Span (for the origin of a default);
    `depth` is the nesting already used by the caller (bounds recursion).
    """

    def __init__(
        self,
        text: str,
        variables: Variables,
        span: Callable[[int, int], Span],
        depth: int = 0,
        substitute: Callable[[int, int, int], tuple[str, str, Span | None] | None] | None = None,
    ):
        self.text = text
        self.variables = variables
        self.span = span
        self.depth = depth
        self.lexer = Lexer(text, None, depth)
        # Variables with other possible values met while expanding (name -> how many), and which
        # of them to use (name -> 1..n) when the caller expands a command once per alternative.
        self.branching: dict[str, int] = {}
        self.choice: dict[str, int] = {}
        # The output of `$(code)` (start, end, depth) when it is known (text, certainty, origin).
        self.substitute = substitute
        # The directory of the file being read, as shown: `$(dirname "$0")`, `${BASH_SOURCE%/*}`.
        self.directory: str | None = None

    # -- public --

    def literal(self, start: int, end: int) -> str | None:
        """The word's text when it is plain (`fields` gives it as one literal field), else None."""
        if end > start and _UNQUOTED_SPECIAL.search(self.text, start, end) is None:
            return self.text[start:end]
        return None

    def fields(self, start: int, end: int) -> list[Field]:
        if _UNQUOTED_SPECIAL.search(self.text, start, end) is None:
            # Most words are plain text (`run`, `-d`, `nginx:1.27`): one literal segment, one field.
            return [[Segment(self.text[start:end], start, end)]] if end > start else []
        return split_fields(self.word_segments(start, end))

    def value(self, start: int, end: int) -> tuple[str, str, Span | None]:
        """An assignment's right-hand side: expanded, not split; (text, certainty, origin)."""
        segments = self.word_segments(start, end)
        text = _UNKNOWN_RUN.sub(UNKNOWN, "".join((" " if s.new_field else "") + s.text for s in segments))
        # A value copied whole from one variable or default keeps that origin.
        origin = segments[0].origin if len(segments) == 1 else None
        if len(text) > MAX_VALUE:
            return UNKNOWN, UNSURE, origin
        # The certainty of the known parts: an UNKNOWN part stays marked in the text itself.
        known = [s for s in segments if s.text != UNKNOWN]
        return text, describe(known)[1] if known else (UNSURE if segments else DEFINITE), origin

    def word_segments(self, start: int, end: int) -> list[Segment]:
        """The word's segments, the lexer scanning no further than its end (an unclosed `$(` in
        each of many words would otherwise scan the rest of the code once per word)."""
        limit, self.lexer.limit = self.lexer.limit, end
        try:
            return self.segments(start, end, quoted=False, depth=self.depth)
        finally:
            self.lexer.limit = limit

    # -- segments of a word --

    def segments(
        self, start: int, end: int, quoted: bool, depth: int, operand: bool = False
    ) -> list[Segment]:
        s, out = self.text, []
        special = (_OPERAND_SPECIAL if operand else _QUOTED_SPECIAL) if quoted else _UNQUOTED_SPECIAL
        i = start
        while i < end:
            match = special.search(s, i, end)
            j = match.start() if match else end
            if j > i:
                out.append(Segment(s[i:j], i, j, quoted=quoted))
            if not match:
                break
            i = self.special(j, end, quoted, depth, out)
        return out

    def special(self, j: int, end: int, quoted: bool, depth: int, out: list[Segment]) -> int:
        """Handle the special character at `j`; returns where to continue."""
        s, char, lexer = self.text, self.text[j], self.lexer
        if char == "\\":
            following = s[j + 1] if j + 1 < end else ""
            if following == "\n":
                return j + 2  # line continuation
            if not following or (quoted and following not in '$`"\\'):
                out.append(Segment("\\", j, j + 1, quoted=quoted))
                return j + 1
            out.append(Segment(following, j, j + 2, exact=False, quoted=True))
            return j + 2
        if char == "'":
            close = s.find("'", j + 1, end)
            close = end if close < 0 else close
            out.append(Segment(s[j + 1 : close], j + 1, close, quoted=True))
            return min(close + 1, end)
        if char == '"':
            return self.double_quoted(j + 1, end, depth, out)
        if char == "`":
            return self.unknown(j, min(lexer.skip_backtick(j + 1), end), quoted, out)
        if char == "$":
            return self.dollar(j, end, quoted, depth, out)
        if s.startswith("(", j + 1):  # <( ) or >( ): a /dev/fd path
            return self.unknown(j, min(lexer.skip_substitution(j + 2), end), quoted, out)
        out.append(Segment(char, j, j + 1, quoted=quoted))
        return j + 1

    def double_quoted(self, i: int, end: int, depth: int, out: list[Segment]) -> int:
        stop = min(self.lexer.skip_double(i), end)
        inner_end = stop - 1 if stop > i and self.text[stop - 1] == '"' else stop
        inner = self.segments(i, inner_end, quoted=True, depth=depth)
        if inner_end == i:
            inner = [Segment("", i, i, quoted=True)]  # "" is an empty argument
        out.extend(inner)
        return stop

    def unknown(self, start: int, end: int, quoted: bool, out: list[Segment]) -> int:
        out.append(Segment(UNKNOWN, start, end, exact=False, quoted=quoted, expanded=True, certainty=UNSURE))
        return max(end, start + 1)

    def dollar(self, j: int, end: int, quoted: bool, depth: int, out: list[Segment]) -> int:
        s, k, lexer = self.text, j + 1, self.lexer
        if s.startswith("((", k):
            return self.unknown(j, min(lexer.skip_arithmetic(k + 2), end), quoted, out)
        if s.startswith("(", k):
            stop = min(lexer.skip_substitution(k + 1), end)
            closed = s[stop - 1 : stop] == ")"
            found = engine_lookup(s[k + 1 : stop - 1]) if closed else None
            output: tuple[str, str, Span | None] | None = (found[0], found[1], None) if found else None
            directory = script_directory(s[k + 1 : stop - 1], self.directory) if closed else None
            output = (directory, DEFINITE, None) if directory is not None else output
            if output is None and closed and self.substitute is not None:
                output = self.substitute(k + 1, stop - 1, depth)
            if output is None:
                return self.unknown(j, stop, quoted, out)
            text, certainty, origin = output
            certainty = UNSURE if text == UNKNOWN else certainty
            out.append(
                Segment(text, j, stop, False, quoted, expanded=True, certainty=certainty, origin=origin)
            )
            return stop
        if s.startswith("{", k):
            stop = min(lexer.skip_brace(k + 1), end)
            self.braced(j, stop, quoted, depth, out)
            return stop
        if s.startswith("'", k) and not quoted:
            stop = min(lexer.skip_ansi(k + 1), end)
            out.extend(_ansi_c(s, k + 1, stop - 1 if s[stop - 1 : stop] == "'" and stop > k + 1 else stop))
            return stop
        if s.startswith('"', k) and not quoted:  # $"..." (translated): as "..."
            return self.double_quoted(k + 1, end, depth, out)
        match = _PARAMETER.match(s, k, end)
        if not match:
            out.append(Segment("$", j, j + 1, quoted=quoted))
            return j + 1
        self.expand(match.group(), None, None, (j, j), j, match.end(), quoted, depth, out)
        return match.end()

    def braced(self, j: int, stop: int, quoted: bool, depth: int, out: list[Segment]) -> None:
        """`${...}` from j to stop."""
        content_end = stop - 1 if self.text[stop - 1 : stop] == "}" else stop
        if self.directory is not None and _SCRIPT_DIRNAME.fullmatch(self.text, j + 2, content_end):
            out.append(Segment(self.directory, j, stop, False, quoted, expanded=True))
            return
        match = _BRACED.match(self.text, j + 2, content_end)
        if not match or match.group("prefix") or depth - self.depth >= MAX_EXPANSION_DEPTH:
            self.unknown(j, stop, quoted, out)
            return
        operator = match.group("operator")
        if not operator and match.end() != content_end:
            trimmed = self.trimmed(match, content_end, depth)  # ${X#pat}, ${X%pat}, ${X/a/b}
            if trimmed is None:
                self.unknown(j, stop, quoted, out)  # ${X:1}, ${X^^}, a value or pattern not known ...
            else:
                out.append(
                    Segment(trimmed.text, j, stop, False, quoted, True, trimmed.certainty, trimmed.origin)
                )
            return
        operand = (match.end(), content_end)  # read only with an operator
        self.expand(
            match.group("name"), match.group("subscript"), operator, operand, j, stop, quoted, depth, out
        )

    def trimmed(self, match: re.Match, end: int, depth: int) -> Element | None:
        """`${X#p}` `${X##p}` `${X%p}` `${X%%p}` `${X/p/r}` `${X//p/r}` of a known scalar X."""
        operation = _PATTERN_OPERATION.match(self.text, match.end(), end)
        name = match.group("name")
        binding = self.variables.get(name) if _NAME.fullmatch(name) and not match.group("subscript") else None
        if operation is None or binding is None or binding.array or len(binding.elements) != 1:
            return None
        element = binding.elements[0]
        start = operation.end()
        if operation["operator"] in ("/", "//"):
            separator = _unescaped_slash(self.text, start, end)
            pattern = self.operand_text(start, separator, depth)
            replacement = self.operand_text(separator + 1, end, depth) if separator < end else ""
        else:
            pattern, replacement = self.operand_text(start, end, depth), ""
        if (
            pattern is None
            or replacement is None
            or UNKNOWN in element.text
            or len(element.text) > MAX_PATTERN_VALUE
        ):
            return None
        return replace(element, text=apply_pattern(element.text, operation["operator"], pattern, replacement))

    def operand_text(self, start: int, end: int, depth: int) -> str | None:
        text = "".join(s.text for s in self.segments(start, end, False, depth + 1, operand=True))
        return None if UNKNOWN in text else text

    def expand(
        self,
        name: str,
        subscript: str | None,
        operator: str | None,
        operand: tuple[int, int],
        start: int,
        end: int,
        quoted: bool,
        depth: int,
        out: list[Segment],
    ) -> None:
        """One parameter expansion written at start..end."""
        if subscript is not None and not _SUBSCRIPT.fullmatch(subscript):
            self.unknown(start, end, quoted, out)  # ${A[$i]}, ${M[key]}
            return
        if name in ("@", "*") and subscript is None:
            subscript = f"[{name}]"  # a function's arguments, when it is evaluated at a call site
        binding = self.variables.get(name) if _NAME.fullmatch(name) or name in _POSITIONAL else None
        if binding is not None and binding.others:
            self.branching[name] = len(binding.others)
            pick = self.choice.get(name, 0)
            if pick:
                binding = Binding(binding.others[pick - 1], binding.array)
        elements = _select(binding, subscript)
        empty = not elements or all(e.text == "" for e in elements)
        if operator in (":-", "-", ":=", "="):
            if binding is None or (operator.startswith(":") and empty):
                certainty = POSSIBLE if binding is None else _binding_certainty(binding)
                default = self.operand(operand, quoted, depth, certainty)
                out.extend(default)
                if operator.endswith("=") and binding is None and _NAME.fullmatch(name):
                    text = "".join(s.text for s in default)
                    self.variables.set(name, Binding((Element(text, POSSIBLE, self.span(*operand)),)))
                return
        elif operator in (":+", "+"):
            if binding is None:
                out.extend(self.operand(operand, quoted, depth, POSSIBLE))
            elif not (operator == ":+" and empty):
                out.extend(self.operand(operand, quoted, depth, _binding_certainty(binding)))
            elif quoted:
                out.append(Segment("", start, end, exact=False, quoted=True, expanded=True))
            return
        if binding is None or elements is None or any(e.text == UNKNOWN for e in elements):
            self.unknown(start, end, quoted, out)
            return
        # A partly unknown value (`--network=host $X`) keeps its known words: the unknown
        # parts stay UNKNOWN inside the text, so only the fields holding them are unknown.
        if not elements:
            if quoted and subscript != "[@]":
                out.append(Segment("", start, end, exact=False, quoted=True, expanded=True))
            return
        if subscript == "[*]" and quoted:
            elements = [
                Element(
                    " ".join(e.text for e in elements),
                    _binding_certainty(binding),
                    next((e.origin for e in elements if e.origin), None),
                )
            ]
        for index, element in enumerate(elements):
            out.append(
                Segment(
                    element.text,
                    start,
                    end,
                    exact=False,
                    quoted=quoted,
                    expanded=True,
                    certainty=element.certainty,
                    origin=element.origin,
                    new_field=index > 0,
                )
            )

    def operand(self, operand: tuple[int, int], quoted: bool, depth: int, certainty: str) -> list[Segment]:
        """The word after `:-`/`:+`: expanded in the same quoting; its origin is where it is written."""
        start, end = operand
        origin = self.span(start, end)
        segments = self.segments(start, end, quoted, depth + 1, operand=True)
        segments = segments or [Segment("", start, end, quoted=quoted)]
        return [
            replace(s, expanded=True, certainty=worst(s.certainty, certainty), origin=s.origin or origin)
            for s in segments
        ]


_LOOKUP = lazy_pattern(
    r"\s*(?:command\s+-v|which|type\s+-[pP]|echo)\s+[\"']?(?:\S*/)?(?P<tool>docker|podman|nerdctl)[\"']?"
    r"\s*(?:[12]?>\s*/dev/null\s*|2>&1\s*)*"
)


_SCRIPT_PATH = r"(?:\$0|\$\{0\}|\$\{?BASH_SOURCE(?:\[0\])?\}?)"
_SCRIPT_DIR_CODE = lazy_pattern(
    r"\s*(?:cd\s+(?:-P\s+)?(?:--\s+)?\"?\$\(\s*)?dirname\s+(?:--\s+)?\"?" + _SCRIPT_PATH + r"\"?\s*"
    r"(?:\)\"?(?P<suffix>(?:/[\w.-]+)*)\"?\s*(?:[12&]?>\s*/dev/null\s*)?(?:&&|;)\s*pwd(?:\s+-P)?\s*)?"
)
_SCRIPT_DIRNAME = lazy_pattern(r"(?:BASH_SOURCE(?:\[0\])?|0)%/\*")


MAX_PATTERN_VALUE = 1024  # longer values are not matched against `#`/`%`/`/` patterns (quadratic)
_PATTERN_OPERATION = lazy_pattern(r"(?P<operator>##|#|%%|%|//|/)")


def _unescaped_slash(text: str, start: int, end: int) -> int:
    i = start
    while i < end and text[i] != "/":
        i += 2 if text[i] == "\\" else 1
    return min(i, end)


def apply_pattern(value: str, operator: str, pattern: str, replacement: str) -> str:
    """Bash's pattern removal and substitution, the pattern a glob (`*`, `?`, `[...]`)."""
    n = len(value)
    if operator in ("#", "##"):
        cuts = range(n + 1) if operator == "#" else range(n, -1, -1)
        return next((value[i:] for i in cuts if fnmatch.fnmatchcase(value[:i], pattern)), value)
    if operator in ("%", "%%"):
        cuts = range(n, -1, -1) if operator == "%" else range(n + 1)
        return next((value[:i] for i in cuts if fnmatch.fnmatchcase(value[i:], pattern)), value)
    anchor = pattern[:1] if pattern[:1] in ("#", "%") else ""
    pattern = pattern[len(anchor) :]
    out, i, replaced = [], 0, False
    while i <= n:
        ends = [n] if anchor == "%" else range(n, i - 1, -1)
        stop = None
        if not (replaced and operator == "/") and not (anchor == "#" and i > 0):
            stop = next((k for k in ends if k > i and fnmatch.fnmatchcase(value[i:k], pattern)), None)
        if stop is None:
            if i < n:
                out.append(value[i])
            i += 1
            continue
        out.append(replacement)
        i, replaced = stop, True
    return "".join(out)


def script_directory(code: str, directory: str | None) -> str | None:
    """`$(dirname "$0")`, `$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)`: that directory."""
    if directory is None or "dirname" not in code:
        return None
    match = _SCRIPT_DIR_CODE.fullmatch(code)
    if match is None:
        return None
    suffix = (match["suffix"] or "").lstrip("/")
    return posixpath.normpath(posixpath.join(directory, suffix)) if suffix else directory


def engine_lookup(code: str) -> tuple[str, str] | None:
    """`$(command -v docker)`, `$(which podman)`, `$(command -v podman || command -v docker)`:
    the engine it names (the first alternative) and how sure that is."""
    alternatives = code.split("||")
    if len(alternatives) > 4:
        return None
    tools = [_LOOKUP.fullmatch(alternative) for alternative in alternatives]
    first = tools[0]
    if first is None or not all(tools):
        return None
    return first["tool"], DEFINITE if len(tools) == 1 else POSSIBLE


def _select(binding: Binding | None, subscript: str | None) -> list[Element] | None:
    """The elements a subscript picks: all for [@]/[*], one for [N] or no subscript."""
    if binding is None:
        return None
    if subscript in ("[@]", "[*]"):
        return list(binding.elements)
    index = int(subscript[1:-1]) if subscript is not None else 0
    return [binding.elements[index]] if index < len(binding.elements) else []


def _binding_certainty(binding: Binding) -> str:
    certainty = DEFINITE
    for element in binding.elements:
        certainty = worst(certainty, element.certainty)
    return certainty


def _ansi_c(s: str, start: int, end: int) -> list[Segment]:
    """The segments of `$'...'`'s content: literal runs exact, each escape decoded."""
    out, i = [], start
    for match in _ANSI_ESCAPE.finditer(s, start, end):
        if match.start() > i:
            out.append(Segment(s[i : match.start()], i, match.start(), quoted=True))
        out.append(Segment(_decode_escape(match), match.start(), match.end(), exact=False, quoted=True))
        i = match.end()
    if i < end or not out:
        out.append(Segment(s[i:end], i, end, quoted=True))
    return out


def _decode_escape(match: re.Match) -> str:
    if match.group("simple"):
        return _SIMPLE_ESCAPES[match.group("simple")]
    if match.group("control"):
        return chr(ord(match.group("control")) & 0x1F)
    if match.group("other") is not None:
        return "\\" + match.group("other")
    digits = match.group("octal") or match.group("hex") or match.group("u4") or match.group("u8")
    base = 8 if match.group("octal") else 16
    try:
        return chr(int(digits, base) & (0xFF if base == 8 else 0xFFFFFFFF))
    except (ValueError, OverflowError):
        return "\ufffd"
