"""Applying fixes: a finding's edits on the text it was found in, and writing the result back.

A fix is a set of edits on the original text (composelint.types.Fix), all applied or none.
Fixes whose edits overlap cannot be applied together: `choose` keeps the first of them and the
pipeline (composelint.app.fix) lints the new text again to find the rest, in rounds, as ruff does.
A file is written with a temporary file beside it renamed over it (never half-written), with its
permissions, byte order mark, encoding and line endings kept, and only when it is still the text
that was linted.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import stat
from collections.abc import Iterable

from composelint.patterns import lazy_pattern
from composelint.records import record
from composelint.sources.files import decode, read_bytes
from composelint.types import Edit, Fix, Span

_LINE_BREAK = lazy_pattern(r"\r\n|\r|\n")
# Line breaks YAML counts that shells and editors do not: positions in such a file are ambiguous.
_AMBIGUOUS_BREAKS = lazy_pattern("[\x85\u2028\u2029]")
_BOM = "\ufeff"


class FixError(Exception):
    """A file cannot be fixed (changed since it was read, unwritable); the message is one line."""


@record(frozen=True)
class Offsets:
    """Character offsets of the lines of a text (spans count lines and code-point columns from 1)."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Offsets:
        return cls(text, (0, *(match.end() for match in _LINE_BREAK.finditer(text))))

    def offset(self, line: int, column: int) -> int:
        """The offset of a position; a column past the end of its line is the end of the line (before
        its break), a line past the end of the text is the end of the text."""
        if line > len(self.starts):
            return len(self.text)
        start = self.starts[line - 1]
        if line < len(self.starts):
            end = start + len(_LINE_BREAK.split(self.text[start : self.starts[line]], 1)[0])
        else:
            end = len(self.text)
        return min(start + max(column, 1) - 1, end)

    def range(self, span: Span) -> tuple[int, int]:
        return self.offset(span.line, span.column), self.offset(span.end_line, span.end_column)


def fixable_text(text: str) -> bool:
    """Whether positions in `text` mean the same to every reader (no YAML-only line breaks)."""
    return _AMBIGUOUS_BREAKS.search(text) is None


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """`text` with `edits` (non-overlapping, on this text) applied; a leading byte order mark, which
    positions do not count, is kept."""
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    offsets = Offsets.of(body)
    ranged = sorted((offsets.range(edit.span), edit.text) for edit in edits)
    parts = []
    position = 0
    for (start, end), replacement in ranged:
        parts.append(body[position:start])
        parts.append(replacement)
        position = max(position, end)
    parts.append(body[position:])
    return bom + "".join(parts)


def choose(fixes: Iterable[Fix], texts: dict[str, str]) -> list[Fix]:
    """The fixes that can be applied together, first come first served: a fix whose edits overlap
    or touch an edit already chosen waits for the next round; a fix with edits that overlap each
    other, or that change nothing, is never applied."""
    taken: dict[str, list[tuple[int, int]]] = {}
    offsets: dict[str, Offsets] = {}
    chosen = []
    for fix in fixes:
        ranges = []
        for edit in fix.edits:
            path = edit.span.path
            if path not in offsets:
                offsets[path] = Offsets.of(texts[path].removeprefix(_BOM))
            ranges.append((path, *offsets[path].range(edit.span)))
        if not ranges or _changes_nothing(fix, texts):
            continue
        if _overlapping(ranges, touching=False) or any(
            _overlapping([(path, start, end), (path, *other)], touching=True)
            for path, start, end in ranges
            for other in taken.get(path, [])
        ):
            continue
        chosen.append(fix)
        for path, start, end in ranges:
            taken.setdefault(path, []).append((start, end))
    return chosen


def breaks_yaml(path: str, before: str, after: str) -> bool:
    """`after` has more YAML problems than `before`: syntax errors, duplicate keys, or (when it
    parses) Compose schema violations."""
    return _yaml_problems(path, after) > _yaml_problems(path, before)


def _yaml_problems(path: str, text: str) -> int:
    from composelint.sources.compose.schema import validate
    from composelint.sources.compose.yaml_tree import read_yaml

    document = read_yaml(path, text.removeprefix(_BOM))
    return len(document.diagnostics) or sum(len(validate(root)) for root in document.roots)


def _changes_nothing(fix: Fix, texts: dict[str, str]) -> bool:
    """Whether every edit of `fix` writes what is already there."""
    for edit in fix.edits:
        text = texts[edit.span.path].removeprefix(_BOM)
        start, end = Offsets.of(text).range(edit.span)
        if text[start:end] != edit.text:
            return False
    return True


def _overlapping(ranges: list[tuple[str, int, int]], touching: bool) -> bool:
    """Two ranges of one file share a character, or insert at the same place; with `touching`,
    also when one starts where the other ends (fixes made apart: an insertion where another
    fix's removal ends would land in what comes before the removal)."""
    ordered = sorted(ranges)
    for (path, start, end), (next_path, next_start, _) in itertools.pairwise(ordered):
        if path == next_path and (
            next_start < end or next_start == start or (touching and next_start == end)
        ):
            return True
    return False


def write_fixed(path: str, linted: str, fixed: str) -> None:
    """Write `fixed` over the file `path` that was linted as `linted`: refused when the file has
    changed since; atomic (a temporary file renamed over it); the permissions (and the owner, where
    allowed), byte order mark and encoding of the file kept."""
    import tempfile  # here: only a fixing run writes (tempfile is 3 ms of every start)

    try:
        data = read_bytes(path)
    except OSError as error:
        raise FixError(f"{path}: not fixed: {error}") from None
    if decode(path, data).removeprefix(_BOM) != linted.removeprefix(_BOM):
        raise FixError(f"{path}: not fixed: the file changed after it was read")
    encoded = _encode(data, fixed.removeprefix(_BOM))
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    try:
        info = os.stat(target)
        descriptor, temporary = tempfile.mkstemp(prefix=".composelint-", dir=directory)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(encoded)
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(PermissionError):  # the owner kept when allowed (root)
                    os.chown(temporary, info.st_uid, info.st_gid)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise FixError(f"{path}: not fixed: {error.strerror or error}") from None


# Byte order marks, longest first (UTF-32 LE starts with UTF-16 LE's), with the codec that writes
# the text after them.
_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _encode(original: bytes, text: str) -> bytes:
    """`text` in the encoding of the file's `original` bytes, with the same byte order mark."""
    for bom, encoding in _ENCODINGS:
        if original.startswith(bom):
            return bom + text.encode(encoding, "surrogatepass")
    return text.encode("utf-8", "surrogatepass")
