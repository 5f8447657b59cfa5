"""A small offset-keeping bash lexer.

Two jobs:

* scanning primitives (where does this word, quote, `$( )`, `${ }` end?)
  used by the word evaluator on any word;
* the fallback parser: from the first tree-sitter ERROR on, it splits the
  code into simple commands (words, prefix assignments, here-docs) and
  reports them as the same events as the tree walk.  It tracks reserved
  words only as far as needed for the context of a command (if/case/loop
  bodies, function bodies, && / ||); it never raises and never looks back.

`$( )` is lexed recursively (its end depends on quotes, comments, case
patterns and here-docs inside), at most MAX_DEPTH levels deep; deeper
nesting is skipped by a flat quote-aware parenthesis counter.
"""

from __future__ import annotations

import re

from composelint.patterns import lazy_pattern
from composelint.records import field, record
from composelint.sources.shell.events import (
    TOP,
    Assignment,
    Command,
    Context,
    Event,
    Extent,
    Heredoc,
    LoopVariable,
    Note,
    Scope,
    Value,
)

MAX_DEPTH = 48
TOO_DEEP = f"command substitutions nested deeper than {MAX_DEPTH} levels are not analysed"

ASSIGNMENT = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_WORD_SPECIAL = lazy_pattern(r"[ \t\n;&|<>()\\'\"`$]")
_DOUBLE_SPECIAL = lazy_pattern(r"[\"\\$`]")
_BACKTICK_SPECIAL = lazy_pattern(r"[\\`]")
_ANSI_SPECIAL = lazy_pattern(r"[\\']")
_BRACE_SPECIAL = lazy_pattern(r"[{}'\"\\$`]")
_PAREN_SPECIAL = lazy_pattern(r"[()'\"\\$`]")
_FLAT_SPECIAL = lazy_pattern(r"[()'\"\\`]")
_FLAT_BRACE_SPECIAL = lazy_pattern(r"[{}'\"\\`]")
_FLAT_DOUBLE = lazy_pattern(r"[\"\\]")
_HEREDOC_SPECIAL = lazy_pattern(r"[\\$`]")
_TEST_SPECIAL = lazy_pattern(r"[ \t\n\\'\"`$]")
_PARAMETER = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!\-]")
_REDIRECT = lazy_pattern(r"(?:[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})?(<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)")
_OPERATOR = lazy_pattern(r";;&|;;|;&|&&|\|\||\|&|;|&|\|")
_CONTINUES = {"&&", "||", "|", "|&"}
_CONDITIONAL_FRAMES = {"if", "loop", "case", "function"}
_CLOSERS = {"fi": "if", "done": "loop", "esac": "case", "}": "brace"}


def unquote_delimiter(raw: str) -> str:
    """A here-doc delimiter as bash compares it: quotes and backslashes removed."""
    return re.sub(r"\\(.)|['\"]", lambda m: m.group(1) or "", raw)


class Lexer:
    """Scans `text`; with an `events` list it also reports the commands it passes."""

    def __init__(self, text: str, events: list[Event] | None = None, depth: int = 0):
        self.s = text
        self.n = len(text)
        self.events = events
        self.depth = depth
        self.owners: tuple[int, ...] = ()
        self.base = TOP
        self.active: _Run | None = None  # the command sequence being lexed, for the context of a `$( )`
        self.commands = 0
        # Where the innermost construct being lexed ends: a `$( )` or backtick inside a backtick
        # substitution ends with it.  Lexing past it would lex the rest again at every level
        # (exponential in the nesting: issue 17, row 18).
        self.limit = self.n
        # Where each `$( )` ends, by (start, limit), when only scanning: the words of nested
        # commands are expanded one by one, and each would lex the substitutions inside it again.
        self.ends: dict[tuple[int, int], int] = {}
        self.noted_depth = False

    # -- scanning primitives: each returns the index just after the construct --

    def too_deep(self, i: int) -> None:
        """Past MAX_DEPTH levels constructs are skipped flat, not lexed: said once (CL010)."""
        if self.events is not None and not self.noted_depth:
            self.noted_depth = True
            self.events.append(Note(i, TOO_DEEP, self.owners, limit=True))

    def unclosed(self, i: int) -> int:
        """Where a construct not closed before `limit` ends: there (never before `i`, so scans move on)."""
        return max(i, self.limit)

    def skip_single(self, i: int) -> int:
        """`i` is after the opening quote."""
        end = self.s.find("'", i, self.limit)
        end = self.unclosed(i) if end < 0 else end + 1
        self.note_value(i - 1, end)
        return end

    def note_value(self, start: int, end: int) -> None:
        """A quoted string that mentions composelint is data, not a comment."""
        if self.events is not None and "composelint" in self.s[start:end]:
            self.events.append(Value(start, end, self.owners))

    def skip_double(self, i: int) -> int:
        start = i - 1
        while True:
            match = _DOUBLE_SPECIAL.search(self.s, i, self.limit)
            if not match:
                self.note_value(start, self.limit)
                return self.unclosed(i)
            j = match.start()
            char = self.s[j]
            if char == '"':
                self.note_value(start, j + 1)
                return j + 1
            if char == "\\":
                i = j + 2
            elif char == "$":
                i = self.skip_dollar(j)
            else:
                i = self.skip_backtick(j + 1)

    def skip_backtick(self, i: int) -> int:
        """`i` is after the opening backtick; the command inside is lexed too."""
        j = i
        while True:
            match = _BACKTICK_SPECIAL.search(self.s, j, self.limit)
            if not match:
                end = after = self.unclosed(i)
                break
            if match.group() == "\\":
                j = match.start() + 2
                continue
            end = match.start()
            after = end + 1
            break
        if self.depth >= MAX_DEPTH:
            self.too_deep(i)
        elif self.events is not None:
            self.nested(i, end, stop_paren=False)
        return after

    def skip_dollar(self, i: int) -> int:
        """`i` is at `$`.  Each level of `$( )`, `${ }` and quotes inside them
        counts towards MAX_DEPTH; deeper, constructs are skipped flat."""
        s, k = self.s, i + 1
        if self.depth >= MAX_DEPTH:
            if s.startswith("(", k):
                self.too_deep(i)
                return self.skip_flat(k + 1)
            if s.startswith("{", k):
                return self.skip_flat(k + 1, "{}")
        self.depth += 1
        try:
            if s.startswith("((", k):
                return self.skip_arithmetic(k + 2)
            if s.startswith("(", k):
                return self.skip_substitution(k + 1)
            if s.startswith("{", k):
                return self.skip_brace(k + 1)
            if s.startswith("'", k):
                return self.skip_ansi(k + 1)
            if s.startswith('"', k):
                return self.skip_double(k + 1)
        finally:
            self.depth -= 1
        match = _PARAMETER.match(s, k)
        return match.end() if match else k

    def skip_ansi(self, i: int) -> int:
        while True:
            match = _ANSI_SPECIAL.search(self.s, i, self.limit)
            if not match:
                return self.unclosed(i)
            if match.group() == "'":
                return match.end()
            i = match.start() + 2

    def skip_brace(self, i: int) -> int:
        """`i` is after `${`; nested braces, quotes and substitutions are skipped."""
        return self._skip_balanced(i, _BRACE_SPECIAL, "{", "}", depth=1)

    def skip_arithmetic(self, i: int) -> int:
        """`i` is after `$((` or `((`: up to the matching `))`."""
        return self._skip_balanced(i, _PAREN_SPECIAL, "(", ")", depth=2)

    def _skip_balanced(self, i: int, special, opener: str, closer: str, depth: int) -> int:
        """Past the `closer` that brings `depth` to zero; quotes, escapes and
        substitutions on the way are skipped whole."""
        while True:
            match = special.search(self.s, i, self.limit)
            if not match:
                return self.unclosed(i)
            j, char = match.start(), match.group()
            if char == opener:
                depth, i = depth + 1, j + 1
            elif char == closer:
                depth, i = depth - 1, j + 1
                if depth == 0:
                    return i
            elif char == "'":
                i = self.skip_single(j + 1)
            elif char == '"':
                i = self.skip_double(j + 1)
            elif char == "\\":
                i = j + 2
            elif char == "$":
                i = self.skip_dollar(j)
            else:
                i = self.skip_backtick(j + 1)

    def skip_substitution(self, i: int) -> int:
        """`i` is after `$(` (or `<(`): lexed as commands up to the unmatched `)`."""
        if self.events is None and (i, self.limit) in self.ends:
            return self.ends[i, self.limit]
        if self.depth >= MAX_DEPTH:
            self.too_deep(i)
            end = self.skip_flat(i)
        elif i >= self.limit:
            end = i
        else:
            end = min(self.nested(i, self.limit, stop_paren=True) + 1, self.n)
        if self.events is None:
            self.ends[i, self.limit] = end
        return end

    def skip_flat(self, i: int, pair: str = "()") -> int:
        """Up to the closer matching an open `(` (or `{`) before `i`: quotes respected, nothing lexed."""
        opener, closer = pair[0], pair[1]
        depth = 1
        while True:
            match = (_FLAT_SPECIAL if pair == "()" else _FLAT_BRACE_SPECIAL).search(self.s, i, self.limit)
            if not match:
                return self.unclosed(i)
            j, char = match.start(), match.group()
            if char == opener:
                depth, i = depth + 1, j + 1
            elif char == closer:
                depth, i = depth - 1, j + 1
                if depth == 0:
                    return i
            elif char == "'":
                end = self.s.find("'", j + 1, self.limit)
                i = self.unclosed(j + 1) if end < 0 else end + 1
            elif char == "\\":
                i = j + 2
            else:  # a double quote or backtick: up to the same character, not escaped
                close = char
                i = j + 1
                while True:
                    inner = (
                        _FLAT_DOUBLE.search(self.s, i, self.limit)
                        if close == '"'
                        else _BACKTICK_SPECIAL.search(self.s, i, self.limit)
                    )
                    if not inner:
                        return self.unclosed(i)
                    if inner.group() == "\\":
                        i = inner.start() + 2
                        continue
                    i = inner.end()
                    break

    def skip_word(self, i: int) -> int:
        """The end of the word starting at `i` (== i when s[i] is a blank or an operator)."""
        s, start = self.s, i
        while True:
            match = _WORD_SPECIAL.search(s, i, self.limit)
            if not match:
                return self.unclosed(i)
            j, char = match.start(), match.group()
            if char == "\\":
                i = j + 2
            elif char == "'":
                i = self.skip_single(j + 1)
            elif char == '"':
                i = self.skip_double(j + 1)
            elif char == "`":
                i = self.skip_backtick(j + 1)
            elif char == "$":
                i = self.skip_dollar(j)
            elif char == "(" and j > start and s[j - 1] in "@!?*+":
                i = self.skip_flat(j + 1)  # extglob @(a|b)
            elif char == "(" and ASSIGNMENT.fullmatch(s, start, j):
                i = self.array_elements(j + 1)[1]  # NAME=( ... )
            elif char in "<>" and j == start and s.startswith("(", j + 1):
                i = self.skip_substitution(j + 2)  # process substitution <( ) >( )
            else:
                return j
            if i >= self.limit:
                return i

    def array_elements(self, i: int) -> tuple[list[tuple[int, int]], int]:
        """`i` is after the `(` of `NAME=(`: the element word ranges and the index after `)`."""
        s = self.s
        elements: list[tuple[int, int]] = []
        while i < self.limit:
            char = s[i]
            if char in " \t\n":
                i += 1
            elif char == "\\" and s.startswith("\n", i + 1):
                i += 2
            elif char == "#":
                newline = s.find("\n", i, self.limit)
                i = self.limit if newline < 0 else newline
            elif char == ")":
                return elements, i + 1
            else:
                end = self.skip_word(i)
                if end == i:
                    end = i + 1
                else:
                    elements.append((i, end))
                i = end
        return elements, self.unclosed(i)

    def skip_test(self, i: int) -> int:
        """`i` is after `[[`: up to and including `]]` (operators inside are words)."""
        s = self.s
        while i < self.limit:
            char = s[i]
            if char in " \t\n":
                i += 1
                continue
            if s.startswith("]]", i) and (i + 2 >= self.limit or s[i + 2] in " \t\n;&|)"):
                return i + 2
            while i < self.limit:
                match = _TEST_SPECIAL.search(s, i, self.limit)
                if not match:
                    return self.unclosed(i)
                j, char = match.start(), match.group()
                if char in " \t\n":
                    i = j
                    break
                if char == "\\":
                    i = j + 2
                elif char == "'":
                    i = self.skip_single(j + 1)
                elif char == '"':
                    i = self.skip_double(j + 1)
                elif char == "`":
                    i = self.skip_backtick(j + 1)
                else:
                    i = self.skip_dollar(j)
        return self.unclosed(i)

    # -- the fallback parser --

    def lex(self, start: int, base: Context = TOP) -> None:
        """Every command from `start` to the end of the text, as events (into `events`)."""
        self.base = base
        self.run(start, self.n, stop_paren=False)

    def nested(self, start: int, end: int, stop_paren: bool) -> int:
        """Lex a command substitution's body one level deeper (a subshell)."""
        outer = self.active
        self.depth += 1
        if self.events is not None:
            self.events.append(Scope("subshell", True, self.owners))
        try:
            return self.run(start, end, stop_paren, outer.context() if outer else self.base)
        finally:
            self.depth -= 1
            self.active = outer
            if self.events is not None:
                self.events.append(Scope("subshell", False, self.owners))

    def run(self, start: int, end: int, stop_paren: bool, base: Context | None = None) -> int:
        run = _Run(self, self.base if base is None else base)
        self.active, limit, self.limit = run, self.limit, end
        try:
            return run.run(start, end, stop_paren)
        finally:
            self.limit = limit


@record
class _Frame:
    kind: str  # if | loop | case | brace | subshell | function
    conditional: bool
    body_started: bool = False


@record
class _Builder:
    start: int
    end: int
    words: list[tuple[int, int]] = field(default_factory=list)
    prefix: list[tuple[int, int]] = field(default_factory=list)
    heredocs: list[Heredoc] = field(default_factory=list)


class _Run:
    """One sequence of commands (the file from the cut, or the body of a `$( )`)."""

    def __init__(self, lexer: Lexer, base: Context):
        self.lexer = lexer
        self.s = lexer.s
        self.base = base
        self.frames: list[_Frame] = []
        self.open_conditional = 0  # frames that make their commands conditional
        self.open_functions = 0
        self.command: _Builder | None = None
        self.pending: list[tuple[Heredoc, str, bool]] = []
        self.mode = "command"
        self.andor = False
        self.last_operator = ""

    def emit(self, event: Event) -> None:
        if self.lexer.events is not None:
            self.lexer.events.append(event)

    def context(self) -> Context:
        conditional = self.base.conditional or self.andor or self.open_conditional > 0
        function = self.base.function or self.open_functions > 0
        branch = self.base.branch or self.andor or self.open_conditional > self.open_functions
        return Context(conditional, function, branch)

    def run(self, i: int, end: int, stop_paren: bool) -> int:
        s = self.s
        while i < end:
            char = s[i]
            if char in " \t":
                i += 1
            elif char == "\\" and s.startswith("\n", i + 1):
                i += 2
            elif char == "\n":
                self.finish()
                if self.mode in ("for_var", "for_in", "for_list"):
                    self.mode = "command"
                if self.last_operator not in _CONTINUES:
                    self.andor = False
                i = self.read_heredocs(i + 1, end)
            elif char == "#":
                newline = s.find("\n", i, end)
                i = end if newline < 0 else newline
            elif char == ")":
                if self.mode == "pattern":
                    self.mode = "command"
                elif self.frames and self.frames[-1].kind == "subshell":
                    self.finish()
                    self.pop("subshell")
                elif stop_paren:
                    self.finish()
                    return i
                else:
                    self.finish()
                i += 1
            elif char == "(":
                i = self.open_paren(i, end)
            elif _REDIRECT.match(s, i) and not (char in "<>" and s.startswith("(", i + 1)):
                i = self.redirect(i, end)
            elif char in ";&|":
                i = self.operator(i)
            else:
                stop = min(self.lexer.skip_word(i), end)
                if stop <= i:
                    i += 1
                    continue
                self.last_operator = ""
                i = self.word(i, stop, end)
        self.finish()
        return end

    # -- tokens --

    def open_paren(self, i: int, end: int) -> int:
        s = self.s
        if self.mode == "pattern":
            return i + 1
        if self.command is None and s.startswith("((", i):
            stop = self.lexer.skip_arithmetic(i + 2)  # (( arithmetic )) command
            self.emit(Extent(i, stop, self.lexer.owners))
            return stop
        command = self.command
        if command is not None and len(command.words) == 1 and not command.prefix:
            close = i + 1
            while close < end and s[close] in " \t":
                close += 1
            if s.startswith(")", close):  # NAME ( ) compound-command: a function definition
                self.command = None
                self.start_function(s[command.words[0][0] : command.words[0][1]])
                return close + 1
        self.finish()
        self.push("subshell")
        return i + 1

    def operator(self, i: int) -> int:
        match = _OPERATOR.match(self.s, i)
        assert match is not None  # called on an operator character
        op = match.group()
        self.finish()
        if op in (";;", ";&", ";;&"):
            self.mode = "pattern"
            self.andor = False
        elif op in ("&&", "||"):
            self.andor = True
        elif op in (";", "&"):
            self.andor = False
            if self.mode in ("for_var", "for_in", "for_list"):
                self.mode = "command"
        self.last_operator = op
        return i + len(op)

    def redirect(self, i: int, end: int) -> int:
        s, lexer = self.s, self.lexer
        match = _REDIRECT.match(s, i)
        assert match is not None  # called where a redirection starts
        op = match.group(1)
        k = match.end()
        while k < end and s[k] in " \t":
            k += 1
        stop = min(lexer.skip_word(k), end)
        command = self.command or self.begin(i)
        command.end = max(command.end, stop)
        if op in ("<<", "<<-"):
            raw = s[k:stop]
            heredoc = Heredoc(i, quoted=any(q in raw for q in "'\"\\"))
            command.heredocs.append(heredoc)
            self.pending.append((heredoc, unquote_delimiter(raw), op == "<<-"))
        self.last_operator = ""
        return max(stop, k)

    def word(self, i: int, stop: int, end: int) -> int:
        text = self.s[i:stop]
        mode = self.mode
        if mode == "pattern":
            if text == "esac":
                self.mode = "command"
                self.pop("case")
            return stop
        if mode == "case_word":
            self.mode = "case_in"
            return stop
        if mode == "case_in":
            self.mode = "pattern"
            return stop
        if mode == "for_var":
            self.emit(LoopVariable(text, self.context(), self.lexer.owners))
            self.mode = "for_in"
            return stop
        if mode in ("for_in", "for_list"):
            if text == "do" and mode == "for_in":
                self.mode = "command"
            elif text == "in":
                self.mode = "for_list"
            return stop
        if mode == "function_name":
            self.mode = "command"
            self.start_function(text)
            k = stop
            while k < end and self.s[k] in " \t":
                k += 1
            if self.s.startswith("()", k):
                return k + 2
            return stop
        if self.command is None and self.reserved(text, i, stop):
            return self.after_reserved(text, stop, end)
        command = self.command or self.begin(i)
        if not command.words and ASSIGNMENT.match(text):
            command.prefix.append((i, stop))
        else:
            command.words.append((i, stop))
        command.end = max(command.end, stop)
        return stop

    def reserved(self, text: str, i: int, stop: int) -> bool:
        """Handle a reserved word at command position; False if `text` is not one."""
        if text in ("if", "while", "until"):
            self.push("if" if text == "if" else "loop")
        elif text in ("for", "select"):
            self.push("loop")
            self.mode = "for_var"
        elif text == "case":
            self.push("case")
            self.mode = "case_word"
        elif text == "function":
            self.mode = "function_name"
        elif text in _CLOSERS:
            self.pop(_CLOSERS[text])
        elif text == "{":
            self.push("brace")
        elif text == "[[":
            command = self.begin(i)
            command.end = self.lexer.skip_test(stop)
        elif text not in ("then", "do", "elif", "else", "!", "time"):
            return False
        return True

    def after_reserved(self, text: str, stop: int, end: int) -> int:
        s, k = self.s, stop
        while k < end and s[k] in " \t":
            k += 1
        if text == "time" and s.startswith("-p", k) and (k + 2 >= end or s[k + 2] in " \t\n"):
            return k + 2
        if text == "for" and s.startswith("((", k):
            self.mode = "command"
            return self.lexer.skip_arithmetic(k + 2)
        if text == "[[" and self.command is not None:  # `reserved` began the test command
            return self.command.end
        return stop

    # -- commands and frames --

    def begin(self, i: int) -> _Builder:
        self.command = _Builder(i, i)
        return self.command

    def finish(self) -> None:
        command, self.command = self.command, None
        if command is None:
            return
        context, owners = self.context(), self.lexer.owners
        if command.words or command.heredocs:
            self.emit(
                Command(
                    command.start,
                    command.end,
                    command.words,
                    command.prefix,
                    command.heredocs,
                    context,
                    owners,
                )
            )
            self.lexer.commands += 1
        else:
            for start, stop in command.prefix:
                self.emit(Assignment(start, stop, context, owners))
        self.emit(Extent(command.start, command.end, owners))

    def push(self, kind: str) -> None:
        if self.frames and self.frames[-1].kind == "function":
            self.frames[-1].body_started = True
        self.add(_Frame(kind, kind in _CONDITIONAL_FRAMES or self.andor))
        if kind == "subshell":
            self.emit(Scope("subshell", True, self.lexer.owners))

    def start_function(self, name: str) -> None:
        self.add(_Frame("function", True))
        self.emit(Scope("function", True, self.lexer.owners, name))

    def add(self, frame: _Frame) -> None:
        self.frames.append(frame)
        self.open_conditional += frame.conditional
        self.open_functions += frame.kind == "function"

    def remove(self) -> _Frame:
        frame = self.frames.pop()
        self.open_conditional -= frame.conditional
        self.open_functions -= frame.kind == "function"
        if frame.kind in ("subshell", "function"):
            self.emit(Scope(frame.kind, False, self.lexer.owners))
        return frame

    def pop(self, kind: str) -> None:
        """Close the innermost frame of `kind` (and what is open inside it); a stray closer is ignored."""
        if not any(frame.kind == kind for frame in reversed(self.frames)):
            return
        while self.frames and self.remove().kind != kind:
            pass
        if self.frames and self.frames[-1].kind == "function" and self.frames[-1].body_started:
            self.remove()

    def read_heredocs(self, i: int, end: int) -> int:
        """Read the bodies of the here-docs opened on the line that just ended."""
        s, lexer = self.s, self.lexer
        for heredoc, delimiter, strip_tabs in self.pending:
            start = i
            while i < end:
                newline = s.find("\n", i, end)
                line_end = end if newline < 0 else newline
                line = s[i:line_end]
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    heredoc.body = (start, i)
                    i = min(line_end + 1, end)
                    break
                i = line_end + 1
            else:
                i = end
                heredoc.body = (start, end)
            body_start, body_end = heredoc.body
            owners = lexer.owners + (heredoc.id,)
            if "composelint" in s[body_start:body_end]:
                self.emit(Value(body_start, body_end, owners))
            if not heredoc.quoted:
                self.scan_heredoc(body_start, body_end, owners)
        self.pending = []
        return i

    def scan_heredoc(self, start: int, end: int, owners: tuple[int, ...]) -> None:
        """An unquoted body is expanded: the commands of its `$( )` and backticks run."""
        lexer, saved = self.lexer, self.lexer.owners
        lexer.owners = owners
        try:
            i = start
            while i < end:
                match = _HEREDOC_SPECIAL.search(self.s, i, end)
                if not match:
                    break
                j = match.start()
                if match.group() == "\\":
                    i = j + 2
                elif match.group() == "$":
                    i = max(lexer.skip_dollar(j), j + 1)
                else:
                    i = lexer.skip_backtick(j + 1)
        finally:
            lexer.owners = saved
