"""systemd's unit-file syntax (systemd.syntax(7)), shared by systemd units and Podman Quadlet files.

A unit file is `[Section]` headers and `Key=value` entries.  Lines whose first
non-blank character is `#` or `;` are comments; a line ending in a backslash
continues on the next one (the backslash becomes a blank, and comment lines
inside the continuation are skipped).  An empty assignment (`Key=`) resets a
list setting; the callers decide which keys are lists.

Values keep the file offset of every character (`Text`), so a word, a
variable's expansion or nested shell code maps back to its exact line and
column.  `split_words` applies the quoting rules of command lines and list
settings: blanks separate words, `"..."` and `'...'` group them, and C-style
escapes (`\\n`, `\\t`, `\\s`, `\\x41`, `\\101`, `\\u00e9`, ...) are decoded
inside and outside quotes.
"""

from __future__ import annotations

import os

from composelint.model import Span, Variable
from composelint.patterns import lazy_pattern
from composelint.records import record
from composelint.sources.lines import line_column, line_starts

BLANKS = " \t\n\r"
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "s": " ",
    "\\": "\\",
    '"': '"',
    "'": "'",
}
_HEX = "0123456789abcdefABCDEF"


@record(frozen=True)
class Text:
    """Characters with the file offset each one was written at (an escape's characters and an
    expansion's all map to where the escape or expansion starts)."""

    chars: str
    offsets: tuple[int, ...]


class TextBuilder:
    """Builds a Text piece by piece in linear time (adding Texts one by one would be quadratic)."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []

    def add(self, chars: str, offset: int) -> None:
        """`chars`, all written at `offset` (an escape, an expansion)."""
        self.chars.append(chars)
        self.offsets.extend([offset] * len(chars))

    def extend(self, text: Text) -> None:
        self.chars.append(text.chars)
        self.offsets.extend(text.offsets)

    def build(self) -> Text:
        return Text("".join(self.chars), tuple(self.offsets))


@record(frozen=True)
class Entry:
    """One `Key=value` assignment; `start`/`end` are file offsets of the whole entry."""

    section: str
    key: str
    key_start: int
    value: Text
    start: int
    end: int


@record(frozen=True)
class UnitWord:
    """One word of a value after quote removal and unescaping; `start`/`end`: where it is written."""

    text: Text
    start: int
    end: int


class UnitFile:
    """The entries of one unit file, in order, with a way back from offsets to spans."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.line_starts = line_starts(text)
        self.entries: list[Entry] = []
        self.sections: set[str] = set()
        self._read()

    def span(self, start: int, end: int) -> Span:
        """The span of file offsets start..end (end exclusive, at least one character)."""
        end = max(end, start + 1)
        line, column = self.position(start)
        end_line, end_column = self.position(end - 1)
        return Span(self.path, line, column, end_line, end_column + 1)

    def position(self, offset: int) -> tuple[int, int]:
        return line_column(self.line_starts, offset)

    def entry_span(self, entry: Entry) -> Span:
        return self.span(entry.start, entry.end)

    def value_span(self, entry: Entry) -> Span:
        """Where the value is written (the key's `=` when the value is empty)."""
        if not entry.value.offsets:
            return self.span(entry.key_start + len(entry.key), entry.key_start + len(entry.key) + 1)
        return self.span(entry.value.offsets[0], entry.value.offsets[-1] + 1)

    def entries_in(self, *sections: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.section in sections]

    def _read(self) -> None:
        section = ""
        lines = self._lines()
        index = 0
        while index < len(lines):
            start, line = lines[index]
            index += 1
            stripped = line.strip()
            if not stripped or stripped[0] in "#;":
                continue
            if stripped.startswith("["):
                section = stripped[1 : stripped.index("]")] if "]" in stripped else stripped[1:]
                self.sections.add(section)
                continue
            if "=" not in line:
                continue  # systemd ignores the line with a warning
            key_at = start + len(line) - len(line.lstrip())
            key, _, _ = line.partition("=")
            value_at = start + len(key) + 1
            value = _strip_leading(_text(line[len(key) + 1 :], value_at))
            end = start + len(line.rstrip())
            if _continues(value.chars):
                joined = TextBuilder()
                while _continues(value.chars) and index < len(lines):
                    joined.extend(Text(value.chars[:-1] + " ", value.offsets))
                    value = Text("", ())
                    while index < len(lines) and lines[index][1].lstrip()[:1] in ("#", ";"):
                        index += 1  # comment lines inside a continuation are skipped
                    if index >= len(lines):
                        break
                    next_start, next_line = lines[index]
                    index += 1
                    value = _text(next_line, next_start)
                    end = next_start + len(next_line.rstrip())
                joined.extend(value)
                value = joined.build()
            value = _strip_trailing(value)
            self.entries.append(Entry(section, key.strip(), key_at, value, key_at, max(end, key_at + 1)))

    def _lines(self) -> list[tuple[int, str]]:
        """(offset, line without its line ending) for every line."""
        result = []
        for number, start in enumerate(self.line_starts):
            end = self.line_starts[number + 1] - 1 if number + 1 < len(self.line_starts) else len(self.text)
            line = self.text[start:end]
            result.append((start, line.removesuffix("\r")))
        return result


def _text(chars: str, start: int) -> Text:
    return Text(chars, tuple(range(start, start + len(chars))))


def _strip_leading(text: Text) -> Text:
    keep = len(text.chars) - len(text.chars.lstrip(BLANKS))
    return Text(text.chars[keep:], text.offsets[keep:])


def _strip_trailing(text: Text) -> Text:
    keep = len(text.chars.rstrip(BLANKS))
    return Text(text.chars[:keep], text.offsets[:keep])


def _continues(chars: str) -> bool:
    """The value ends in an unescaped backslash (after trailing blanks)."""
    stripped = chars.rstrip(BLANKS)
    return (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 1


def split_words(value: Text) -> list[UnitWord]:
    """Words by the quoting rules of systemd.syntax(7): blanks separate, quotes group, C escapes decode.

    An unterminated quote runs to the end of the value (systemd refuses the line; reading it
    this way keeps the words before it)."""
    words: list[UnitWord] = []
    chars, offsets = value.chars, value.offsets
    index = 0
    while index < len(chars):
        if chars[index] in BLANKS:
            index += 1
            continue
        start = index
        out: list[str] = []
        at: list[int] = []
        quote = ""
        while index < len(chars):
            char = chars[index]
            if not quote and char in BLANKS:
                break
            if char in "\"'" and (not quote or quote == char):
                quote = "" if quote else char
                index += 1
                continue
            if char == "\\" and index + 1 < len(chars):
                decoded, used = _escape(chars, index + 1)
                out.append(decoded)
                at.extend([offsets[index]] * len(decoded))
                index += 1 + used
                continue
            out.append(char)
            at.append(offsets[index])
            index += 1
        words.append(UnitWord(Text("".join(out), tuple(at)), offsets[start], offsets[index - 1] + 1))
    return words


def _escape(chars: str, index: int) -> tuple[str, int]:
    """The character a C-style escape at chars[index] (after the backslash) stands for, and its length.
    An escape systemd does not know keeps its character."""
    letter = chars[index]
    if letter in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[letter], 1
    digits = {"x": (2, 16, _HEX), "u": (4, 16, _HEX), "U": (8, 16, _HEX)}.get(letter)
    if digits is not None:
        count, base, allowed = digits
        code = chars[index + 1 : index + 1 + count]
        if len(code) == count and all(c in allowed for c in code) and _character(int(code, base)):
            return chr(int(code, base)), 1 + count
        return letter, 1
    code = chars[index : index + 3]
    if len(code) == 3 and all(c in "01234567" for c in code) and _character(int(code, 8)):
        return chr(int(code, 8)), 3
    return letter, 1


def _character(code: int) -> bool:
    """systemd refuses NUL (which also marks unknown text here) and surrogates; so do we."""
    return 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


# nginx takes listening sockets it inherits from the `NGINX` variable (`NGINX=3;`).
_INHERITED_SOCKETS = lazy_pattern(r"(?:\d+;)+")


def socket_activated(unit: UnitFile, path: str, environment: list[Variable]) -> bool:
    """systemd listens for the unit and passes the sockets to it: a `Sockets=` key, a dependency on
    the `.socket` unit of its own name (which activates it), such a `.socket` file beside it, or
    sockets handed to nginx by number."""
    own = os.path.splitext(os.path.basename(path))[0] + ".socket"
    for entry in unit.entries:
        if entry.section == "Service" and entry.key == "Sockets":
            return True
        if entry.section == "Unit" and entry.key in _DEPENDENCIES and own in entry.value.chars.split():
            return True
    if any(v.name == "NGINX" and v.value and _INHERITED_SOCKETS.fullmatch(v.value) for v in environment):
        return True
    return os.path.isfile(os.path.join(os.path.dirname(path), own))


_DEPENDENCIES = frozenset(("Requires", "Wants", "BindsTo", "Requisite", "After", "PartOf"))
