"""What the shell front end hands to the docker CLI grammar: the words of one
container-tool invocation, as the shell would pass them, with positions."""

from __future__ import annotations

from composelint.model import Diagnostic, Span
from composelint.records import field, record
from composelint.types import UNKNOWN


# Not frozen, and hashed by value all the same: a frozen dataclass sets each field through
# object.__setattr__, which took 8% of the reading of a large script.  Nothing changes a Word once
# made; copies are made with `records.replace` (or field by field, embedded/snippets.py).  Slots:
# a long script holds hundreds of thousands, and a __dict__ each doubled their memory.
@record(slots=True, unsafe_hash=True)
class Word:
    """One argument after quote removal and expansion.

    `span` is where the word (or the expansion that produced it) is written.
    `certainty` is `definite`, `possible` (a conditional assignment, or a
    default that the environment may override) or `unknown` (some part is
    UNKNOWN).  `origin` is the span of the assignment or default a variable's
    value came from.  `written` is the word as it appears in the script.
    """

    text: str
    span: Span
    written: str = ""
    certainty: str = "definite"
    origin: Span | None = None

    @property
    def known(self) -> bool:
        return UNKNOWN not in self.text


@record
class Invocation:
    """A `docker`/`podman`/`nerdctl` command found in a script.

    `words[0]` is the tool word itself; wrappers (`sudo`, `env`, `timeout`,
    ...) are already removed.  `tool` is the tool's basename.  `span` covers
    the whole command (all lines of a backslash-continued command).  `via`
    says how nested code reached it (`sh -c`, `eval`, `ssh`, `here-doc`), or
    is empty.
    """

    tool: str
    words: list[Word]
    span: Span
    via: str = ""
    # `possible` when the command is only taken to be an invocation (an engine-named variable
    # of unknown value, an unknown command that seems to run its arguments); `reason` says why.
    certainty: str = "definite"
    reason: str = ""
    # The words again, once per other possible value of a variable the command uses
    # (`if ...; then M=host; else M=bridge; fi; docker run --net=$M`).
    variants: list[list[Word]] = field(default_factory=list)
    # Run in the background (`docker run ... &`): the script goes on while it runs.
    background: bool = False


@record
class ShellScript:
    """The result of reading one script."""

    path: str
    text: str
    invocations: list[Invocation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # CL007, CL001-like parse problems
    # (start_line, start_column, end_line) of every command and compound
    # command: what an own-line suppression comment covers.
    extents: list[tuple[int, int, int]] = field(default_factory=list)
    # Strings and here-doc bodies that contain "composelint": not comments.
    value_spans: list[Span] = field(default_factory=list)
    # Values assigned in sourced env files (value -> variable name): masked in every output.
    env_values: dict[str, str] = field(default_factory=dict)
