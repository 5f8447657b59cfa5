"""tree-sitter-bash: parse, walk the tree iteratively, report events.

From the first ERROR (or MISSING) node on, the tree is not trusted: the
walk stops at the start of that line (or at the start of a command that
runs across it) and the fallback lexer reports the rest.

tree-sitter splits some words in two (`$A/x:$B/y`, `$"..."`, `ho\\<newline>st`,
tree-sitter-bash #315 and #146): argument nodes that touch, or are
separated only by a backslash-newline, are merged back into one word.
"""

from __future__ import annotations

from functools import cache

import tree_sitter
import tree_sitter_bash

from composelint.patterns import lazy_pattern
from composelint.records import record
from composelint.sources.shell.events import (
    CONDITIONAL,
    FUNCTION,
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
from composelint.sources.shell.lexer import MAX_DEPTH, TOO_DEEP, Lexer
from composelint.sources.shell.positions import ascii_copy

# Nodes that only hold other statements: a walk may enter them across the error line.
_CONTAINERS = frozenset(
    {
        "program",
        "compound_statement",
        "subshell",
        "do_group",
        "if_statement",
        "elif_clause",
        "else_clause",
        "while_statement",
        "for_statement",
        "c_style_for_statement",
        "case_statement",
        "case_item",
        "function_definition",
        "list",
        "pipeline",
        "negated_command",
        "ERROR",
    }
)
_EXTENTS = frozenset(
    {
        "command",
        "declaration_command",
        "unset_command",
        "test_command",
        "variable_assignments",
        "redirected_statement",
        "pipeline",
        "list",
        "negated_command",
        "function_definition",
        "if_statement",
        "elif_clause",
        "else_clause",
        "while_statement",
        "for_statement",
        "c_style_for_statement",
        "case_statement",
        "case_item",
        "compound_statement",
        "subshell",
    }
)
_STRINGS = frozenset({"string", "raw_string", "ansi_c_string", "translated_string", "heredoc_body"})
_NOT_WORDS = frozenset(
    {"variable_assignment", "file_redirect", "heredoc_redirect", "herestring_redirect", "comment"}
)
_SIMPLE = frozenset({"command", "declaration_command", "unset_command"})
# Nodes `_Walker.visit` reports, or whose children it walks in a context of their own.
_SPECIAL = _STRINGS | {
    "redirected_statement",
    "variable_assignment",
    "command_substitution",
    "process_substitution",
    "subshell",
    "function_definition",
    "if_statement",
    "while_statement",
    "for_statement",
    "c_style_for_statement",
    "case_statement",
    "list",
}
_STATEMENTS = _EXTENTS | {"variable_assignment", "comment"}


# What a word must contain to hold events: a substitution, or a string naming composelint (Value).
_MAY_REPORT = lazy_pattern(r"[$<>]\(|`|composelint")


# A simple command of plain words (no quote, expansion, escape, redirection, operator, glob or
# comment) between single spaces, whose first word assigns nothing.  ASCII ranges, not `\w`: a
# class of ranges is tested twice as fast (a command with other letters takes the tree's words).
_PLAIN_COMMAND = lazy_pattern(r"[A-Za-z0-9_./:@%+,-]+(?: [A-Za-z0-9_./:@%+,=-]+)*")


def _worth_visiting(node: tree_sitter.Node) -> bool:
    """Leaves hold nothing to report, except strings (a value span)."""
    return node.child_count > 0 or node.type in _STRINGS


@cache
def _language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_bash.language())


@record
class Parsed:
    events: list[Event]
    error: int | None = None  # where the first error region starts (code offset)
    recovered: int = 0  # commands the fallback lexer reported


# A backtick substitution holding only a comment, as a word of its own (`-e TZ=UTC `#optional` \`,
# linuxserver's documented style): bash finds the closing backtick first, so the comment ends
# there and the substitution expands to nothing; tree-sitter-bash lets the comment run to the end
# of the line and loses every command after it.
_COMMENT_SUBSTITUTION = lazy_pattern(rb"(?<![^\s;&|(])`[ \t]*#[^`\n\\]*`(?=[\s;&|)]|$)")


# A placeholder of documentation (`-e HOST=<ip-from-machine-1>`, `-v <path>:/data`, inside an image
# `registry/<repository>:dev-<expected tag>`): as bash would run it, two redirections that take the
# next word as a file and cut the command; as the reader of the page takes it, one word to fill in.
# No script redirects like that (`<in>out`, no blank).  Words inside one (`<expected tag>`) only when
# it is glued to what precedes it: `sort <a b> c` is a script's, and so is `nginx<site.conf 2>/dev/null`
# (a word that is a file descriptor before `>` ends no placeholder).
_PLACEHOLDER = lazy_pattern(
    rb"(?:(?<=[\s=:/-])<[A-Za-z/.][\w.\-/]*>|(?<=[\w=:/-])<[A-Za-z][\w.\-/]*(?: (?!\d+>)[\w.\-/]+)+>)(?=[\s:/]|$)"
)


def _for_tree_sitter(code: bytes) -> bytes:
    """The same text, same length: each comment-only backtick substitution blanked (an unquoted
    empty expansion is no word, as a blank is none), each placeholder's brackets and blanks made
    word characters."""
    # The `in` tests skip a scan of the whole script by each pattern when it cannot match.
    if b"`" in code:
        code = _COMMENT_SUBSTITUTION.sub(lambda match: b" " * len(match[0]), code)
    if b"<" in code:
        code = _PLACEHOLDER.sub(lambda match: b"x" + match[0][1:-1].replace(b" ", b"x") + b"x", code)
    return code


def parse_events(text: str, depth: int = 0, extents: bool = True) -> Parsed:
    """The events of `text`: from the tree, then from the lexer after the first error.  Without
    `extents`, the tree gives no Extent events (nothing in the script can be suppressed)."""
    code = _for_tree_sitter(ascii_copy(text))  # byte offsets == code point offsets
    tree = tree_sitter.Parser(_language()).parse(code)
    walker = _Walker(text, extents)
    error = _first_error(tree.root_node) if tree.root_node.has_error else None
    error_start = error.start_byte if error is not None else None
    del error
    if error_start is not None:
        walker.cut = text.rfind("\n", 0, error_start) + 1
    # A root node of its own, referenced by the walk's stack only: py-tree-sitter caches a node's
    # children on it, so a root kept alive would keep every node of the tree alive as a Python
    # object (130 MB for a 3.4 MB script) until the walk ends.
    walker.walk(tree.root_node)
    if error_start is None:
        return Parsed(walker.events)
    lexer = Lexer(text, walker.events, depth)
    lexer.lex(walker.cut)
    return Parsed(walker.events, error_start, lexer.commands)


_HEREDOC_PARTS = frozenset({"<<", "<<-", "heredoc_start", "heredoc_body", "heredoc_end"})


def _first_command(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first simple command of a pipeline (`| sh -s && ...`: `sh -s`)."""
    current: tree_sitter.Node | None = node
    while current is not None and current.type not in _SIMPLE:
        current = next((c for c in current.named_children if c.type != "comment"), None)
    return current


def _first_error(root: tree_sitter.Node) -> tree_sitter.Node | None:
    """Where the tree stops being trustworthy: the first MISSING node, or the first
    child of the first ERROR node that is not a complete statement (tree-sitter
    often wraps the good statements before a mistake into the ERROR node)."""
    node = root
    while True:
        for child in node.children:
            if child.is_missing:
                return child
            if node.is_error and not child.has_error:
                if child.is_named and child.type in _STATEMENTS:
                    continue
                return child
            if child.has_error:
                node = child
                break
        else:
            return node if node.is_error else None


class _Walker:
    def __init__(self, text: str, extents: bool = True):
        self.text = text
        self.extents = extents
        self.events: list[Event] = []
        self.cut = len(text) + 1  # offset from which the tree is not used
        self.too_deep = False
        self.stdin_heredocs: dict[int, Heredoc] = {}  # first command of a pipe fed by a here-doc

    @staticmethod
    def range(node: tree_sitter.Node) -> tuple[int, int]:
        return node.start_byte, node.end_byte

    def walk(self, root: tree_sitter.Node) -> None:
        # Stack items: (node, context, here-doc owners, substitution depth, inside a command);
        # a (kind, owners) item, pushed below a scope's children, closes that scope.
        stack: list = [(root, TOP, (), 0, False)]
        del root  # see parse_events: a node is freed once walked, with the children cached on it
        while stack:
            item = stack.pop()
            if isinstance(item[0], str):
                self.events.append(Scope(item[0], False, item[1]))
                continue
            node, context, owners, depth, inner = item
            start, end = node.start_byte, node.end_byte
            if start >= self.cut:
                continue
            kind = node.type
            if end > self.cut and kind not in _CONTAINERS and not self._compound_redirect(node):
                self.cut = start  # runs across the error line: the lexer takes it whole
                continue
            if kind in _EXTENTS and self.extents:
                self.events.append(Extent(start, end, owners))
            children = self.visit(node, kind, context, owners, depth, inner)
            stack.extend(reversed(children))

    def holds_events(self, word: tree_sitter.Node) -> bool:
        """Whether a word of a command (or an assignment's value) can hold anything to report:
        code (`$( )`, backticks, `<( )`), or a string that names composelint.  The others (most
        words) are not walked: their nodes are many and report nothing."""
        return (
            _worth_visiting(word)
            and _MAY_REPORT.search(self.text, word.start_byte, word.end_byte) is not None
        )

    def _compound_redirect(self, node: tree_sitter.Node) -> bool:
        body = node.child_by_field_name("body") if node.type == "redirected_statement" else None
        return body is not None and body.type not in _SIMPLE

    def visit(self, node, kind, context, owners, depth, inner) -> list:
        """Report what `node` is; returns the stack items of its children, in source order."""
        if kind == "command":
            start, end = node.start_byte, node.end_byte
            if _PLAIN_COMMAND.fullmatch(self.text, start, end) is not None:
                # Plain words between single spaces (most commands of a long script): the words
                # are where the spaces split the text, as tree-sitter's children say, and none
                # holds events.
                words, at = [], start
                for word in self.text[start:end].split(" "):
                    words.append((at, at + len(word)))
                    at += len(word) + 1
                self.events.append(Command(start, end, words, [], self.fed(start), context, owners))
                return []
        elif kind == "comment":
            return []
        children = node.children
        if kind in _SIMPLE:  # the most common nodes, with the generic ones below: no `item` made
            self.command(node, children, context, owners, ())
            if _MAY_REPORT.search(self.text, node.start_byte, node.end_byte) is None:
                return []  # no word of it can hold events (most commands): none is looked at
            return [(c, context, owners, depth, True) for c in children if self.holds_events(c)]
        if kind not in _SPECIAL:
            return [(c, context, owners, depth, False) for c in children if _worth_visiting(c)]

        def item(child, ctx=context, own=owners, dep=depth, inn=False):
            return child, ctx, own, dep, inn

        if kind == "redirected_statement":
            return self.redirected(node, children, context, owners, item)
        if kind == "variable_assignment":
            if not inner:
                if self.extents:
                    self.events.append(Extent(*self.range(node), owners))
                self.events.append(Assignment(*self.range(node), context, owners))
            return [item(c, inn=True) for c in children if self.holds_events(c)]
        if kind in _STRINGS:
            start, end = self.range(node)
            if "composelint" in self.text[start:end]:
                self.events.append(Value(start, end, owners))
        elif kind in ("command_substitution", "process_substitution"):
            if depth >= MAX_DEPTH:
                if not self.too_deep:
                    self.too_deep = True
                    self.events.append(
                        Note(
                            self.range(node)[0],
                            TOO_DEEP,
                            owners,
                            limit=True,
                        )
                    )
                return []
            self.events.append(Scope("subshell", True, owners))
            return [item(c, dep=depth + 1) for c in children] + [("subshell", owners)]
        elif kind == "subshell":
            self.events.append(Scope("subshell", True, owners))
            return [item(c) for c in children] + [("subshell", owners)]
        elif kind == "function_definition":
            name = node.child_by_field_name("name")
            self.events.append(Scope("function", True, owners, self.node_text(name) if name else ""))
            return [item(c, ctx=context.join(FUNCTION)) for c in children] + [("function", owners)]
        elif kind == "if_statement":
            return self.branches(children, context, item, after="then")
        elif kind in ("while_statement", "for_statement", "c_style_for_statement"):
            for child in children:
                if child.type == "variable_name":
                    self.events.append(LoopVariable(self.node_text(child), context, owners))
            return [
                item(
                    c,
                    ctx=context.join(CONDITIONAL)
                    if c.type in ("do_group", "compound_statement")
                    else context,
                )
                for c in children
            ]
        elif kind == "case_statement":
            conditional = context.join(CONDITIONAL)
            return [item(c, ctx=conditional if c.type == "case_item" else context) for c in children]
        elif kind == "list":
            conditional = context.join(CONDITIONAL)
            return [item(c, ctx=context if i == 0 else conditional) for i, c in enumerate(children)]
        return [item(c) for c in children if _worth_visiting(c)]

    def branches(self, children, context, item, after: str) -> list:
        """if: the first condition runs always, everything after `then` is conditional."""
        out, conditional = [], False
        for child in children:
            conditional = conditional or child.type == after
            out.append(item(child, ctx=context.join(CONDITIONAL) if conditional else context))
        return out

    def redirected(self, node, children, context, owners, item) -> list:
        """A statement with redirections: here-docs go with the command; bodies are walked
        as owned by their here-doc (skipped if the interpreter decides they are code)."""
        heredocs, out, piped = [], [], []
        body = node.child_by_field_name("body")
        for child in children:
            if child.type != "heredoc_redirect":
                continue
            heredoc = self.heredoc(child)
            heredocs.append(heredoc)
            for part in child.children:
                if part.type == "heredoc_body":
                    out.append(item(part, own=owners + (heredoc.id,)))
                elif part.type not in _HEREDOC_PARTS:
                    # `cat <<EOF | sh`: tree-sitter puts the rest of the line in the redirect; the
                    # command the pipe feeds reads the here-doc from its standard input.
                    first = _first_command(part)
                    if first is not None and part.type == "pipeline":
                        self.stdin_heredocs[first.start_byte] = heredoc
                    piped.append(item(part))
        items = [
            item(c) for c in children if c.type != "heredoc_redirect" and c != body and _worth_visiting(c)
        ]
        if body is not None and body.type in _SIMPLE:
            # `docker run -d >/dev/null --net=host alpine`: bash passes the words after a redirection's
            # target to the command; tree-sitter files them as more destinations of the redirection.
            trailing = [
                self.range(word)
                for child in children
                if child.type == "file_redirect"
                for word in child.children_by_field_name("destination")[1:]
            ]
            if self.extents:
                self.events.append(Extent(*self.range(body), owners))
            body_children = body.children
            self.command(
                body, body_children, context, owners, heredocs, trailing, node.end_byte if trailing else None
            )
            return [item(c, inn=True) for c in body_children if self.holds_events(c)] + items + piped + out
        return ([item(body)] if body is not None else []) + items + piped + out

    def heredoc(self, redirect: tree_sitter.Node) -> Heredoc:
        start, end = self.range(redirect)
        heredoc = Heredoc(start, quoted=False, body=(end, end))
        for part in redirect.children:
            if part.type == "heredoc_start":
                heredoc.quoted = any(q in self.node_text(part) for q in "'\"\\")
            elif part.type == "heredoc_body":
                heredoc.body = self.range(part)
        return heredoc

    def command(
        self, node, children, context: Context, owners, heredocs, trailing=(), end: int | None = None
    ) -> None:
        words, prefix = [], []
        simple = node.type == "command"
        for child in children:
            kind = child.type
            if kind == "variable_assignment" and simple:
                prefix.append(child.byte_range)
            elif kind not in _NOT_WORDS or kind == "variable_assignment":  # `export A=1`: an argument
                words.append(child.byte_range)
        words.extend(trailing)
        start, node_end = self.range(node)
        heredocs = list(heredocs) + self.fed(start)
        command = Command(start, end or node_end, self.merge(words), prefix, heredocs, context, owners)
        self.events.append(command)

    def fed(self, start: int) -> list[Heredoc]:
        """The here-doc a pipe feeds to the command that starts at `start` (`cat <<EOF | sh`)."""
        fed = self.stdin_heredocs.pop(start, None) if self.stdin_heredocs else None
        return [] if fed is None else [fed]

    def merge(self, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """One range per shell word: tree-sitter sometimes cuts a word in two."""
        merged: list[tuple[int, int]] = []
        previous = -1  # where the last word ends
        for word in words:
            start, end = word
            if merged and (
                previous == start or (start - previous == 2 and self.text[previous:start] == "\\\n")
            ):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append(word)
            previous = end
        return merged

    def node_text(self, node: tree_sitter.Node) -> str:
        start, end = self.range(node)
        return self.text[start:end]


_LOOPS = {"while_statement": "while", "for_statement": "for", "c_style_for_statement": "for"}


def branch_labels(src: str, points: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """For each (line, column) of `src` (1-based, a Span's start), the innermost branch it is in,
    in words: "the `else` branch of the `if` at line 3", "the `debug)` arm of the `case` at line
    12", "a command after `&&` on line 9", "the body of the `while` loop at line 5"."""
    root = tree_sitter.Parser(_language()).parse(ascii_copy(src)).root_node
    labels = {}
    for line, column in points:
        child = root.descendant_for_point_range((line - 1, column - 1), (line - 1, column - 1))
        parent = child.parent if child is not None else None
        while child is not None and parent is not None:
            label = _branch(src, parent, child)
            if label:
                labels[line, column] = label
                break
            child, parent = parent, parent.parent
    return labels


def _branch(src: str, parent: tree_sitter.Node, child: tree_sitter.Node) -> str | None:
    """The branch of `parent` that `child` (one of its children) is in, if it is one."""
    line = parent.start_point[0] + 1
    before = [c.type for c in parent.children if c.start_byte < child.start_byte]
    if (
        parent.type == "if_statement"
        and "then" in before
        and child.type not in ("elif_clause", "else_clause")
    ):
        return f"the `then` branch of the `if` at line {line}"
    if parent.type == "elif_clause" and "then" in before and parent.parent is not None:
        return f"the `elif` branch at line {line} of the `if` at line {parent.parent.start_point[0] + 1}"
    if parent.type == "else_clause" and parent.parent is not None:
        return f"the `else` branch of the `if` at line {parent.parent.start_point[0] + 1}"
    if parent.type == "case_item" and ")" in before:
        close = next(c for c in parent.children if c.type == ")")
        pattern = " ".join(src[parent.start_byte : close.end_byte].split())
        case = parent.parent.start_point[0] + 1 if parent.parent is not None else line
        return f"the `{pattern}` arm of the `case` at line {case}"
    if parent.type == "list" and ("&&" in before or "||" in before):
        operator = next(
            c for c in reversed(parent.children) if c.start_byte < child.start_byte and c.type in ("&&", "||")
        )
        return f"a command after `{operator.type}` on line {operator.start_point[0] + 1}"
    if parent.type in _LOOPS and child.type == "do_group":
        return f"the body of the `{_LOOPS[parent.type]}` loop at line {line}"
    return None
