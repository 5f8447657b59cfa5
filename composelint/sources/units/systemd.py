"""systemd service units (`*.service`): the containers their command lines start.

`ExecStartPre=`, `ExecStart=` and `ExecStartPost=` of the `[Service]` section
are read as systemd.service(5) runs them:

* the executable may carry the prefixes `-`, `@`, `:`, `+`, `!` and `!!` (in
  any combination); with `@` the second word is argv[0] and not a program
  argument; with `:` no environment variables are substituted;
* words are split and unquoted by systemd's rules (sources/units/unit_file.py),
  `\\` continuations included; a lone `;` separates two command lines;
* `%` specifiers are expanded from the unit's file name (`%n`, `%N`, `%p`,
  `%i` of an instance, `%%`), `%h` stands for the home directory (`~`) and
  `%t` for `/run`; the others (`%H`, `%i` of a template `x@.service`, ...)
  are only known at run time;
* `${NAME}` (anywhere in a word) and `$NAME` (a word of its own, split at
  blanks) take their value from `Environment=`.  With an `EnvironmentFile=`
  (never read: it usually lives outside the project) such a value may be
  overridden, so it is only possible; a variable no `Environment=` sets is
  only known at run time.  `$$` is a literal `$`.

An empty assignment (`ExecStart=`) drops the earlier command lines of that
key, as in a drop-in.  What runs is handed to the shell front end's wrapper
resolution (`sudo`, `env`, ...): a docker/podman/nerdctl command line goes to
the docker CLI grammar (sources/docker_cli/reader.py) as it is; shell code (`sh -c
'...'`) goes to the shell front end, with every position mapped back to the
unit file.  One unit is one project.
"""

from __future__ import annotations

import os

from composelint.limits import MAX_UNIT_BYTES
from composelint.model import Diagnostic, Project, SourceFile, Span
from composelint.records import record, replace
from composelint.sources.directives import scan_directives
from composelint.sources.docker_cli.reader import read_invocations
from composelint.sources.docker_cli.words import UNKNOWN, Invocation, Word
from composelint.sources.units.unit_file import (
    Entry,
    Text,
    TextBuilder,
    UnitFile,
    UnitWord,
    socket_activated,
    split_words,
)

DEFAULT_TOOLS = ("docker", "podman", "nerdctl")
EXEC_KEYS = ("ExecStartPre", "ExecStart", "ExecStartPost")
_PREFIXES = "-@:+!"
# Specifiers that do not depend on the unit's name.  `%h` is the home directory, written `~`
# as the rules know it; `%t` is `/run` for the system manager and `/run/user/UID` for a user's:
# a runtime socket below either is one, so `/run` stands for both, and a mount written below `%t`
# says so (`Mount.in_unit_runtime_dir`) for the messages that depend on which it is.
_FIXED_SPECIFIERS = {"T": "/tmp", "V": "/var/tmp", "h": "~", "t": "/run", "%": "%"}
_NAME_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


@record(frozen=True)
class Argument:
    """One argv word of a command line: its value for the docker grammar and, for shell code, the
    same text with unknown variables left as `${NAME}` so that the shell front end sees them."""

    text: Text
    code: Text
    start: int
    end: int
    certainty: str = "definite"
    origin: Span | None = None


@record(frozen=True)
class Variable:
    value: Text
    origin: Span


class UnitReader:
    """Reads the command lines of one unit file into invocations."""

    def __init__(self, unit: UnitFile, name: str, tools: tuple[str, ...]):
        self.unit = unit
        self.name = name
        self.tools = tools
        self.variables: dict[str, Variable] = {}
        self.overridable = False  # an EnvironmentFile= may override Environment= values
        self.diagnostics: list[Diagnostic] = []

    # -- environment -----------------------------------------------------------
    def read_environment(self, entries: list[Entry]) -> None:
        for entry in entries:
            if entry.key == "EnvironmentFile":
                self.overridable = self.overridable or bool(entry.value.chars)
                continue
            if entry.key != "Environment":
                continue
            if not entry.value.chars:
                self.variables.clear()
                continue
            for word in split_words(entry.value):
                assignment = self.specifiers(word.text)
                name, equals, _ = assignment.chars.partition("=")
                if equals and name and set(name) <= _NAME_CHARACTERS and not name[0].isdigit():
                    value = Text(assignment.chars[len(name) + 1 :], assignment.offsets[len(name) + 1 :])
                    self.variables[name] = Variable(value, self.unit.span(word.start, word.end))

    # -- command lines -----------------------------------------------------------
    def command_lines(self, entries: list[Entry]) -> list[list[UnitWord]]:
        """The words of each command line to run, in order (an empty assignment resets its key)."""
        lines: dict[str, list[list[UnitWord]]] = {key: [] for key in EXEC_KEYS}
        for entry in entries:
            if entry.key not in lines:
                continue
            if not entry.value.chars:
                lines[entry.key].clear()
                continue
            current: list[UnitWord] = []
            for word in split_words(entry.value):
                if word.end - word.start == 1 and word.text.chars == ";":
                    lines[entry.key].append(current)
                    current = []
                else:
                    current.append(word)
            lines[entry.key].append(current)
        return [line for key in EXEC_KEYS for line in lines[key] if line]

    def invocations(self, words: list[UnitWord]) -> list[Invocation]:
        """The container-tool invocations one command line makes (directly or through shell code)."""
        from composelint.sources.shell.commands import resolve

        first = words[0]
        prefix = len(first.text.chars) - len(first.text.chars.lstrip(_PREFIXES))
        flags = first.text.chars[:prefix]
        program = UnitWord(
            Text(first.text.chars[prefix:], first.text.offsets[prefix:]), first.start, first.end
        )
        rest = words[2:] if "@" in flags else words[1:]
        arguments = [
            arg for word in (program, *rest) for arg in self.expand(word, substitute=":" not in flags)
        ]
        if not arguments:
            return []
        resolution = resolve([a.text.chars for a in arguments], frozenset(self.tools))
        if resolution.tool:
            chosen = arguments[resolution.index :]
            words_out = [self.word(a) for a in chosen]
            span = self.unit.span(chosen[0].start, chosen[-1].end)
            return [Invocation(resolution.tool, words_out, span)]
        return [
            invocation
            for start, stop in resolution.codes
            for invocation in self.nested(arguments[start:stop], resolution.via)
        ]

    def word(self, argument: Argument) -> Word:
        return Word(
            argument.text.chars,
            self.unit.span(argument.start, argument.end),
            self.unit.text[argument.start : argument.end],
            "unknown" if UNKNOWN in argument.text.chars else argument.certainty,
            argument.origin,
        )

    def nested(self, arguments: list[Argument], via: str) -> list[Invocation]:
        """Shell code (`sh -c CODE`): parsed by the shell front end, positions mapped back."""
        from composelint.sources.shell import parse_script

        joined = TextBuilder()
        for position, argument in enumerate(arguments):
            if position:
                joined.add(" ", argument.start)
            joined.extend(argument.code)
        code = joined.build()
        if not code.offsets:
            return []
        # Same-length stand-ins: the shell front end counts lines at LF only and reads NUL as unknown.
        chars = code.chars.replace("\r", " ")
        script = parse_script(self.unit.path, chars, self.tools)
        mapper = _CodeMap(self.unit, chars, code.offsets)
        self.diagnostics.extend(
            replace(d, span=mapper.span(d.span), related=tuple(mapper.span(r) for r in d.related))
            for d in script.diagnostics
        )
        return [
            Invocation(
                invocation.tool,
                [
                    replace(
                        word,
                        span=mapper.span(word.span),
                        origin=mapper.span(word.origin) if word.origin else None,
                    )
                    for word in invocation.words
                ],
                mapper.span(invocation.span),
                invocation.via or via,
                invocation.certainty,
                invocation.reason,
            )
            for invocation in script.invocations
        ]

    # -- expansion ---------------------------------------------------------------
    def expand(self, word: UnitWord, substitute: bool) -> list[Argument]:
        """Specifiers, then (unless `:`) environment variables: one word may become none or several."""
        text = self.specifiers(word.text)
        if not substitute:
            return [Argument(text, text, word.start, word.end)]
        name = text.chars[1:]
        if text.chars.startswith("$") and name and set(name) <= _NAME_CHARACTERS and not name[0].isdigit():
            return self.split_variable(name, word)
        return [self.substitute(text, word)]

    def split_variable(self, name: str, word: UnitWord) -> list[Argument]:
        """`$NAME` as a word of its own: the value split at blanks into words."""
        variable = self.variables.get(name)
        written = Text(f"${{{name}}}", (word.start,) * (len(name) + 3))
        if variable is None:
            return [Argument(Text(UNKNOWN, (word.start,)), written, word.start, word.end, "unknown")]
        certainty = "possible" if self.overridable else "definite"
        return [
            Argument(
                Text(part, (word.start,) * len(part)),
                written,
                word.start,
                word.end,
                certainty,
                variable.origin,
            )
            for part in variable.value.chars.split()
        ]

    def substitute(self, text: Text, word: UnitWord) -> Argument:
        """`${NAME}` anywhere in the word, `$$` -> `$`."""
        chars, offsets = text.chars, text.offsets
        if "$" not in chars:  # most words: as written, without building them again one character at a time
            return Argument(text, text, word.start, word.end, "definite", None)
        value, code = TextBuilder(), TextBuilder()
        certainty, origin = "definite", None
        index = 0
        while index < len(chars):
            char = chars[index]
            if char == "$" and chars[index + 1 : index + 2] == "$":
                value.add("$", offsets[index])
                code.extend(Text("$$", offsets[index : index + 2]))
                index += 2
                continue
            # A variable name is short: a `${` without a near `}` is no reference (and no rescan).
            close = chars.find("}", index + 2, index + 258) if chars[index + 1 : index + 2] == "{" else -1
            name = chars[index + 2 : close] if close > 0 else ""
            if char == "$" and name and set(name) <= _NAME_CHARACTERS:
                variable = self.variables.get(name)
                if variable is None:
                    value.add(UNKNOWN, offsets[index])
                    code.extend(Text(chars[index : close + 1], offsets[index : close + 1]))
                    certainty = "unknown"
                else:
                    value.add(variable.value.chars, offsets[index])
                    code.add(variable.value.chars, offsets[index])
                    origin = variable.origin
                    if self.overridable and certainty == "definite":
                        certainty = "possible"
                index = close + 1
                continue
            value.add(char, offsets[index])
            code.add(char, offsets[index])
            index += 1
        return Argument(value.build(), code.build(), word.start, word.end, certainty, origin)

    def specifiers(self, text: Text) -> Text:
        """`%n`, `%i`, ... replaced; an unknown value becomes UNKNOWN; `%` before an unknown letter stays."""
        if "%" not in text.chars:
            return text
        known = self.specifier_values()
        result = TextBuilder()
        index = 0
        chars, offsets = text.chars, text.offsets
        while index < len(chars):
            if chars[index] == "%" and index + 1 < len(chars):
                letter = chars[index + 1]
                value = known.get(letter, UNKNOWN if letter.isalpha() else None)
                if value is not None:
                    result.add(value, offsets[index])
                    index += 2
                    continue
            result.add(chars[index], offsets[index])
            index += 1
        return result.build()

    def specifier_values(self) -> dict[str, str]:
        """What the unit's file name says: `web@.service` is a template (instance unknown)."""
        name = self.name
        stem = name.rsplit(".", 1)[0]
        prefix, at, instance = stem.partition("@")
        if at and not instance:
            instance = UNKNOWN
            name = f"{prefix}@{UNKNOWN}.{name.rsplit('.', 1)[-1]}"
            stem = f"{prefix}@{UNKNOWN}"
        return {
            **_FIXED_SPECIFIERS,
            "n": name,
            "N": stem,
            "p": prefix,
            "P": prefix,
            "i": instance,
            "I": instance,
            "j": prefix.rsplit("-", 1)[-1],
            "J": prefix.rsplit("-", 1)[-1],
        }


class _CodeMap:
    """Spans in nested code -> spans in the unit file, through the offset of every code character."""

    def __init__(self, unit: UnitFile, code: str, offsets: tuple[int, ...]):
        self.unit = unit
        self.offsets = offsets
        self.starts = [0] + [i + 1 for i, c in enumerate(code) if c == "\n"]

    def offset(self, line: int, column: int) -> int:
        line = min(max(line, 1), len(self.starts))
        return min(max(self.starts[line - 1] + column - 1, 0), len(self.offsets) - 1)

    def span(self, span: Span) -> Span:
        start = self.offsets[self.offset(span.line, span.column)]
        last = self.offsets[self.offset(span.end_line, span.end_column - 1)]
        return self.unit.span(start, max(last + 1, start + 1))


def load_unit(
    path: str, *, display=None, texts: dict[str, str] | None = None, tools: tuple[str, ...] = DEFAULT_TOOLS
) -> Project:
    """Read the unit at `path` (or `texts[path]` for standard input) into a project."""
    from composelint.sources.files import read_text, too_large

    shown = display(path) if display else path
    text = texts[path] if texts and path in texts else read_text(path)
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_UNIT_BYTES:
        project = Project(name=shown, diagnostics=[too_large(shown, "Unit file", MAX_UNIT_BYTES)])
        project.sources.append(SourceFile(shown, "script", "systemd", text))
        return project
    unit = UnitFile(shown, text)
    reader = UnitReader(unit, os.path.basename(path), tools)
    service = unit.entries_in("Service")
    reader.read_environment(service)
    invocations = [i for words in reader.command_lines(service) for i in reader.invocations(words)]
    project = Project(name=shown)
    project.sources.append(SourceFile(shown, "script", "systemd", text))
    project.diagnostics.extend(reader.diagnostics)
    read_invocations(project, invocations)
    for workload in project.workloads:  # named after the key of the command line that starts it
        start = unit.line_starts[workload.span.line - 1] + workload.span.column - 1
        workload.unit_key = next((e.key for e in service if e.start <= start < e.end), "")
        workload.socket_activated = socket_activated(unit, path, workload.environment)
    project.directives = scan_directives(
        shown,
        text,
        [(*unit.position(e.start), unit.position(e.end - 1)[0]) for e in unit.entries],
        [unit.value_span(e) for e in unit.entries if "composelint" in e.value.chars],
    )
    return project


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    """The unit as the one project of its file (the front-end interface of sources.kinds)."""
    return [load_unit(path, display=display, texts=texts)]
