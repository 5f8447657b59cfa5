"""Reading a file of the linted tree safely: the one way every reader opens a file.

A tree under review is hostile input.  So a read resolves the path with
`realpath` and refuses it when it leaves the root it was found under (a
symlink to `/etc/shadow`, an `include: ../../etc/passwd`), opens only
regular files (a FIFO, device or socket is refused without blocking: the
open is non-blocking and `fstat` decides before any read), and stops at
`MAX_FILE_BYTES` while reading, so `/dev/zero` or a growing file cannot
exhaust memory.
"""

from __future__ import annotations

import codecs
import os
import stat
from typing import BinaryIO

from composelint.limits import MAX_FILE_BYTES
from composelint.model import Diagnostic, Span

_CHUNK = 1024 * 1024
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class RootedFiles(list):
    """The files of one project with the directory they were found in: the root that what they
    refer to must stay inside (`COMPOSE_FILE=/etc/shadow` in a `.env` names a file outside it)."""

    def __init__(self, paths, root: str):
        super().__init__(paths)
        self.root = root


class UnreadableFile(OSError):
    """A file that is not read; the message is one line: the path and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def is_inside(path: str, root: str) -> bool:
    """Whether `path`, symlinks resolved, is `root` or below it."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real_root, real]) == real_root


def read_bytes(path: str, root: str | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The contents of the regular file `path` (inside `root` after resolving symlinks, when given)."""
    if root is not None and not is_inside(path, root):
        raise UnreadableFile(
            path, "it resolves to a file outside the project root (--allow-outside-root reads it)"
        )
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise UnreadableFile(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, f"{_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(path, f"larger than {_megabytes(limit)}")
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return _read_capped(handle, path, limit)
    except OSError as error:
        if isinstance(error, UnreadableFile):
            raise
        raise UnreadableFile(path, error.strerror or str(error)) from None
    finally:
        os.close(descriptor)


def within_limit(name: str, data: bytes, limit: int = MAX_FILE_BYTES) -> bytes:
    """`data` (standard input, read with one byte more than `limit`) when it is not over the limit."""
    if len(data) > limit:
        raise UnreadableFile(name, f"larger than {_megabytes(limit)}")
    return data


def _read_capped(handle: BinaryIO, name: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = handle.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise UnreadableFile(name, f"larger than {_megabytes(limit)}")


def read_head(path: str, size: int) -> bytes:
    """The first `size` bytes of a regular file, or b"" when it is not one (never blocks)."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return b""
        os.set_blocking(descriptor, True)
        return os.read(descriptor, size)
    except OSError:
        return b""
    finally:
        os.close(descriptor)


# Byte order marks YAML allows besides UTF-8's (YAML 1.2, 5.2); UTF-32 first: its little-endian
# mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(path: str, data: bytes) -> str:
    """The text: UTF-8 (a BOM is dropped), or UTF-16/32 when a byte order mark says so, as YAML
    allows; line endings are kept."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8-sig")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        shown = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise UnreadableFile(path, f"not {shown} text (byte {error.start})") from None


def read_text(path: str, root: str | None = None) -> str:
    return decode(path, read_bytes(path, root))


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "a special file"


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MiB"


def too_many(shown: str, line: int, what: str, limit: int) -> Diagnostic:
    """CL010 at the first of a file's parts past a per-file count (what follows is not linted)."""
    message = f"More than {limit:,} {what} read in one file: the rest is not linted"
    return Diagnostic("CL010", message, Span(shown, line, 1, line, 4))


def too_large(shown: str, what: str, limit: int) -> Diagnostic:
    """CL010 for a file of a kind bounded below MAX_FILE_BYTES (its front end is slow per byte)."""
    size = _megabytes(limit) if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
    message = f"{what} is larger than {size}; not read"
    return Diagnostic("CL010", message, Span(shown, 1, 1, 1, 2))
