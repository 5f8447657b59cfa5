"""`composelint server`: a language server (LSP 3.17, pygls) that lints while you type.

A document is linted in its project context, the way `composelint check`
would lint it: a compose file with the base/override partner discovery picks
in its directory (or the files `COMPOSE_FILE` in the directory's `.env`
names) and the `.env` beside it; a shell script, a systemd unit, a
devcontainer.json, a Markdown, CI, Makefile or bats file on its own
(findings at the command inside it); a Quadlet unit with the units of its
directory (discovery's file set for a named file of that kind).  The unsaved text
of every open document is used instead of the file on disk.  Diagnostics are
pushed to every file of the project that has findings, and cleared when the
findings go away.  Linting runs on open and save, and 300 ms after the last
change (a newer change cancels a pending lint and drops the result of a
running one).

Files changed outside the editor (a `git checkout`, a generator) are watched
with `workspace/didChangeWatchedFiles` when the client can register watchers:
a configuration file re-lints every open document, a `.env` or a compose
file re-lints the projects that read it, and a file created or deleted beside
an open document re-lints it (it may join or leave its project).  An invalid
configuration file gets its problems as diagnostics at their positions, and a
`window/showMessage` once (until its problems change): the files it applies to
are not linted until it is fixed.

Lints (and "fix all") run one at a time in a worker process, so the editor never waits on one: a
lint still running after LINT_SECONDS (a bug, an input no bound covers) is
abandoned, its process killed and replaced for the next lint, and a message
says so.  `shutdown`/`exit` (or the client closing the connection) kill the
worker, so the server exits at once whatever it was linting.

Only `pygls` (and its `lsprotocol`) is needed beyond composelint itself: the
`lsp` extra.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from composelint import __version__, discovery
from composelint.app import LintError, Request, fix, run
from composelint.config import CONFIG_NAMES, ConfigError, config_in, load_config
from composelint.engine import NOT_SUPPRESSIBLE, LintResult, Reported
from composelint.model import Span
from composelint.patterns import lazy_pattern
from composelint.sources.directives import ignore_comment
from composelint.sources.files import read_text

DEBOUNCE_SECONDS = 0.3
FIX_ALL = "source.fixAll.composelint"  # a `source.fixAll` action: editors run those on save when asked
LINT_SECONDS = 30.0  # a lint still running after this is abandoned and its worker replaced
STARTUP_SECONDS = 60.0  # for a new worker to load composelint (a busy machine), not counted above
SOURCE = "composelint"
SEVERITY = {
    "error": t.DiagnosticSeverity.Error,
    "warning": t.DiagnosticSeverity.Warning,
    "info": t.DiagnosticSeverity.Information,
    "style": t.DiagnosticSeverity.Hint,
}
# Language ids editors give compose files that do not have a Compose name (VS Code's Docker
# extension, Neovim's filetype, Helix's language name).
COMPOSE_LANGUAGE_IDS = {"dockercompose", "docker-compose", "yaml.docker-compose", "compose"}
SHELL_LANGUAGE_IDS = {"shellscript", "sh", "bash"}
_LINE_BREAK = lazy_pattern(r"\r\n|\r|\n")
_TOKEN = lazy_pattern(r"\"[^\"]*\"|'[^']*'|[^\s:=,\[\]{}]+")  # a key or value at a problem's position
# Files whose change outside the editor matters (LSP glob patterns): configuration, env files, YAML
# (compose files and what they include), Quadlet units (read with their directory).
WATCHED = (
    "**/{" + ",".join(CONFIG_NAMES) + "}",
    "**/{.env,*.env,.env.*}",
    "**/*.{yml,yaml}",
    "**/*.{container,pod,network,volume,kube}",
)

logger = logging.getLogger(__name__)

Key = tuple  # (kind, path, ...): one project


# --- Which files form the project of an open document -------------------------------------------


def project_of(path: str, text: str, language_id: str | None = None) -> tuple[str, list[str]] | None:
    """(kind, files) of the project the document at `path` belongs to, or None when it is of no kind
    composelint reads.  `text` is the editor's text (its shebang counts, not the disk's)."""
    path = os.path.normpath(os.path.abspath(path))
    directory, name = os.path.split(path)
    if discovery.is_shell_script(path, text[:128].encode("utf-8", "replace")):
        return discovery.SHELL, [path]
    kind = discovery.kind_by_name(path)
    if kind is not None and kind != discovery.COMPOSE:
        return kind, discovery.named_file_set(path, kind)
    try:
        names = set(os.listdir(directory))
    except OSError:
        names = set()
    names.add(name)
    for files in discovery.directory_projects(directory, sorted(names), True):
        files = [os.path.normpath(os.path.join(directory, f)) for f in files]
        if path in files:
            return discovery.COMPOSE, files
    if (
        discovery.is_compose_name(name)
        or name in discovery.OVERRIDE_NAMES
        or language_id in COMPOSE_LANGUAGE_IDS
    ):
        return discovery.COMPOSE, [path]
    if language_id in SHELL_LANGUAGE_IDS:
        return discovery.SHELL, [path]
    return None


# --- Findings as LSP diagnostics ----------------------------------------------------------------

_UNITS: dict[str, Callable[[str], int]] = {
    t.PositionEncodingKind.Utf8: lambda s: len(s.encode("utf-8")),
    t.PositionEncodingKind.Utf16: lambda s: len(s.encode("utf-16-le")) // 2,
    t.PositionEncodingKind.Utf32: len,
}


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them (\\n, \\r\\n and \\r end a line)."""
    return _LINE_BREAK.split(text)


def to_range(span: Span, lines: list[str], encoding: str = t.PositionEncodingKind.Utf16) -> t.Range:
    """A 1-based, code-point span as a 0-based LSP range in `encoding` code units."""
    units = _UNITS.get(encoding, _UNITS[t.PositionEncodingKind.Utf16])

    def position(line: int, column: int) -> t.Position:
        index = max(line - 1, 0)
        text = lines[index] if index < len(lines) else ""
        return t.Position(index, units(text[: max(column - 1, 0)]))

    return t.Range(position(span.line, span.column), position(span.end_line, span.end_column))


def to_diagnostic(
    item: Reported, lines_of: Callable[[str], list[str]], encoding: str, kind: str | None = None
) -> t.Diagnostic:
    """The finding as a diagnostic; its `data` carries the fix's edits and, in a file of `kind`
    whose comments are `#` to the end of a line, the edit that suppresses it (for code actions)."""
    finding = item.finding
    related = [
        t.DiagnosticRelatedInformation(
            t.Location(from_fs_path(span.path) or span.path, to_range(span, lines_of(span.path), encoding)),
            f"{item.rule.code} ({item.rule.name}): related location",
        )
        for span in finding.related
    ]
    data: dict[str, Any] = {"name": item.rule.name, "fingerprint": item.fingerprint}
    if finding.help:
        data["help"] = finding.help
    if finding.workload:
        data["workload"] = finding.workload
    if finding.fix is not None:
        data["fix"] = finding.fix.applicability
        data["fixMessage"] = finding.fix.message
        data["edits"] = [
            {
                "uri": from_fs_path(edit.span.path) or edit.span.path,
                "range": _plain(to_range(edit.span, lines_of(edit.span.path), encoding)),
                "newText": edit.text,
            }
            for edit in finding.fix.edits
        ]
    suppression = (
        _suppression(item, lines_of(finding.span.path), encoding) if kind in _HASH_COMMENTS else None
    )
    if suppression is not None:
        data["suppress"] = suppression
    return t.Diagnostic(
        range=to_range(finding.span, lines_of(finding.span.path), encoding),
        message=finding.message,
        severity=SEVERITY[item.severity],
        code=item.rule.code,
        code_description=t.CodeDescription(href=item.url),
        source=SOURCE,
        related_information=related or None,
        data=data,
    )


# Kinds of files where `# ...` after the code is a comment (not in unit files, where it is an argument).
_HASH_COMMENTS = frozenset({"compose", "shell", "markdown", "bats"})


def _plain(where: t.Range) -> list[int]:
    """A range as JSON-ready numbers (diagnostic `data` is sent as is)."""
    return [where.start.line, where.start.character, where.end.line, where.end.character]


def _suppression(item: Reported, lines: list[str], encoding: str) -> dict | None:
    """The edit that suppresses the finding with a reason to fill in: a trailing `# composelint:
    ignore=CODE -- REASON` on its line, or, on a shell line continued with `\\`, the same comment on
    a line of its own before the command (it covers the whole command).  None for a finding that
    cannot be suppressed inline."""
    if item.rule.code in NOT_SUPPRESSIBLE:
        return None
    comment = ignore_comment(item.rule.code, "REASON")
    number = item.finding.span.line
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    continues = number > 1 and lines[number - 2].rstrip().endswith("\\")
    if not line.rstrip().endswith("\\") and not continues:
        end = to_range(Span("", number, len(line) + 1, number, len(line) + 1), lines, encoding)
        return {"range": _plain(end), "newText": "  " + comment}
    first = number
    while first > 1 and lines[first - 2].rstrip().endswith("\\"):
        first -= 1
    indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
    start = t.Range(t.Position(first - 1, 0), t.Position(first - 1, 0))
    return {"range": _plain(start), "newText": f"{indent}{comment}\n"}


def diagnostics_by_path(
    result: LintResult, texts: dict[str, str], encoding: str
) -> dict[str, list[t.Diagnostic]]:
    """Unsuppressed findings as diagnostics, per file; every file of the project is a key (maybe empty)."""
    cache: dict[str, list[str]] = {}

    def lines_of(path: str) -> list[str]:
        if path not in cache:
            text = texts.get(path, result.texts.get(path))
            if text is None:
                try:
                    text = read_text(path)
                except OSError:
                    text = ""
            cache[path] = split_lines(text)
        return cache[path]

    found: dict[str, list[t.Diagnostic]] = {path: [] for path in result.files}
    for item in result.active:
        path = item.finding.span.path
        found.setdefault(path, []).append(to_diagnostic(item, lines_of, encoding, result.kinds.get(path)))
    return found


def lint_files(kind: str, files: list[str], texts: dict[str, str], encoding: str):
    """(diagnostics per path, paths read) of one project, linted as `check` would lint its files
    named on the command line, with the editor's texts."""
    outcome = run(_request(kind, files, texts))
    read = [path for project in outcome.projects for path in project.read]
    return diagnostics_by_path(outcome.lint, texts, encoding), read


def fixed_text(kind: str, files: list[str], texts: dict[str, str], path: str) -> tuple[str, str] | None:
    """(text before, text after) of `path` once `check --fix` has fixed its project, if it changes."""
    return fix(_request(kind, files, texts)).changes.get(path)


# --- The worker process -------------------------------------------------------------------------


class LintAbandoned(Exception):
    """A lint did not finish in LINT_SECONDS, or its worker was stopped (shutdown)."""


class LintWorker:
    """Lints (`lint_files`, `fixed_text`) in a process of its own, started when first needed and
    again after a lint was abandoned.  `call` runs in the server's one lint thread, `close`
    anywhere."""

    def __init__(self) -> None:
        # A new interpreter, not a fork: the server has threads, and one of them, blocked reading
        # the editor's stdin, holds its lock, which a forked child waits on forever (it closes
        # stdin first thing).
        self.context = multiprocessing.get_context("spawn")
        self.process: BaseProcess | None = None
        self.connection: Connection | None = None
        self.starting = False
        self.closed = False

    def call(self, function: Callable, *arguments):
        """`function(*arguments)` in the worker (a function of this module)."""
        if self.closed:
            raise LintAbandoned("the server is shutting down")
        if self.process is None or self.connection is None:
            parent, child = self.context.Pipe()
            self.process = self.context.Process(
                target=_serve_lints, args=(child,), name="composelint-lint", daemon=True
            )
            self.process.start()
            child.close()
            self.connection = parent
            self.starting = True
        connection = self.connection
        try:
            if self.starting:  # the worker says when it has loaded composelint
                if not connection.poll(STARTUP_SECONDS):
                    raise LintAbandoned(f"its worker did not start in {STARTUP_SECONDS:g} s")
                connection.recv()
                self.starting = False
            connection.send((function, arguments))
            if not connection.poll(LINT_SECONDS):
                raise LintAbandoned(f"stopped after {LINT_SECONDS:g} s")
            failed, value = connection.recv()
        except (EOFError, OSError) as error:  # the worker is gone: killed by `kill`, or it crashed
            self.stop()
            raise LintAbandoned("its worker process stopped") from error
        except LintAbandoned:
            self.stop()
            raise
        if failed:
            raise value
        return value

    def stop(self) -> None:
        """Kill the worker and forget it: the next lint starts a new one."""
        process, connection = self.process, self.connection
        self.process = self.connection = None
        if process is not None:
            process.kill()
            process.join()
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """For good (shutdown, exit): a lint in progress ends at once (the lint thread sees the end
        of the connection and stops the worker itself) and no worker starts again."""
        self.closed = True
        process = self.process
        if process is not None:
            process.kill()


def _serve_lints(connection: Connection) -> None:
    """The worker process: lint each project the server sends, until the server goes."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)  # the editor's channel (stdin/stdout) belongs to the server alone
    os.dup2(devnull, 1)
    from composelint.rules import all_rules

    all_rules()  # the rules are loaded before the first lint, whose time is bounded
    connection.send("ready")
    while True:
        try:
            function, arguments = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (False, function(*arguments))
        except Exception as error:
            logger.exception("lint failed")
            answer = (True, error)
            try:
                pickle.dumps(error)
            except Exception:
                answer = (True, RuntimeError(f"{type(error).__name__}: {error}"))
        connection.send(answer)


# --- The server ---------------------------------------------------------------------------------


class ComposelintServer(LanguageServer):
    """Keeps, per project, the diagnostics it last published to each file, so that a file
    shared by several projects gets the union and a project that got clean clears its part."""

    def __init__(self):
        super().__init__("composelint", __version__)
        self.published: dict[Key, dict[str, list[t.Diagnostic]]] = {}  # project -> uri -> diagnostics
        self.owner: dict[str, Key] = {}  # open document uri -> its project
        self.files: dict[Key, list[str]] = {}  # project -> the paths it read (for re-linting dependants)
        self.pending: dict[Key, asyncio.Task] = {}
        self.generation: dict[Key, int] = {}
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="composelint-lint")
        self.worker = LintWorker()
        self.abandoned: set[Key] = set()  # projects whose last lint was abandoned (LINT_SECONDS)
        self.invalid_configs: dict[str, tuple[str, ...]] = {}  # configuration file -> problems shown

    # Logging to the client (window/logMessage) -- never raises.
    def log(self, message: str, kind: t.MessageType = t.MessageType.Info) -> None:
        logger.log(logging.ERROR if kind == t.MessageType.Error else logging.INFO, message)
        try:
            self.window_log_message(t.LogMessageParams(type=kind, message=f"composelint: {message}"))
        except Exception:  # pragma: no cover - the connection is gone
            logger.exception("cannot send window/logMessage")

    def open_texts(self) -> tuple[dict[str, str], dict[str, int], dict[str, str]]:
        """Path -> unsaved text, version and URI (as the client spells it) of every open file:// document."""
        texts, versions, uris = {}, {}, {}
        for document in list(self.workspace.text_documents.values()):
            path = to_fs_path(document.uri) if document.uri.startswith("file:") else None
            if path:
                path = os.path.normpath(path)
                texts[path], uris[path] = document.source, document.uri
                if document.version is not None:
                    versions[path] = document.version
        return texts, versions, uris

    def schedule(self, uri: str, delay: float) -> None:
        """Lint the project of the open document `uri` after `delay` seconds, and every other open
        project that read this file (its `.env`, an included file)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            return
        path = os.path.normpath(path)
        try:
            document = self.workspace.get_text_document(uri)
            file_set = project_of(path, document.source, document.language_id)
        except Exception as error:
            self.log(f"{path}: cannot find the project: {type(error).__name__}: {error}", t.MessageType.Error)
            return
        keys = []
        if file_set is not None:
            key = (file_set[0], *file_set[1])
            previous = self.owner.get(uri)
            self.owner[uri] = key
            if previous is not None and previous != key:
                self.release(previous)
            keys.append(key)
        keys.extend(k for k in self.dependants(path) if k not in keys)
        if os.path.basename(path) in CONFIG_NAMES:  # every lint reads the configuration afresh
            keys.extend(k for k in dict.fromkeys(self.owner.values()) if k not in keys)
            self.check_config(path)
        for key in keys:
            self.start(key, delay)

    def dependants(self, path: str) -> list[Key]:
        """Projects of open documents that read `path` when they were last linted."""
        owned = set(self.owner.values())
        return [key for key, files in self.files.items() if path in files and key in owned]

    def start(self, key: Key, delay: float) -> None:
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        self.generation[key] = self.generation.get(key, 0) + 1
        self.pending[key] = asyncio.get_running_loop().create_task(self.run(key, self.generation[key], delay))

    async def run(self, key: Key, generation: int, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            texts, versions, uris = self.open_texts()
            encoding = self.workspace.position_encoding or t.PositionEncodingKind.Utf16
            kind, files = key[0], list(key[1:])
            try:
                found, read = await asyncio.get_running_loop().run_in_executor(
                    self.executor, self.worker.call, lint_files, kind, files, texts, encoding
                )
            except asyncio.CancelledError:
                raise
            except LintAbandoned as error:
                if self.worker.closed:
                    return  # shutting down: nothing more to say
                message = (
                    f"linting {', '.join(files)} was abandoned ({error}); its diagnostics are not updated"
                )
                self.log(message, t.MessageType.Warning)
                if key not in self.abandoned:  # shown once, until the project is linted again
                    self.abandoned.add(key)
                    self.window_show_message(
                        t.ShowMessageParams(type=t.MessageType.Warning, message=f"composelint: {message}")
                    )
                return
            except LintError as error:  # the base file is gone or unreadable, a broken configuration
                if error.config is not None:
                    self.show_config(error.config, versions, uris)
                self.log(f"not linted: {error}", t.MessageType.Warning)
                return
            except Exception as error:
                self.log(
                    f"internal error while linting {', '.join(files)}: {type(error).__name__}: {error}",
                    t.MessageType.Error,
                )
                logger.exception("lint failed")
                return
            if self.generation.get(key) != generation or key not in self.owner.values():
                return  # a newer run is on its way, or the document was closed meanwhile
            self.files[key] = read
            self.abandoned.discard(key)
            self.replace(key, {uris.get(p) or from_fs_path(p) or p: d for p, d in found.items()}, versions)
            self.recheck_configs(versions, uris)
        except asyncio.CancelledError:
            pass
        finally:
            if self.pending.get(key) is asyncio.current_task():
                del self.pending[key]

    def replace(self, key: Key, found: dict[str, list[t.Diagnostic]], versions: dict[str, int]) -> None:
        """Make `found` this project's diagnostics; publish every file it has or had findings in."""
        before = self.published.get(key, {})
        self.published[key] = {uri: items for uri, items in found.items() if items}
        for uri in sorted(set(before) | set(found)):
            self.publish(uri, versions)

    def publish(self, uri: str, versions: dict[str, int] | None = None) -> None:
        items: list[t.Diagnostic] = []
        seen = set()
        for per_uri in self.published.values():
            for item in per_uri.get(uri, []):
                identity = (
                    item.range.start.line,
                    item.range.start.character,
                    item.range.end.line,
                    item.range.end.character,
                    item.code,
                    item.message,
                )
                if identity not in seen:
                    seen.add(identity)
                    items.append(item)
        items.sort(key=lambda d: (d.range.start.line, d.range.start.character, str(d.code)))
        path = to_fs_path(uri) if uri.startswith("file:") else None
        version = (versions or {}).get(os.path.normpath(path)) if path else None
        self.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version)
        )

    def hover(self, uri: str, position: t.Position) -> t.Hover | None:
        """The documentation of the rules whose diagnostics, as last published, cover `position`."""
        from composelint.docs import rule_markdown
        from composelint.rules import all_rules

        at = (position.line, position.character)
        covering = [
            item
            for per_uri in self.published.values()
            for item in per_uri.get(uri, [])
            if (item.range.start.line, item.range.start.character)
            <= at
            <= (item.range.end.line, item.range.end.character)
        ]
        if not covering:
            return None
        catalog = all_rules()
        pages = {
            str(item.code): rule_markdown(catalog[str(item.code)])
            + (f"\n[Documentation]({item.code_description.href})\n" if item.code_description else "")
            for item in covering
        }
        return t.Hover(
            contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value="\n---\n\n".join(pages.values())),
            range=covering[0].range,
        )

    def code_actions(self, params: t.CodeActionParams) -> list[t.CodeAction]:
        """For each diagnostic in the range: its fix (quick fix; the safe one preferred) and its
        suppression with a reason to fill in; for the document, "fix all safe problems"."""
        uri, wanted = params.text_document.uri, params.context.only
        asked = (
            (params.range.start.line, params.range.start.character),
            (
                params.range.end.line,
                params.range.end.character,
            ),
        )
        actions: list[t.CodeAction] = []
        seen = set()
        for per_uri in self.published.values():
            for item in per_uri.get(uri, []):
                data = item.data if isinstance(item.data, dict) else {}
                start = (item.range.start.line, item.range.start.character)
                end = (item.range.end.line, item.range.end.character)
                if end < asked[0] or start > asked[1] or data.get("fingerprint") in seen:
                    continue
                seen.add(data.get("fingerprint"))
                if data.get("edits"):
                    unsafe = data.get("fix") == "unsafe"
                    actions.append(
                        t.CodeAction(
                            title=f"{data.get('fixMessage')} ({item.code}{', unsafe' if unsafe else ''})",
                            kind=t.CodeActionKind.QuickFix,
                            diagnostics=[item],
                            is_preferred=not unsafe,
                            edit=_workspace_edit(data["edits"]),
                        )
                    )
                if data.get("suppress"):
                    actions.append(
                        t.CodeAction(
                            title=f"Suppress {item.code} on this line (write the reason in place of REASON)",
                            kind=t.CodeActionKind.QuickFix,
                            diagnostics=[item],
                            edit=_workspace_edit([{"uri": uri, **data["suppress"]}]),
                        )
                    )
        fix_all = self.fix_all(uri) if wanted is None or any(FIX_ALL.startswith(k) for k in wanted) else None
        if fix_all is not None:
            actions.append(fix_all)
        return [a for a in actions if wanted is None or any(a.kind and a.kind.startswith(k) for k in wanted)]

    def fix_all(self, uri: str) -> t.CodeAction | None:
        """ "Fix all safe problems" of the document: `check --fix` on its project, with the editor's
        texts, as one edit replacing the document's text."""
        key = self.owner.get(uri)
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if key is None or path is None:
            return None
        texts, _, _ = self.open_texts()
        try:
            change = self.worker.call(fixed_text, key[0], list(key[1:]), texts, os.path.normpath(path))
        except LintAbandoned as error:
            self.log(f"fixing {path} was abandoned ({error})", t.MessageType.Warning)
            return None
        if change is None:
            return None
        before, after = change
        lines = split_lines(before)
        encoding = self.workspace.position_encoding or t.PositionEncodingKind.Utf16
        whole = to_range(Span(path, 1, 1, len(lines), len(lines[-1]) + 1), lines, encoding)
        return t.CodeAction(
            title="composelint: fix all safe problems",
            kind=FIX_ALL,
            edit=t.WorkspaceEdit(changes={uri: [t.TextEdit(whole, after)]}),
        )

    def show_config(self, error: ConfigError, versions: dict[str, int], uris: dict[str, str]) -> None:
        """The problems of an invalid configuration file as diagnostics on it; a message when they
        are new, since the files it applies to are not linted until it is fixed."""
        path = os.path.normpath(os.path.abspath(error.path))
        if self.invalid_configs.get(path) != error.lines:
            self.invalid_configs[path] = error.lines
            count = len(error.problems)
            self.window_show_message(
                t.ShowMessageParams(
                    type=t.MessageType.Error,
                    message=f"composelint: invalid configuration, the files it applies to are not linted "
                    f"({count} problem{'s' if count != 1 else ''}): {error.lines[0]}",
                )
            )
        texts, _, _ = self.open_texts()
        try:
            lines = split_lines(texts[path] if path in texts else read_text(path))
        except OSError:
            lines = []
        encoding = self.workspace.position_encoding or t.PositionEncodingKind.Utf16
        diagnostics = []
        for problem in error.problems:
            line, column = problem.line or 1, problem.column or 1
            text = lines[line - 1] if line <= len(lines) else ""
            token = _TOKEN.match(text, column - 1)
            end = token.end() + 1 if token else column + 1
            diagnostics.append(
                t.Diagnostic(
                    range=to_range(Span(path, line, column, line, end), lines, encoding),
                    message=f"{problem.key}: {problem.reason}" if problem.key else problem.reason,
                    severity=t.DiagnosticSeverity.Error,
                    source=SOURCE,
                )
            )
        self.replace(("config", path), {uris.get(path) or from_fs_path(path) or path: diagnostics}, versions)

    def check_config(self, path: str) -> None:
        """A configuration file opened or saved: its problems shown even when no document it
        applies to is open (as saved: unsaved changes are read at the next save)."""
        _, versions, uris = self.open_texts()
        try:
            if config_in(os.path.dirname(path)) != path:
                return
            load_config(path)
        except ConfigError as error:
            self.show_config(error, versions, uris)
            return
        self.recheck_configs(versions, uris)

    def recheck_configs(self, versions: dict[str, int], uris: dict[str, str]) -> None:
        """Configuration files shown as invalid: cleared once valid or gone, shown again if not."""
        for path in list(self.invalid_configs):
            try:
                if os.path.isfile(path):
                    load_config(path)
            except ConfigError as error:
                self.show_config(error, versions, uris)
                continue
            del self.invalid_configs[path]
            self.replace(("config", path), {}, versions)

    def files_changed(self, changes: list[t.FileEvent]) -> None:
        """Files changed outside the editor: re-lint what depends on them."""
        for change in changes:
            path = to_fs_path(change.uri) if change.uri.startswith("file:") else None
            if not path:
                continue
            path = os.path.normpath(path)
            if os.path.basename(path) in CONFIG_NAMES:
                _, versions, uris = self.open_texts()
                self.recheck_configs(versions, uris)
                nearby = list(self.owner)  # every lint reads the configuration afresh
            elif change.type == t.FileChangeType.Changed:
                nearby = []
            else:  # a new or deleted file may join or leave the project of a document beside it
                nearby = [
                    uri
                    for uri in self.owner
                    if os.path.dirname(to_fs_path(uri) or "") == os.path.dirname(path)
                ]
            for uri in nearby:
                self.schedule(uri, 0)
            for key in self.dependants(path):
                self.start(key, 0)

    def watch_files(self) -> None:
        """Ask the client to report changes of the files in WATCHED, if it can."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return
        options = t.DidChangeWatchedFilesRegistrationOptions([t.FileSystemWatcher(g) for g in WATCHED])
        self.client_register_capability(
            t.RegistrationParams(
                [t.Registration("composelint-watched-files", t.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)]
            )
        )

    def release(self, key: Key) -> None:
        """Forget a project no open document belongs to any more, clearing what it published."""
        if key in self.owner.values():
            return
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        self.files.pop(key, None)
        before = self.published.pop(key, {})
        for uri in sorted(before):
            self.publish(uri)

    def close(self, uri: str) -> None:
        """Forget the document; projects that read it are linted again with the file on disk."""
        key = self.owner.pop(uri, None)
        if key is not None:
            self.release(key)
        path = to_fs_path(uri) if uri.startswith("file:") else None
        for dependant in self.dependants(os.path.normpath(path)) if path else []:
            self.start(dependant, 0)


def _request(kind: str, files: list[str], texts: dict[str, str]) -> Request:
    """A project of the editor as `check` would lint its files named on the command line."""
    compose = kind == discovery.COMPOSE
    return Request(
        paths=() if compose else tuple(files),
        compose_files=tuple(files) if compose else (),
        kinds=(kind,),
        texts=texts,
        relative_paths=False,
        jobs=1,
    )


def _workspace_edit(edits: list[dict]) -> t.WorkspaceEdit:
    changes: dict[str, list[t.TextEdit]] = {}
    for edit in edits:
        start_line, start_character, end_line, end_character = edit["range"]
        where = t.Range(t.Position(start_line, start_character), t.Position(end_line, end_character))
        changes.setdefault(edit["uri"], []).append(t.TextEdit(where, edit["newText"]))
    return t.WorkspaceEdit(changes=changes)


def create_server() -> ComposelintServer:
    server = ComposelintServer()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ComposelintServer, params: t.DidOpenTextDocumentParams) -> None:
        _safely(ls, ls.schedule, params.text_document.uri, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ComposelintServer, params: t.DidChangeTextDocumentParams) -> None:
        _safely(ls, ls.schedule, params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
    def did_save(ls: ComposelintServer, params: t.DidSaveTextDocumentParams) -> None:
        _safely(ls, ls.schedule, params.text_document.uri, 0)

    @server.feature(t.INITIALIZED)
    def initialized(ls: ComposelintServer, params: t.InitializedParams) -> None:
        _safely(ls, ls.watch_files)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: ComposelintServer, params: t.DidChangeWatchedFilesParams) -> None:
        _safely(ls, ls.files_changed, params.changes)

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, FIX_ALL]),
    )
    async def code_action(ls: ComposelintServer, params: t.CodeActionParams) -> list[t.CodeAction] | None:
        try:  # in the lint thread: "fix all" lints the project again, maybe several times
            return await asyncio.get_running_loop().run_in_executor(ls.executor, ls.code_actions, params)
        except Exception as error:
            _report(ls, error)
            return None

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: ComposelintServer, params: t.HoverParams) -> t.Hover | None:
        return _safely(ls, ls.hover, params.text_document.uri, params.position)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ComposelintServer, params: t.DidCloseTextDocumentParams) -> None:
        _safely(ls, ls.close, params.text_document.uri)

    # Nothing is linted after shutdown, and exit never waits for a lint.
    @server.feature(t.SHUTDOWN)
    def shutdown(ls: ComposelintServer, params: None) -> None:
        ls.worker.close()

    @server.feature(t.EXIT)
    def exit(ls: ComposelintServer, params: None) -> None:
        ls.worker.close()

    return server


def _safely(ls: ComposelintServer, function, *args):
    """The handler's answer; a bug in it is logged to the client (the answer is then None) and
    the server keeps running."""
    try:
        return function(*args)
    except Exception as error:
        _report(ls, error)
        return None


def _report(ls: ComposelintServer, error: Exception) -> None:
    """A bug in a handler, logged here and to the client."""
    logger.exception("handler failed", exc_info=error)
    ls.log(f"internal error: {type(error).__name__}: {error}", t.MessageType.Error)


def serve() -> None:
    """Run the server over stdin/stdout until the client says exit (or closes the connection)."""
    server = create_server()
    try:
        server.start_io()
    finally:
        server.worker.close()
