"""Shell embedded in another file: Markdown code blocks, CI steps, Makefile recipes, bats tests.

A host front end cuts a piece of shell out of its file into a `Snippet`: the text the shell
sees, and for each character the offset in the host file it came from (text the front end
writes itself, such as `docker create` before a job's `container.options`, maps to the place
it stands for).  The shell front end (`sources.shell.parse_script`) reads the snippet as a
script of its own; every span it returns is then mapped back to the host file's line and
column, so findings, suppressions and related locations point into the Markdown or YAML file.

A value only the host knows at run time (`${{ matrix.port }}`, make's `$(PORT)`) is handed to
the shell as `${_____}`, a variable of the same length that no script sets: an unknown value.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from composelint.model import Diagnostic, Project, SourceFile
from composelint.patterns import lazy_pattern
from composelint.records import replace
from composelint.sources.compose.yaml_tree import YScalar
from composelint.sources.directives import scan_directives
from composelint.sources.docker_cli.reader import Timeline, read_invocations
from composelint.sources.docker_cli.words import Word
from composelint.sources.lines import LF, line_column, line_starts
from composelint.sources.shell import DEFAULT_TOOLS, parse_script
from composelint.sources.shell.commands import engine_variable
from composelint.types import Span

_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}  # record class -> its field names


_VARIABLE_NAME = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*")


def unknown_value(length: int) -> str:
    """Shell text of `length` characters (at least 4) that expands to a value nobody set."""
    return "${" + "_" * (length - 3) + "}"


class HostFile:
    """The file that holds the snippets: offsets -> 1-based line and column.

    `breaks` says what ends a line, as the host's own parser counts them (markdown-it and
    YAML count a lone CR; make and the shell do not)."""

    def __init__(self, path: str, text: str, breaks: re.Pattern[str] = LF):
        self.path = path
        self.text = text
        self.starts = line_starts(text, breaks)

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column (clamped to the file)."""
        line = min(max(line, 1), len(self.starts))
        return min(self.starts[line - 1] + max(column, 1) - 1, len(self.text))

    def line_text(self, line: int) -> tuple[int, str]:
        """(offset, text without its line break) of a 1-based line."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return start, self.text[start:end].rstrip("\r\n")

    def point(self, offset: int) -> tuple[int, int]:
        return line_column(self.starts, offset)


class Snippet:
    """Shell text cut out of a host file, with the host offset of every character."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.origins: list[int] = []

    def add(self, text: str, host_start: int) -> None:
        """Text copied from the host, starting at `host_start`."""
        self.parts.append(text)
        self.origins.extend(range(host_start, host_start + len(text)))

    def add_at(self, text: str, host_offset: int) -> None:
        """Text written by the front end, standing for what is at `host_offset`."""
        self.parts.append(text)
        self.origins.extend([host_offset] * len(text))

    def append(self, other: Snippet) -> None:
        """Another snippet's text after this one's."""
        self.parts += other.parts
        self.origins += other.origins

    def add_over(self, text: str, host_start: int, host_end: int) -> None:
        """Text written by the front end in place of the host's `host_start:host_end` (a make
        variable), spread over it so that the word it ends up in covers all of it: its last
        character stands for the reference's last.  Text longer than the reference (a command
        variable's value) stays at its start until then: a word from inside it points at the
        reference, its last word covers it all."""
        if not text:
            return
        self.parts.append(text)
        last = max(host_start, host_end - 1)
        if len(text) > host_end - host_start:
            self.origins.extend([host_start] * (len(text) - 1))
        else:
            self.origins.extend(host_start + index for index in range(len(text) - 1))
        self.origins.append(last)

    def add_scalar(self, host: HostFile, scalar: YScalar, shown: str | None = None) -> None:
        """A YAML scalar's value (or `shown`, the same length, in its place), each character at
        the place it is written: the line after a block scalar's `|`/`>` indicator on."""
        start = host.offset(scalar.span.line, scalar.span.column)
        if host.text[start : start + 1] in ("|", ">"):
            start = host.starts[min(scalar.span.line, len(host.starts) - 1)]
        self.add_aligned(scalar.text, host.text, start, shown)

    def add_aligned(self, value: str, host: str, start: int, shown: str | None = None) -> None:
        """`value` as written in `host` from `start` on: folded line breaks, indentation, quotes
        and escapes in the host are skipped, a character the host writes differently (an escape)
        takes the place of the host's next one.  `shown` (same length) is what the shell reads."""
        self.parts.append(value if shown is None else shown)
        origins = self.origins
        position = start
        index = 0
        line_start = True  # value[index] begins a line of the value
        while index < len(value):
            char = value[index]
            found = position
            while found < len(host) and host[found] != char and host[found] in " \t\r\n\"'\\":
                found += 1
            if found < len(host) and host[found] == char:
                origins.append(found)
                position = found + 1
            else:
                origins.append(min(position, max(len(host) - 1, 0)))
                position = min(position + 1, len(host))
            index += 1
            if line_start:
                # The rest of the line as written (a block scalar's line): every character where it
                # stands, as the loop above would place them one by one (tried once a line).
                end = value.find("\n", index)
                end = len(value) if end < 0 else end
                if end > index and host.startswith(value[index:end], position):
                    origins.extend(range(position, position + end - index))
                    position += end - index
                    index = end
            line_start = char == "\n"

    @property
    def text(self) -> str:
        return "".join(self.parts)


class SpanMap:
    """Snippet (line, column) -> host span."""

    def __init__(self, host: HostFile, snippet: Snippet, text: str):
        self.host = host
        self.origins = snippet.origins
        self.starts = line_starts(text)

    def _offsets(self, span: Span) -> tuple[int, int]:
        """The snippet offsets of a span's start and end (lines and columns clamped to the text).
        Written out, as is `span`: every word and flag of a script comes through here."""
        _, line, column, end_line, end_column = span
        starts = self.starts
        count = len(starts)
        start = starts[(1 if line < 1 else count if line > count else line) - 1]
        end = starts[(1 if end_line < 1 else count if end_line > count else end_line) - 1]
        return start + (column - 1 if column > 1 else 0), end + (end_column - 1 if end_column > 1 else 0)

    def span(self, span: Span) -> Span:
        start, end = self._offsets(span)
        origins = self.origins
        size = len(origins)
        first = origins[start if start < size else size - 1]
        last = origins[(end if end < size else size) - 1] + 1 if end > start else first
        if last < first:
            last = first
        host = self.host.starts  # HostFile.point, twice
        line = bisect_right(host, first) - 1
        end_line = bisect_right(host, last, line) - 1
        return Span(self.host.path, line + 1, first - host[line] + 1, end_line + 1, last - host[end_line] + 1)

    def remap(self, value):
        """`value` with every Span in it (record fields, lists, tuples, dicts) mapped to the host; a
        Word is made again with its five fields, another record copied field by field (`replace`
        would run `__init__` again, and `copy.copy` goes through pickling's protocol: each cost as
        much as parsing)."""
        kind = type(value)
        if kind is Span:
            return self.span(value)
        if kind in _PLAIN:
            return value
        if kind is Word:  # most of what a script holds
            return Word(
                value.text,
                self.span(value.span),
                self.written(value.span, value.written) if value.written else value.written,
                value.certainty,
                None if value.origin is None else self.span(value.origin),
            )
        if kind is list:
            return [self.remap(item) for item in value]
        if kind is tuple:
            return tuple(self.remap(item) for item in value)
        if kind is dict:
            return {self.remap(key): self.remap(item) for key, item in value.items()}
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(getattr(kind, "__record_fields__", ()))
        if not names:
            return value
        slotted = not hasattr(value, "__dict__")  # Workload
        attributes = {name: getattr(value, name) for name in names} if slotted else dict(value.__dict__)
        for name in names:
            item = attributes[name]
            if type(item) not in _PLAIN:
                attributes[name] = self.remap(item)
        clone = object.__new__(kind)
        if slotted:
            for name, item in attributes.items():
                object.__setattr__(clone, name, item)
        else:
            clone.__dict__.update(attributes)
        return clone

    def named_lines(self, diagnostic: Diagnostic) -> Diagnostic:
        """A diagnostic whose message names a line of the snippet (`first defined at line 3`) names
        the host's."""

        def host_line(match: re.Match) -> str:
            line = int(match.group(1))
            return f"at line {self.span(Span(diagnostic.span.path, line, 1, line, 1)).line}"

        return replace(diagnostic, message=_LINE.sub(host_line, diagnostic.message))

    def written(self, span: Span, text: str) -> str:
        """A word as the host writes it (`${{ matrix.port }}`, not the `${____}` the shell read);
        text the front end wrote itself stays as it is."""
        start, end = self._offsets(span)
        origins = self.origins[start:end]
        if not origins or origins.count(origins[0]) == len(origins):
            return text
        return self.host.text[origins[0] : origins[-1] + 1]


def mentions_tool(text: str) -> bool:
    """Whether shell text can start a container: it names the tool, or a variable set to it does."""
    return any(tool in text for tool in DEFAULT_TOOLS)


_VARIABLE_REFERENCE = lazy_pattern(r"\$\{([A-Za-z_]\w*)\}")


def mentions_engine_variable(text: str) -> bool:
    """Whether shell text uses a variable whose name says it holds the engine (`${CONTAINER_CLI}`),
    which the shell front end takes to be the engine when its value is unknown."""
    return any(engine_variable(match.group(0)) for match in _VARIABLE_REFERENCE.finditer(text))


def embedded_project(host: HostFile, kind: str, name: str) -> Project:
    """An empty project whose one source is the host file."""
    project = Project(name=name)
    project.sources.append(SourceFile(host.path, "script", kind, host.text))
    return project


def read_snippet(
    project: Project,
    host: HostFile,
    snippet: Snippet,
    *,
    engine_variables: bool = False,
    timeline: Timeline | None = None,
) -> None:
    """Parse `snippet` with the shell front end and read its invocations into `project`, every
    position mapped to the host file; `# composelint:` comments in the snippet apply.  A snippet
    that names no tool is skipped, unless `engine_variables` and it uses an engine-named variable
    (a Makefile's `$(CONTAINER_ENGINE)` of unknown value).  Its commands run in order, after those
    of the snippets read before with the same `timeline` (a job's steps, a recipe's lines)."""
    text = snippet.text
    if not (mentions_tool(text) or (engine_variables and mentions_engine_variable(text))):
        return
    script = parse_script(host.path, text)
    spans = SpanMap(host, snippet, text)
    directives = scan_directives(host.path, text, script.extents, script.value_spans)
    project.directives.extend(spans.remap(directives))
    project.diagnostics.extend(_at_host(diagnostic) for diagnostic in spans.remap(script.diagnostics))
    read_invocations(project, spans.remap(script.invocations), timeline or Timeline())


_POSITION = lazy_pattern(r"\bat line \d+, column \d+")
_LINE = lazy_pattern(r"\bat line (\d{1,9})\b")


def _at_host(diagnostic: Diagnostic) -> Diagnostic:
    """A diagnostic whose message names its position (CL007) names the host file's line and column."""
    span = diagnostic.span
    message = _POSITION.sub(f"at line {span.line}, column {span.column}", diagnostic.message)
    return replace(diagnostic, message=message)


def add_environment_entry(
    snippet: Snippet,
    host: HostFile,
    flag: str,
    variable: YScalar,
    value: YScalar,
    at: int,
    known: bool,
) -> None:
    """` FLAG NAME='value'` (at `at`, the container's key) for one entry of a CI file's environment
    mapping (GitHub's `env`, GitLab's `variables`): the one shell word the runner passes,
    single-quoted as written.  A value not `known` (a CI expression in it), or one a single-quoted
    word cannot hold (a `'`), is only known at run time; a name no shell variable takes is left out."""
    if not _VARIABLE_NAME.fullmatch(variable.text):
        return
    snippet.add_at(f" {flag} ", at)
    snippet.add_scalar(host, variable)
    start = host.offset(value.span.line, value.span.column)
    snippet.add_at("=", start)
    if "'" in value.text or not known:
        snippet.add_at(unknown_value(max(len(value.text), 4)), start)
        return
    snippet.add_at("'", start)
    snippet.add_scalar(host, value)
    end = host.offset(value.span.end_line, value.span.end_column)
    snippet.add_at("'", max(start, end - 1))  # at the value's last character: the word ends there
