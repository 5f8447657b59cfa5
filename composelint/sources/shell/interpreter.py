"""Consumes the parse events of a script in source order: tracks variables,
expands words, finds tool invocations and re-parses nested shell code."""

from __future__ import annotations

import posixpath
import re
from functools import cached_property

from composelint.model import Diagnostic, Span
from composelint.patterns import lazy_pattern
from composelint.records import replace
from composelint.sources.docker_cli.words import UNKNOWN, Invocation, Word
from composelint.sources.shell.commands import (
    RUNNERS,
    SHELLS,
    WRAPPERS,
    basename,
    engine_variable,
    resolve,
    runs_arguments,
    skip_options,
)
from composelint.sources.shell.events import (
    TOP,
    Assignment,
    Command,
    Context,
    Extent,
    LoopVariable,
    Note,
    Scope,
    Value,
)
from composelint.sources.shell.expand import (
    DEFINITE,
    MAX_ELEMENTS,
    POSSIBLE,
    UNSURE,
    Binding,
    Element,
    Expander,
    Field,
    Variables,
    describe,
    field_text,
    unknown_binding,
    worst,
)
from composelint.sources.shell.lexer import ASSIGNMENT, MAX_DEPTH
from composelint.sources.shell.positions import Code, LineIndex, normalise
from composelint.sources.shell.sourcing import MAX_SOURCE_DEPTH, MAX_SOURCED, Sources
from composelint.sources.shell.syntax_tree import parse_events
from composelint.values import parse_integer

MAX_NESTED = 4  # sh -c inside ssh inside eval ...: levels of re-parsed nested code
# Characters of nested code (eval, sh -c, ssh, here-docs fed to a shell) re-parsed for one script:
# `A="$A;$A"` eleven times, then `eval "$A"` twenty times, is 1.2 MB of code from 328 bytes.
MAX_NESTED_CODE = 256 * 1024
MAX_CALLS = 8  # functions evaluated inside functions at a call site
MAX_ALTERNATIVES = 4  # other possible values kept for one variable, and variants of one command
_NESTED_DEPTH = MAX_DEPTH // MAX_NESTED  # stack budget a nested level takes from the lexer's

DECLARATIONS = frozenset({"export", "local", "declare", "typeset", "readonly"})
_VARIABLE_COMMANDS = frozenset({"read", "mapfile", "readarray", "printf", "getopts", "unset"})
_NESTED_CODE = frozenset({"eval", "ssh", "su"})
_RUNS_COMMANDS = frozenset(WRAPPERS) | SHELLS | _NESTED_CODE | frozenset(RUNNERS)
# Commands whose arguments are text, never a command they run (`echo docker run x`).
_DATA_COMMANDS = frozenset(
    {
        "echo",
        "printf",
        "print",
        "logger",
        "alias",
        "cat",
        "grep",
        "sed",
        "awk",
        "test",
        "[",
        "[[",
        "man",
        "help",
    }
)
_MENTIONS_TOOL = lazy_pattern(r"docker|podman|nerdctl|container_|engine|oci_bin", re.IGNORECASE)
_NAME = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*")
# What may follow a command up to a `&` that runs it in the background: redirections (`>log 2>&1`).
_BACKGROUND = lazy_pattern(r"(?:[ \t]*\d*(?:[<>]+&[0-9-]+|(?:&>|[<>])>?[ \t]*[^\s;&|<>()]+))*[ \t]*&(?![&>])")


def _background(text: str, end: int) -> bool:
    """The command that ends at `end` runs in the background (`&` after it, redirections between)."""
    # Most commands end a line: no `&` can follow, and the pattern is not tried.
    first = text[end : end + 1]
    return (first in _BACKGROUND_STARTS or first.isdecimal()) and _BACKGROUND.match(text, end) is not None


_BACKGROUND_STARTS = frozenset(" \t<>&")  # or a digit (`\d`: any decimal digit)


# What makes a word more than its own text, except a line continuation between words (a
# backslash before a newline).  One class first, then the exception: the regular expression engine
# skips ahead to a character of the class (`['"...]|\\(?!\n)` tried both at every character).
_NOT_PLAIN = lazy_pattern(r"[\\'\"`$<>](?<!\\(?=\n))")

_ALL_ARGUMENTS = lazy_pattern(r'"?\$(?:@|\*|\{@(?::(?P<first>[0-9]+))?\}|\{\*\})"?')
_FROM_ARGUMENTS = lazy_pattern(r'(?P<name>[A-Za-z_][A-Za-z0-9_]*)=\(?"?\$(?:@|\*|\{[@*][^}]*\})"?\)?')
_VARIABLE = lazy_pattern(r'"?\$\{?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[[@*]\])?\}?"?')


class Function:
    """A function of the script: its body's commands and assignments, as parse events of `code`."""

    def __init__(self, name: str, code: Code):
        self.name = name
        self.code = code
        self.events: list[Command | Assignment] = []
        self.nesting = 0  # subshells and substitutions open while the body is read

    @cached_property
    def prints(self) -> bool:
        """Whether the function prints (its output may be flags: `docker run $(opts) img`)."""
        return any(
            isinstance(e, Command)
            and e.words
            and self.code.text[e.words[0][0] : e.words[0][1]] in ("echo", "printf")
            for e in self.events
        )

    @cached_property
    def forwards(self) -> tuple[Command, int, int] | None:
        """The body's command that runs the function's arguments: (command, index of the word
        holding them, how many arguments it skips first): `"$@"`, `sudo "$@"`, `shift; "$@"`,
        `"${@:2}"`, `cmd=("$@"); "${cmd[@]}"`, `"${args[@]}" "$@"`.  Asked only at call sites,
        after the body has been read."""
        shifts, held = 0, set()  # held: variables holding the arguments
        for event in self.events:
            raw = [self.code.text[a:b] for a, b in (event.words if isinstance(event, Command) else [])]
            if isinstance(event, Assignment) or (raw and raw[0] in DECLARATIONS):
                texts = raw[1:] if raw else [self.code.text[event.start : event.end]]
                held |= {m["name"] for m in map(_FROM_ARGUMENTS.fullmatch, texts) if m}
                continue
            if not raw or raw[0] in ("echo", "printf", "log", "logger"):
                continue
            if raw[0] == "shift":
                count = parse_integer(raw[1]) if len(raw) > 1 else None
                shifts += 1 if count is None else count
                continue
            for index, word in enumerate(raw):
                arguments = _ALL_ARGUMENTS.fullmatch(word)
                if arguments:
                    first = parse_integer(arguments["first"] or "1") or 1
                    return event, index, shifts + max(first - 1, 0)
                variable = _VARIABLE.fullmatch(word)
                if variable and variable["name"] in held:
                    return event, index, shifts
        return None


class Interpreter:
    def __init__(
        self, path: str, src: str, text: str, tools: tuple[str, ...], sources: Sources | None = None
    ):
        self.lines = LineIndex(path, src, text)
        self.sources = sources
        self.quiet = 0  # reading a sourced file: its functions and variables count, not its commands
        self.source_site: tuple[Code, int] | None = None  # the script's outermost `source` command
        self.tools = frozenset(tools)
        self.variables = Variables()
        self.invocations: list[Invocation] = []
        self.extents: set[tuple[int, int, int]] = set()
        # What a suppression comment covers, needed only if the script can hold one: a directive
        # names composelint (directives.py), and most scripts never do.
        self.directives_possible = "composelint" in src
        self.values: set[Span] = set()
        self.diagnostics: list[Diagnostic] = []
        self.functions: dict[str, Function] = {}
        self.calling: list[str] = []  # functions being evaluated at a call site, innermost last
        self.noted_calls: set[str] = set()
        self.noted_sources = False
        self.env_values: dict[str, str] = {}  # value -> variable name, from sourced env files
        self.defining: list[Function] = []  # functions whose bodies are being read
        self.unread: list[Diagnostic] = []  # where the parser gave up (CL007 with a container command)
        self.nested_size = 0  # characters of nested code re-parsed (MAX_NESTED_CODE)
        self.noted_size = False
        # A command reached again by another expansion path (`A="$A;$A"; eval "$A"`) is one command:
        # the invocations found so far by their span (most spans are found once).
        self.seen: dict[Span, list[Invocation]] = {}

    def span(self, code: Code, start: int, end: int) -> Span:
        return (code.lines or self.lines).span(*code.file_range(start, end))

    def diagnostic(self, code: Code, offset: int, message: str, rule: str = "CL007") -> None:
        """CL007 (a parse problem) or CL010 (a documented bound was hit) at `offset` of `code`."""
        if self.quiet and self.source_site is not None:
            code, offset = self.source_site  # reported where the script sources the file
        offset = min(offset, len(code.text))
        span = self.span(code, offset, min(offset + 1, len(code.text)))
        self.diagnostics.append(Diagnostic(rule, message, span))

    # -- one piece of code --

    def run(self, code: Code, base: Context = TOP, via: str = "", depth: int = 0) -> None:
        """Parse `code` and interpret its events; `base` is the context of the
        command that holds nested code, `via` how the code was reached."""
        parsed = parse_events(code.text, depth * _NESTED_DEPTH, extents=self.directives_possible)
        if parsed.error is not None and not (via and UNKNOWN in code.text):
            # Code built at run time (`eval "$cmd"`) is unknown code, not a syntax error.
            where = f"the code given to `{via}`" if via else "this script"
            site, offset = (
                self.source_site if self.quiet and self.source_site is not None else (code, parsed.error)
            )
            offset = min(offset, len(site.text))
            self.unread.append(
                Diagnostic(
                    "CL007",
                    f"the shell parser could not read {where} from here (a syntax error, or a "
                    f"construct it does not know): {parsed.recovered} command(s) from there on were read "
                    f"with the fallback lexer",
                    self.span(site, offset, min(offset + 1, len(site.text))),
                )
            )
        expander = self.expander(code, depth * _NESTED_DEPTH)
        code_bodies: set[int] = set()  # here-docs fed to a shell: their events come from the re-parse
        for event in parsed.events:
            if event.owners and not code_bodies.isdisjoint(event.owners):
                continue
            if type(event) is Extent:  # the most common event (a command or compound command)
                if self.directives_possible:
                    self.extent(code, event.start, event.end)
                continue
            if isinstance(event, Command):
                self.command(code, expander, event, event.context.join(base), via, depth, code_bodies)
            elif isinstance(event, Assignment):
                self.assign(code, expander, event.start, event.end, event.context.join(base), local=False)
            elif isinstance(event, LoopVariable):
                self.variables.set(event.name, unknown_binding())
            elif isinstance(event, Value) and code.lines is None:
                self.values.add(self.span(code, event.start, event.end))
            elif isinstance(event, Scope):
                (self.variables.push if event.enter else self.variables.pop)(event.kind)
                if event.kind == "function" and event.enter:
                    self.defining.append(Function(event.name, code))
                elif event.kind == "function" and self.defining:
                    function = self.defining.pop()
                    if function.name:
                        self.functions[function.name] = function
            if self.defining and isinstance(event, Scope) and event.kind == "subshell":
                self.defining[-1].nesting += 1 if event.enter else -1
            elif self.defining and not self.defining[-1].nesting and isinstance(event, (Command, Assignment)):
                self.defining[-1].events.append(event)  # the body's own commands, not those in $( )
            elif isinstance(event, Note):
                self.diagnostic(code, event.start, event.message, "CL010" if event.limit else "CL007")

    def expander(self, code: Code, depth: int) -> Expander:
        expander = Expander(
            code.text,
            self.variables,
            lambda a, b: self.span(code, a, b),
            depth,
            lambda a, b, d: self.substitution(code, a, b, d),
        )
        expander.directory = posixpath.dirname((code.lines or self.lines).path) or "."
        return expander

    # -- sourced files --

    def source(self, code: Code, event: Command, texts: list[str], context: Context, depth: int) -> None:
        """`. FILE` / `source FILE`: read FILE's functions and variables, if it is in the project."""
        if self.sources is None or len(texts) < 2 or UNKNOWN in texts[1]:
            return
        real = self.sources.locate(texts[1])
        if real is None or real in self.sources.stack:
            return  # outside the project, missing, or already being read (a cycle)
        outermost = self.source_site is None
        if outermost:
            self.source_site = (code, event.start)
        try:
            if len(self.sources.stack) > MAX_SOURCE_DEPTH or self.sources.count >= MAX_SOURCED:
                if not self.noted_sources:
                    self.noted_sources = True
                    self.diagnostic(
                        code,
                        event.start,
                        f"sourced files nested more than {MAX_SOURCE_DEPTH} deep, or more than "
                        f"{MAX_SOURCED} for one script, are not read",
                        "CL010",
                    )
                return
            text = self.sources.read(real)
            if text is None:
                return
            self.sources.count += 1
            self.sources.stack.append(real)
            src = normalise(text)
            self.quiet += 1
            try:
                self.run(
                    Code(src, lines=LineIndex(self.sources.display(real), src, text)), context, "", depth
                )
            finally:
                self.quiet -= 1
                self.sources.stack.pop()
        finally:
            if outermost:
                self.source_site = None

    # -- functions evaluated at their call sites --

    def substitution(
        self, code: Code, start: int, end: int, depth: int
    ) -> tuple[str, str, Span | None] | None:
        """The output of `$(NAME args)` where NAME is a function of the script that prints."""
        name = code.text[start:end].split(None, 1)[:1]
        function = self.functions.get(name[0]) if name else None
        if function is None or not function.prints:
            return None
        inner = code.slice(start, end)
        commands = [e for e in parse_events(inner.text, depth).events if isinstance(e, Command)]
        if len(commands) != 1:
            return None
        expander = self.expander(inner, depth)
        arguments = [f for a, b in commands[0].words[1:] for f in expander.fields(a, b)]
        return self.call(function, arguments, (inner, 0), depth)

    def call(
        self, function: Function, arguments: list[Field], site: tuple[Code, int], depth: int
    ) -> tuple[str, str, Span | None] | None:
        """What a function prints (`echo`/`printf`, and the functions it calls), its arguments
        bound; `possible` when a part is printed only in a branch.  Calls nest at most MAX_CALLS
        deep and a function never evaluates itself again (its output there is unknown)."""
        if function.name in self.calling or len(self.calling) >= MAX_CALLS:
            if function.name not in self.noted_calls:
                self.noted_calls.add(function.name)
                self.diagnostic(
                    *site,
                    f"function `{function.name}` calls itself or nests more than {MAX_CALLS} calls: "
                    "what it prints there is not evaluated",
                )
            return None
        layers = len(self.variables.layers)
        self.bind(function, arguments)
        try:
            return self.printed(function, depth)
        finally:
            del self.variables.layers[layers:]
            self.calling.pop()

    def bind(self, function: Function, arguments: list[Field]) -> None:
        """A function's call: a variables layer with its positional parameters."""
        self.calling.append(function.name)
        self.variables.push("function")
        elements = [Element(*describe(field)) for field in arguments]
        for index, element in enumerate(elements[:9], start=1):
            self.variables.set(str(index), Binding((element,)), local=True)
        self.variables.set("@", Binding(tuple(elements), array=True), local=True)

    def assigned(self, function: Function, event: Command | Assignment, expander: Expander) -> bool:
        """Run an assignment or declaration of the function's body at a call; False for other commands."""
        code = function.code
        context = Context(conditional=event.context.branch, function=True, branch=event.context.branch)
        if isinstance(event, Assignment):
            self.assign(code, expander, event.start, event.end, context, local=False)
            return True
        first = code.text[event.words[0][0] : event.words[0][1]] if event.words else ""
        if first in DECLARATIONS:
            self.declare(code, expander, event, first, context)
            return True
        return False

    def forwarded(
        self, function: Function, arguments: list[Field], depth: int
    ) -> tuple[list[Field], list[tuple[int, int] | None]]:
        """The words a forwarding function puts before its arguments, evaluated at this call."""
        assert function.forwards is not None
        command, index, _ = function.forwards
        layers = len(self.variables.layers)
        self.bind(function, arguments)
        try:
            expander = self.expander(function.code, depth)
            for event in function.events:
                if event is command:
                    break
                self.assigned(function, event, expander)
            words = command.words[:index]
            return _flattened(words, [expander.fields(*word_range) for word_range in words])
        finally:
            del self.variables.layers[layers:]
            self.calling.pop()

    def printed(self, function: Function, depth: int) -> tuple[str, str, Span | None]:
        code, expander = function.code, self.expander(function.code, depth)
        outputs: list[str] = []
        certainty, origin = DEFINITE, None
        for event in function.events:
            if self.assigned(function, event, expander) or not isinstance(event, Command):
                continue
            first = code.text[event.words[0][0] : event.words[0][1]] if event.words else ""
            if first in ("echo", "printf"):
                fields = [f for a, b in event.words[1:] for f in expander.fields(a, b)]
                texts = [field_text(f) for f in fields]
                if first == "echo":
                    while texts and texts[0] in ("-n", "-e", "-E", "-ne", "-en"):
                        texts, fields = texts[1:], fields[1:]
                elif texts and "%" in texts[0]:
                    texts, fields = texts[1:], fields[1:]  # printf '%s ' ARGS: the arguments
                printed: tuple[str, str, Span | None] = (" ".join(texts), DEFINITE, None)
                for field in fields:
                    certainty = worst(
                        certainty, describe(field)[1] if UNKNOWN not in field_text(field) else DEFINITE
                    )
            elif first in self.functions:
                callee = [f for a, b in event.words[1:] for f in expander.fields(a, b)]
                printed = self.call(self.functions[first], callee, (code, event.start), depth) or (
                    UNKNOWN,
                    UNSURE,
                    None,
                )
                certainty = worst(certainty, printed[1]) if printed[0] != UNKNOWN else certainty
            else:
                continue
            outputs.append(printed[0])
            origin = origin or printed[2] or self.span(code, event.start, event.end)
            if event.context.branch:
                certainty = worst(certainty, POSSIBLE)
        return " ".join(outputs), certainty, origin

    def extent(self, code: Code, start: int, end: int) -> None:
        if code.lines is not None:
            return  # suppression comments are read in the script itself only
        first, last = code.file_range(start, end)
        span = self.lines.span(first, last - 1)
        self.extents.add((span.line, span.column, span.end_line))

    def nested(self, code: Code, context: Context, via: str, depth: int, share: bool) -> None:
        """Re-parse nested code; only `eval` runs in the same shell (shares variables)."""
        if depth + 1 > MAX_NESTED:
            self.diagnostic(
                code,
                0,
                f"shell code nested more than {MAX_NESTED} levels deep "
                f"(sh -c, eval, ssh, here-doc) is not analysed",
                "CL010",
            )
            return
        self.nested_size += len(code.text)
        if self.nested_size > MAX_NESTED_CODE:
            if not self.noted_size:
                self.noted_size = True
                self.diagnostic(
                    code,
                    0,
                    f"`{via}` code not analysed from here: the code nested in this script "
                    f"(eval, sh -c, ssh, here-docs) is over {MAX_NESTED_CODE // 1024} KiB",
                    "CL010",
                )
            return
        layers = len(self.variables.layers)
        if not share:
            self.variables.push("subshell")
        try:
            self.run(code, context, via, depth + 1)
        finally:
            del self.variables.layers[layers:]

    # -- commands --

    def command(
        self,
        code: Code,
        expander: Expander,
        event: Command,
        context: Context,
        via: str,
        depth: int,
        code_bodies: set[int],
    ) -> None:
        if not event.words:  # only assignments and redirections: the assignments stay
            for start, end in event.prefix:
                self.assign(code, expander, start, end, context, local=False)
            return
        first_raw = code.text[event.words[0][0] : event.words[0][1]]
        if first_raw in DECLARATIONS:
            self.declare(code, expander, event, first_raw, context)
            return
        expander.branching.clear()
        # A command name written plainly (most) is its own text: its fields are made only if needed.
        literal = expander.literal(*event.words[0])
        if literal is not None:
            first_fields = None
            name = basename(literal)
        else:
            first_fields = expander.fields(*event.words[0])
            name = basename(field_text(first_fields[0])) if first_fields else ""
        if name in _VARIABLE_COMMANDS:
            self.variable_command(name, code, event, context)
            return
        if name in (".", "source"):
            path = [field_text(f) for start, end in event.words[1:2] for f in expander.fields(start, end)]
            self.source(code, event, [name, *path[:1]], context, depth)
            return
        known = name in self.tools or name in _RUNS_COMMANDS
        # `echo ...` never runs a command, unless the script defines a function of that name.
        data = name in _DATA_COMMANDS and not known and name not in self.functions
        if data or not (
            known or (UNKNOWN in name and engine_variable(first_raw)) or self.mentions_tool(code, event)
        ):
            self.side_effects(code, expander, event.words[1:])
            return
        if name in self.tools and code.starts is None and self.plain_invocation(code, event, name, via):
            return
        expanded = [expander.fields(*event.words[0]) if first_fields is None else first_fields]
        expanded += [expander.fields(start, end) for start, end in event.words[1:]]
        fields, written = _flattened(event.words, expanded)
        codes = [code] * len(fields)  # where each field is written
        function = self.functions.get(name)
        forwards = function.forwards if function is not None and not known else None
        forwarded = forwards is not None and name not in self.calling
        if function is not None and forwards is not None and forwarded:
            # A function of the script that runs its arguments, after words of its own (a wrapper,
            # `"${args[@]}" "$@"` with args=(sudo nerdctl)): those words, then the call's arguments.
            prefix, prefix_written = self.forwarded(function, fields[1:], depth)
            rest = skip_options([field_text(f) for f in fields], 1 + forwards[2], "", frozenset())
            fields, written = prefix + fields[rest:], prefix_written + written[rest:]
            codes = [function.code] * len(prefix) + codes[rest:]
            name = basename(field_text(fields[0])) if fields else ""
            known = name in self.tools or name in _RUNS_COMMANDS
        texts = [field_text(f) for f in fields]
        guessed: dict[int, str] = {}  # engine-named variables of unknown value, taken to be the engine
        for index, single in enumerate(written):
            if texts[index] == UNKNOWN and single is not None:
                raw = codes[index].text[single[0] : single[1]]
                tool = engine_variable(raw)
                if tool and tool in self.tools:
                    texts[index], guessed[index] = tool, raw
        start, certainty, reason = 0, DEFINITE, ""
        if not known and not guessed.get(0):
            start = runs_arguments(texts, self.tools)
            if not start or name in _DATA_COMMANDS:
                self.side_effects(code, expander, event.words[1:])
                return
            certainty, reason = POSSIBLE, f"`{name}` is taken to run its arguments as a command"
        resolution = resolve(texts[start:], self.tools)
        if resolution.tool:
            first = start + resolution.index
            if first in guessed:
                certainty = POSSIBLE
                reason = f"`{guessed[first]}` is taken to be {resolution.tool}: its value is only known at run time"
            made = [
                self.word(c, f, w)
                for c, f, w in zip(codes[first:], fields[first:], written[first:], strict=False)
            ]
            words = [replace(made[0], text=resolution.tool), *made[1:]] if first in guessed else made
            span = self.span(code, event.start, event.end)
            invocation = Invocation(resolution.tool, words, span, via, certainty, reason)
            invocation.background = _background(code.text, event.end)
            if not forwarded:
                invocation.variants = self.variants(
                    code, expander, event, first, texts, expanded, fields, made
                )
            self.found(invocation)
        if forwarded:
            return  # the words of a forwarding function's own command: no nested code followed
        for index, stop in resolution.codes:
            nested = self.nested_code(code, fields[start + index : start + stop])
            self.nested(nested, context, resolution.via, depth, share=resolution.via == "eval")
        if resolution.stdin and event.heredocs:
            heredoc = event.heredocs[-1]
            code_bodies.add(heredoc.id)
            self.nested(code.slice(*heredoc.body), context, "here-doc", depth, share=False)

    def plain_invocation(self, code: Code, event: Command, tool: str, via: str) -> bool:
        """The invocation of a command that names the tool itself and is written in plain words (no
        quote, escape or expansion: most commands of a long script), each word its own text, without
        the general expansion; False, and nothing done, for any other command.  Such a command runs
        no nested code and has no variants."""
        text, ranges = code.text, event.words
        first, last = ranges[0][0], ranges[-1][1]
        if _NOT_PLAIN.search(text, first, last) is not None:
            return False
        texts = [text[start:end] for start, end in ranges]
        if not all(texts) or (text.find("\\", first, last) >= 0 and any("\\" in word for word in texts)):
            return False  # a continuation inside a word
        lines = code.lines or self.lines
        spans = lines.spans(ranges)
        if lines.verbatim:
            words = [Word(word, span, word) for word, span in zip(texts, spans, strict=True)]
        else:
            words = [
                Word(word, span, lines.written(start, end))
                for word, span, (start, end) in zip(texts, spans, ranges, strict=True)
            ]
        invocation = Invocation(tool, words, self.span(code, event.start, event.end), via)
        invocation.background = _background(text, event.end)
        self.found(invocation)
        return True

    def found(self, invocation: Invocation) -> None:
        """Keep an invocation of the script's own code, unless the same words at the same place
        were found already."""
        if self.quiet:
            return
        earlier = self.seen.setdefault(invocation.span, [])
        if earlier:
            words = [(word.text, word.span) for word in invocation.words]
            if any(
                other.via == invocation.via and [(word.text, word.span) for word in other.words] == words
                for other in earlier
            ):
                return
        earlier.append(invocation)
        self.invocations.append(invocation)

    def variants(
        self,
        code: Code,
        expander: Expander,
        event: Command,
        first: int,
        texts: list[str],
        expanded: list[list[Field]],
        fields: list[Field],
        made: list[Word],
    ) -> list[list[Word]]:
        """The command's words once per other possible value of a variable it uses (at most
        MAX_ALTERNATIVES in all), when they differ from the words of the first expansion
        (`expanded` per word, `fields` flattened, `texts` theirs; `made`: the Words of its fields
        from `first` on)."""
        if not expander.branching:
            return []
        # A variant's word that did not change is the first expansion's (same field, same place).
        reuse = {id(f): w for f, w in zip(fields[first:], made, strict=False)}
        branching, out = dict(expander.branching), []  # type: dict[str, int], list[list[Word]]
        expander.branching.clear()
        for name, count in branching.items():
            for pick in range(1, count + 1):
                if len(out) >= MAX_ALTERNATIVES:
                    break
                expander.choice = {name: pick}
                chosen = [
                    expander.fields(*word_range)
                    if name in code.text[word_range[0] : word_range[1]]
                    else primary
                    for word_range, primary in zip(event.words, expanded, strict=False)
                ]
                variant, written = _flattened(event.words, chosen)
                if [field_text(f) for f in variant[first:]] != texts[first:]:
                    out.append(
                        [
                            reuse.get(id(f)) or self.word(code, f, w)
                            for f, w in zip(variant[first:], written[first:], strict=False)
                        ]
                    )
        expander.choice, expander.branching = {}, {}
        return out

    def mentions_tool(self, code: Code, event: Command) -> bool:
        """A cheap look at an unknown command's text before its words are expanded."""
        return _MENTIONS_TOOL.search(code.text, event.start, event.end) is not None

    def word(self, code: Code, field: Field, written: tuple[int, int] | None) -> Word:
        """A field as a Word: the span of the written word, or of the expansion it came from."""
        start, end = written if written else (field[0].start, field[-1].end)
        if code.starts is not None:  # nested code: its characters are written elsewhere in the file
            start, end = code.file_range(start, end)
        text, certainty, origin = describe(field)
        lines = code.lines or self.lines
        return Word(text, lines.span(start, end), lines.written(start, end), certainty, origin)

    def nested_code(self, code: Code, fields: list[Field]) -> Code:
        """The fields joined by blanks (as `eval`, `ssh` and `sh -c` see them), each
        character mapped back to where it is written in the file."""
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for index, field in enumerate(fields):
            if index:
                parts.append(" ")
                starts.append(ends[-1] if ends else 0)
                ends.append(ends[-1] if ends else 0)
            for segment in field:
                parts.append(segment.text)
                if segment.exact:
                    for k in range(segment.start, segment.start + len(segment.text)):
                        first, last = code.file_range(k, k + 1)
                        starts.append(first)
                        ends.append(last)
                else:
                    first, last = code.file_range(segment.start, segment.end)
                    starts += [first] * len(segment.text)
                    ends += [last] * len(segment.text)
        return Code("".join(parts), starts, ends, code.lines)

    def side_effects(self, code: Code, expander: Expander, words: list[tuple[int, int]]) -> None:
        """Arguments of other commands matter only for `${X:=default}` (`: ${X:=v}`)."""
        for start, end in words:
            raw = code.text[start:end]
            if "${" in raw and "=" in raw:
                expander.fields(start, end)

    # -- variables --

    def declare(self, code: Code, expander: Expander, event: Command, keyword: str, context: Context) -> None:
        """export / local / declare / typeset / readonly NAME=value ..."""
        local = keyword == "local" or (keyword in ("declare", "typeset") and context.function)
        for start, end in event.words[1:]:
            raw = code.text[start:end]
            if raw[:1] in ("-", "+"):
                local = local and "g" not in raw
            elif ASSIGNMENT.match(raw):
                self.assign(code, expander, start, end, context, local)

    def variable_command(self, name: str, code: Code, event: Command, context: Context) -> None:
        """Builtins that set variables to values only known at run time."""
        words = [code.text[start:end] for start, end in event.words[1:]]
        if name == "unset":
            if "-f" not in words:
                for word in words:
                    if _NAME.fullmatch(word):
                        self.variables.set(word, None)
            return
        targets: list[str] = []
        if name == "read":
            targets = words[skip_options(words, 0, "adinNptu", frozenset()) :]
            targets += [words[i + 1] for i, w in enumerate(words[:-1]) if w == "-a"]
        elif name in ("mapfile", "readarray"):
            targets = words[skip_options(words, 0, "dnOsuCc", frozenset()) :][:1] or ["MAPFILE"]
        elif name == "printf" and words[:1] == ["-v"]:
            targets = words[1:2]
        elif name == "printf" and words and words[0].startswith("-v"):
            targets = [words[0][2:]]  # printf -vNAME
        elif name == "getopts":
            targets = words[1:2]
        origin = self.span(code, event.start, event.end)
        for target in targets:
            if _NAME.fullmatch(target):
                self.variables.set(target, unknown_binding(origin), local=context.function)

    def assign(
        self, code: Code, expander: Expander, start: int, end: int, context: Context, local: bool
    ) -> None:
        """NAME=value, NAME+=value, NAME=(elements), NAME+=(elements)."""
        raw = code.text[start:end]
        match = ASSIGNMENT.match(raw)
        if not match or "[" in match.group():  # A[i]=x: element assignments are not tracked
            return
        name = match.group().rstrip("+=")  # NAME= or NAME+=
        value_start = start + match.end()
        old = self.variables.get(name) if match.group().endswith("+=") else None
        origin = self.span(code, start, end)
        if code.text.startswith("(", value_start) and raw.endswith(")"):
            elements = list(old.elements) if old else []
            ranges, _ = expander.lexer.array_elements(value_start + 1)
            for element_start, element_end in ranges:
                for field in expander.fields(element_start, min(element_end, end)):
                    text, certainty, field_origin = describe(field)
                    if context.conditional:
                        certainty = worst(certainty, POSSIBLE)
                    elements.append(
                        Element(text, certainty, field_origin or self.span(code, element_start, element_end))
                    )
            if len(elements) > MAX_ELEMENTS:
                elements = [Element(UNKNOWN, "unknown", origin)]
            self.variables.set(
                name, self.alternatives(name, Binding(tuple(elements), array=True), context), local
            )
            return
        text, certainty, value_origin = expander.value(value_start, end)
        if (
            self.quiet
            and self.sources is not None
            and text
            and UNKNOWN not in text
            and self.sources.reading_env_file()
        ):
            self.env_values[text] = name
        if context.conditional:
            certainty, value_origin = worst(certainty, POSSIBLE), origin
        if old and old.elements:
            text = old.elements[0].text + text
            certainty = worst(certainty, old.elements[0].certainty)
        element = Element(text, certainty, value_origin or origin)
        rest = old.elements[1:] if old and old.array else ()
        binding = Binding((element,) + rest, array=bool(old and old.array))
        self.variables.set(name, self.alternatives(name, binding, context), local)

    def alternatives(self, name: str, binding: Binding, context: Context) -> Binding:
        """In a branch, the value before it stays possible beside the new one."""
        previous = self.variables.get(name)
        if not context.branch or previous is None:
            return binding
        earlier = tuple(
            tuple(e if e.certainty != DEFINITE else replace(e, certainty=POSSIBLE) for e in elements)
            for elements in (previous.elements, *previous.others)
        )
        texts = {tuple(e.text for e in binding.elements)}
        others: list[tuple[Element, ...]] = []
        for elements in earlier:
            key = tuple(e.text for e in elements)
            if key not in texts and len(others) < MAX_ALTERNATIVES:
                texts.add(key)
                others.append(elements)
        return replace(binding, others=tuple(others))


def _flattened(
    words: list[tuple[int, int]], expanded: list[list[Field]]
) -> tuple[list[Field], list[tuple[int, int] | None]]:
    """The fields of a command's words in order, each with its word's range when the word gave
    exactly one field (where a finding on it points), else None."""
    fields: list[Field] = []
    written: list[tuple[int, int] | None] = []
    for word_range, word_fields in zip(words, expanded, strict=False):
        fields += word_fields
        written += [word_range if len(word_fields) == 1 else None] * len(word_fields)
    return fields, written
