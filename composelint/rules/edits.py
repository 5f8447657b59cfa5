"""The text edits fixes are made of, computed from the model's spans and the source text it keeps.

Never a re-dump of the YAML: an edit replaces, removes or inserts whole lines or words at the
positions the front ends recorded, so comments, quoting, key order and layout outside it stay
byte for byte.  Indentation and line breaks are those of the file.  Where the layout is not the
plain block style these edits understand (a flow mapping, a key after `- `), there is no edit
and so no fix: a fix is offered only where it is certain.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from composelint.model import PortBinding, Project, Span, Workload
from composelint.patterns import lazy_pattern
from composelint.rules.wording import from_command_line
from composelint.types import Edit, Fix, Origin

_LINE = lazy_pattern(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BREAK = lazy_pattern(r"\r\n|\r|\n")
_PLAIN_KEY = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_.-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_SPLIT: dict[str, tuple[str, SourceLines]] = {}  # path -> (the text, its lines): the last texts split


# What str.splitlines breaks at besides CR and LF (ASCII); a text without them it splits as _LINE.
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e"


def _split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its break (CRLF, CR or LF)."""
    if text.isascii() and not any(other in text for other in _OTHER_BREAKS):
        return text.splitlines(keepends=True)  # a tenth of the pattern's time on a long script
    return _LINE.findall(text)


class SourceLines:
    """The lines of one source file, each with its line break (read only)."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.lines: list[str] = _split_lines(text.removeprefix("\ufeff"))
        found = _BREAK.search(text)
        self.newline = found.group() if found else "\n"
        self.ends: dict[tuple[int, int], int] = {}  # (line, column) of a key -> the end of its block
        # id of a workload -> (the workload, its keys in block style): every fix of a service asks
        self.services: dict[int, tuple[Workload, tuple[list[Span], str] | None]] = {}

    @classmethod
    def of(cls, project: Project, path: str) -> SourceLines | None:
        """The lines of a project's file, split once per text: a fix per port of a file with 8,000
        ports split the whole file 8,000 times (hostile row 17)."""
        for source in project.sources:
            if source.path == path:
                cached = _SPLIT.get(path)
                if cached is None or cached[0] is not source.text:
                    if len(_SPLIT) >= 64:
                        _SPLIT.clear()
                    cached = _SPLIT[path] = (source.text, cls(path, source.text))
                return cached[1]
        return None

    def content(self, line: int) -> str:
        """Line `line` (1-based) without its break; empty past the end."""
        # A line holds no break but its last one, so stripping break characters removes just it.
        return self.lines[line - 1].rstrip("\r\n") if 1 <= line <= len(self.lines) else ""

    def starts_line(self, span: Span) -> bool:
        """Only indentation stands before `span` on its line (a key of a block mapping)."""
        return self.content(span.line)[: span.column - 1].strip(" ") == ""

    def block_end(self, span: Span) -> int:
        """The last line of the block that the key at `span` begins: the lines after it that are
        indented deeper, blank lines and comments at its end left out (remembered: every fix of a
        service asks for the service's block)."""
        known = self.ends.get((span.line, span.column))
        if known is None:
            known = self.ends[span.line, span.column] = self._block_end(span)
        return known

    def _block_end(self, span: Span) -> int:
        indent = span.column - 1
        last = span.line
        for number in range(span.line + 1, len(self.lines) + 1):
            text = self.content(number)
            stripped = text.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if len(text) - len(stripped) <= indent:
                break
            last = number
        return last

    def lines_span(self, first: int, last: int) -> Span:
        """Lines `first` to `last` with their line breaks."""
        return Span(self.path, first, 1, last + 1, 1)

    def insertion_after(self, line: int, text_lines: list[str]) -> Edit:
        """An edit inserting `text_lines` (without breaks) after line `line`."""
        added = "".join(entry + self.newline for entry in text_lines)
        if line == len(self.lines) and not _BREAK.search(self.lines[-1]):
            added = self.newline + added.removesuffix(self.newline)
            return Edit(
                Span(self.path, line, len(self.content(line)) + 1, line, len(self.content(line)) + 1), added
            )
        return Edit(Span(self.path, line + 1, 1, line + 1, 1), added)

    def indentation(self, span: Span) -> str:
        return self.content(span.line)[: span.column - 1]


def _service_lines(project: Project, workload: Workload) -> tuple[SourceLines, list[Span], str] | None:
    """The source of a compose service written in block style, the spans of its keys in that
    block, and the file's indentation step; None when the layout is not plain block style."""
    lines = SourceLines.of(project, workload.span.path)
    if lines is None:
        return None
    known = lines.services.get(id(workload))
    if known is None or known[0] is not workload:
        known = lines.services[id(workload)] = (workload, _block_keys(lines, workload))
    return None if known[1] is None else (lines, *known[1])


def _block_keys(lines: SourceLines, workload: Workload) -> tuple[list[Span], str] | None:
    """The keys of a service in its block and the indentation step, when it is in block style."""
    if from_command_line(workload) or not lines.starts_line(workload.span):
        return None
    end = lines.block_end(workload.span)
    keys = [
        span
        for span in workload.keys.values()
        if span.path == workload.span.path and workload.span.line < span.line <= end
    ]
    if not keys or not all(lines.starts_line(span) and span.column == keys[0].column for span in keys):
        return None
    return keys, " " * (keys[0].column - workload.span.column)


def add_setting(
    project: Project, workload: Workload, key: str, value: str | None, items: tuple[str, ...] = ()
) -> Edit | None:
    """An edit adding `key: value` (or `key:` with `items` as a block list) at the end of a compose
    service, indented like its keys and the file's lists."""
    found = _service_lines(project, workload)
    if found is None or key in workload.keys:
        return None
    lines, keys, step = found
    indent = lines.indentation(keys[0])
    entries = [f"{indent}{key}: {value}" if value is not None else f"{indent}{key}:"]
    entries += [f"{indent}{step}- {item}" for item in items]
    return lines.insertion_after(lines.block_end(workload.span), entries)


def append_item(project: Project, workload: Workload, key: str, items: list[Span], item: str) -> Edit | None:
    """An edit appending `- item` to the block list under a compose service's `key`, after `items`
    (the spans of its entries), indented like them."""
    span = workload.keys.get(key)
    lines = SourceLines.of(project, span.path) if span else None
    if span is None or lines is None or not items or any(entry.path != span.path for entry in items):
        return None
    last = max(items, key=lambda entry: (entry.line, entry.column))
    before = lines.content(last.line)[: last.column - 1]
    if before.strip(" ") != "-" or not lines.starts_line(span):
        return None
    end = max(
        lines.block_end(Span(span.path, last.line, len(before) - 1, last.line, len(before))), last.end_line
    )
    return lines.insertion_after(end, [f"{before}{item}"])


def replace_key(project: Project, key: Span, text_lines: list[str]) -> Edit | None:
    """An edit replacing the block-mapping entry at `key` (all its lines) by `text_lines`, each
    indented like the key."""
    lines = SourceLines.of(project, key.path)
    if lines is None or not lines.starts_line(key):
        return None
    indent = lines.indentation(key)
    added = "".join(indent + entry + lines.newline for entry in text_lines)
    return Edit(lines.lines_span(key.line, lines.block_end(key)), added)


def bind_loopback(project: Project, workload: Workload, port: PortBinding) -> Edit | None:
    """An edit binding a published port to 127.0.0.1: `127.0.0.1:` written before a short or
    command-line port (`127.0.0.1::80` for a bare container port), a wildcard host IP replaced,
    `host_ip: 127.0.0.1` added to a long-syntax entry."""
    lines = SourceLines.of(project, port.span.path)
    span = port.span
    if lines is None or port.from_variable or workload.origin is Origin.SERVICE_CREATE:
        return None
    if port.syntax == "long":
        starts = lines.content(span.line)[span.column - 1 : span.column]
        if port.host_ip is not None or not starts.isalpha():  # `host_ip` written, or a flow mapping
            return None
        indent = " " * (span.column - 1)
        item = Span(span.path, span.line, span.column - 2, span.line, span.column)
        return lines.insertion_after(lines.block_end(item), [f"{indent}host_ip: 127.0.0.1"])
    if span.line != span.end_line or "=" in port.raw:
        return None
    written = lines.content(span.line)[span.column - 1 : span.end_column - 1]
    at = written.rfind(port.raw)
    if at < 0:
        return None
    column = span.column + at
    if port.host_ip is None:
        text = "127.0.0.1:" if port.host_start is not None else "127.0.0.1::"
        return Edit(Span(span.path, span.line, column, span.line, column), text)
    for wildcard in ("0.0.0.0", "[::]", "::"):
        if port.raw.startswith(wildcard + ":"):
            return Edit(
                Span(span.path, span.line, column, span.line, column + len(wildcard)),
                "127.0.0.1",
            )
    return None


def remove_list_entry(
    project: Project, workload: Workload, key: str, entries: list[Span], entry: Span
) -> Edit | None:
    """An edit removing one entry of a compose list (`- value` on its own line, or an item of a
    one-line `[a, b]`); the whole key when it is the only entry."""
    span = workload.keys.get(key)
    lines = SourceLines.of(project, entry.path)
    if span is None or lines is None or span.path != entry.path:
        return None
    if len({(e.line, e.column) for e in entries}) == 1:
        return remove_key(project, span)
    text = lines.content(entry.line)
    before = text[: entry.column - 1]
    if before.strip(" ") == "-" and entry.end_line == entry.line:
        return Edit(lines.lines_span(entry.line, entry.line), "")
    if entry.line == span.line == entry.end_line:  # a flow list on the key's line
        after = text[entry.end_column - 1 :]
        separator = len(after) - len(after.lstrip(" "))
        if after[separator : separator + 1] == ",":
            end = entry.end_column + separator + 1
            end += len(text[end - 1 :]) - len(text[end - 1 :].lstrip(" "))
            return Edit(Span(entry.path, entry.line, entry.column, entry.line, end), "")
        stripped = before.rstrip(" ")
        if stripped.endswith(","):
            return Edit(Span(entry.path, entry.line, len(stripped), entry.line, entry.end_column), "")
    return None


# --- Command lines --------------------------------------------------------------------------------


def remove_option(project: Project, workload: Workload, span: Span) -> Edit | None:
    """An edit removing a command-line option (`--privileged`, `--flag=value`, or `--flag value`
    where `span` is the value's word) with the blanks after it, quoting of other words untouched.
    A value inside grouped short flags (`-itp 80:80`) has no edit."""
    lines = SourceLines.of(project, span.path)
    if lines is None or span.line != span.end_line or not on_command_line(project, workload):
        return None
    text = lines.content(span.line)
    start = span.column - 1
    if not text[start:].startswith("-"):
        flag_end = len(text[:start].rstrip(" \t"))
        flag_start = text.rfind(" ", 0, flag_end) + 1
        flag_word = text[flag_start:flag_end]
        if not flag_word.startswith("--") and not (len(flag_word) == 2 and flag_word.startswith("-")):
            return None
        start = flag_start
    end = span.end_column - 1
    rest = text[end:]
    blanks = len(rest) - len(rest.lstrip(" \t"))
    if blanks and rest.lstrip(" \t"):
        end += blanks
    else:
        start = len(text[:start].rstrip(" \t"))
    return Edit(Span(span.path, span.line, start + 1, span.line, end + 1), "")


def workload_fix(
    project: Project, workload: Workload, applicability: str, message: str, edits: Sequence[Edit | None]
) -> Fix | None:
    """A fix of one workload: None when an edit is missing or, in a compose file, lies outside the
    service's own block (an anchor or another service it extends: other services share those)."""
    if not edits or any(edit is None for edit in edits):
        return None
    kept = tuple(edit for edit in edits if edit is not None)
    if not from_command_line(workload):
        lines = SourceLines.of(project, workload.span.path)
        if lines is None:
            return None
        first, last = workload.span.line, lines.block_end(workload.span) + 1  # an insertion after the block
        if any(e.span.path != workload.span.path or not first <= e.span.line <= last for e in kept):
            return None
    return Fix(applicability, message, kept)


def on_command_line(project: Project, workload: Workload) -> bool:
    """The workload is a `run`/`create` command line (not a unit file's keys, not CI `options:`)."""
    span = workload.span
    lines = SourceLines.of(project, span.path)
    written = lines.content(span.line)[span.column - 1 : span.end_column - 1] if lines else ""
    return from_command_line(workload) and written in ("run", "create")


def add_option(project: Project, workload: Workload, option: str) -> Edit | None:
    """An edit adding ` OPTION` after the `run`/`create` word of a container command line (not
    in a unit file's keys, nor to `docker service create`, whose options differ)."""
    span = workload.span
    if not on_command_line(project, workload) or not workload.origin.joins_default_bridge:
        return None
    return Edit(Span(span.path, span.end_line, span.end_column, span.end_line, span.end_column), " " + option)


def remove_setting(
    project: Project, workload: Workload, key: str, value: Span, entries: list[Span] | None = None
) -> Edit | None:
    """An edit removing a setting written at `value`: the command-line option, the compose list
    entry (one of `entries`), or the compose key whose value it is."""
    if from_command_line(workload):
        return remove_option(project, workload, value)
    if entries is not None:
        return remove_list_entry(project, workload, key, entries, value)
    span = workload.keys.get(key)
    if span is None or span.path != value.path or span.line != value.line:
        return None
    return remove_key(project, span)


def host_to_bridge(project: Project, workload: Workload, mappings: list[str]) -> tuple[Edit, ...]:
    """Edits that take a workload off the host network and publish `mappings` (on loopback): the
    `network_mode: host` line replaced by `ports:` (the discarded `ports:` rewritten), or the
    `--net=host` option replaced by `-p` options.  No edits when the layout is not understood."""
    mode = workload.network_mode
    if mode is None:
        return ()
    if from_command_line(workload):
        # The ports written are bound to loopback (or kept as they are), so that a fix removing
        # them as discarded cannot apply in the same round; without any, `mappings` are added.
        edits = [remove_option(project, workload, mode.span)]
        edits += [
            bind_loopback(project, workload, port) or keep(project, port.span) for port in workload.ports
        ]
        if mappings and not workload.ports:
            edits.append(add_option(project, workload, " ".join(f"-p {mapping}" for mapping in mappings)))
        return tuple(edit for edit in edits if edit) if all(edits) else ()
    found = _service_lines(project, workload)
    key = workload.keys.get("network_mode")
    if found is None or key is None or key.path != mode.span.path or key.line != mode.span.line:
        return ()
    _, _, step = found
    block = ["ports:", *(f'{step}- "{mapping}"' for mapping in mappings)] if mappings else []
    ports = workload.keys.get("ports")
    if ports is None:
        edit = replace_key(project, key, block)
        return (edit,) if edit else ()
    removal, rewrite = remove_key(project, key), replace_key(project, ports, block)
    return (removal, rewrite) if removal and rewrite and ports.path == key.path else ()


def keep(project: Project, span: Span) -> Edit | None:
    """An edit writing the text at `span` again: part of a fix that needs it to stay as it is, so
    that no other fix changes it in the same round."""
    lines = SourceLines.of(project, span.path)
    if lines is None or span.line != span.end_line:
        return None
    return Edit(span, lines.content(span.line)[span.column - 1 : span.end_column - 1])


def remove_key(project: Project, key: Span) -> Edit | None:
    """An edit removing the block-mapping entry whose key is at `key`, with all its lines."""
    lines = SourceLines.of(project, key.path)
    if lines is None or not lines.starts_line(key):
        return None
    return Edit(lines.lines_span(key.line, lines.block_end(key)), "")


def add_network(project: Project, name: str, path: str) -> Edit | None:
    """An edit declaring network `name` (`NAME: {}`) after the last network the file `path`
    declares under top-level `networks:`."""
    lines = SourceLines.of(project, path)
    declared = [n.span for n in project.networks.values() if not n.implicit and n.span.path == path]
    if lines is None or not declared:
        return None
    last = max(declared, key=lambda span: span.line)
    if not all(lines.starts_line(span) and span.column == last.column for span in declared):
        return None
    return lines.insertion_after(lines.block_end(last), [f"{lines.indentation(last)}{yaml_key(name)}: {{}}"])


def yaml_key(name: str) -> str:
    """`name` as a YAML mapping key: plain when it reads back as the same string, else quoted."""
    if _PLAIN_KEY.fullmatch(name) and name.lower() not in _YAML_WORDS:
        return name
    return json.dumps(name)
