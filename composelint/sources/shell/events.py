"""What both parsers (tree-sitter walk, fallback lexer) report, in source order.

Offsets are code points into the code being parsed (`Code.text`).  The
interpreter consumes these events: it tracks variables, expands words and
finds the container-tool invocations.
"""

from __future__ import annotations

from composelint.records import field, record


@record(frozen=True, slots=True)
class Context:
    """Where a command stands: `conditional` (an if/case/loop body, after &&
    or ||, a function body) makes its assignments only `possible`."""

    conditional: bool = False
    function: bool = False
    branch: bool = False  # inside an if/case/loop body or after && or || (not only a function body)

    def join(self, other: Context) -> Context:
        if other is TOP:  # the base context of the script's own code (nearly every join)
            return self
        return Context(
            self.conditional or other.conditional,
            self.function or other.function,
            self.branch or other.branch,
        )


TOP = Context()
CONDITIONAL = Context(conditional=True, branch=True)
FUNCTION = Context(conditional=True, function=True)


@record(slots=True)
class Heredoc:
    """A here-doc attached to a command; `body` is filled when it has been read."""

    id: int  # offset of the `<<` operator: unique within one Code
    quoted: bool  # `<<'EOF'`: the body is not expanded
    body: tuple[int, int] = (0, 0)


@record(slots=True)
class Command:
    """A simple command: `words` are the raw ranges of its arguments (command
    name first), `prefix` the ranges of leading `NAME=value` words."""

    start: int
    end: int
    words: list[tuple[int, int]]
    prefix: list[tuple[int, int]] = field(default_factory=list)
    heredocs: list[Heredoc] = field(default_factory=list)
    context: Context = TOP
    owners: tuple[int, ...] = ()  # here-doc bodies this command is written in


@record(slots=True)
class Assignment:
    """A statement that is only `NAME=value` (or `NAME=(...)`)."""

    start: int
    end: int
    context: Context = TOP
    owners: tuple[int, ...] = ()


@record(slots=True)
class LoopVariable:
    """`for NAME in ...` / `select NAME`: NAME's value is not known."""

    name: str
    context: Context = TOP
    owners: tuple[int, ...] = ()


@record(slots=True)
class Extent:
    """A command or compound command: what an own-line suppression covers."""

    start: int
    end: int
    owners: tuple[int, ...] = ()


@record(slots=True)
class Value:
    """A string or here-doc body that mentions composelint (data, not a comment)."""

    start: int
    end: int
    owners: tuple[int, ...] = ()


@record(slots=True)
class Scope:
    """Enter (`enter=True`) or leave a function body or a subshell."""

    kind: str  # function | subshell
    enter: bool
    owners: tuple[int, ...] = ()
    name: str = ""  # a function's name, when entering it


@record(slots=True)
class Note:
    """A parse problem (CL007), or a documented bound that was hit (`limit`: CL010)."""

    start: int
    message: str
    owners: tuple[int, ...] = ()
    limit: bool = False


Event = Command | Assignment | LoopVariable | Extent | Value | Scope | Note
