"""`composelint server` driven over stdio by a real LSP client (pygls' LanguageClient).

The fixture fixtures/lsp/ is a project: compose.yaml, compose.override.yml (host networking for
`web`) and .env (BIND_IP=127.0.0.1).  Line 7 of compose.yaml holds "é" and "😀" before a finding,
so UTF-16 (and UTF-8) columns differ from code points there.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from conftest import FIXTURES, ROOT
from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

PROJECT = FIXTURES / "lsp"
COMPOSE = PROJECT / "compose.yaml"
OVERRIDE = PROJECT / "compose.override.yml"
BROKEN = PROJECT / "broken" / "compose.yaml"
TIMEOUT = 10  # seconds for one wait; the whole scenario takes about a second
WORKER_LINE = 6  # 0-based line of `worker: {labels: {note: "café 😀"}, ... network_mode: ...}`


def uri(path) -> str:
    return from_fs_path(str(path))


class Client:
    """A LanguageClient that records published diagnostics and log messages."""

    def __init__(self, encodings: list[str] | None = None, patch: Path | None = None):
        self.client = LanguageClient("composelint-test", "1")
        self.encodings = encodings
        self.patch = patch
        self.diagnostics: dict[str, t.PublishDiagnosticsParams] = {}
        self.logs: list[str] = []
        self.changed = asyncio.Condition()
        self.versions: dict[str, int] = {}
        self.messages: list[t.ShowMessageParams] = []
        self.registrations: list[t.Registration] = []

        @self.client.feature(t.WINDOW_SHOW_MESSAGE)
        async def show(params: t.ShowMessageParams):
            async with self.changed:
                self.messages.append(params)
                self.changed.notify_all()

        @self.client.feature(t.CLIENT_REGISTER_CAPABILITY)
        async def register(params: t.RegistrationParams):
            async with self.changed:
                self.registrations.extend(params.registrations)
                self.changed.notify_all()

        @self.client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def publish(params: t.PublishDiagnosticsParams):
            async with self.changed:
                self.diagnostics[params.uri] = params
                self.changed.notify_all()

        @self.client.feature(t.WINDOW_LOG_MESSAGE)
        async def log(params: t.LogMessageParams):
            async with self.changed:
                self.logs.append(params.message)
                self.changed.notify_all()

    async def __aenter__(self):
        path = [str(ROOT), os.environ.get("PYTHONPATH", "")]
        if self.patch is not None:  # its sitecustomize.py runs in the server and in its lint worker
            path.insert(0, str(self.patch))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
        await self.client.start_io(sys.executable, "-m", "composelint", "server", cwd=str(ROOT), env=env)
        general = t.GeneralClientCapabilities(position_encodings=self.encodings) if self.encodings else None
        # Like VS Code: the server may register file watchers (workspace/didChangeWatchedFiles).
        workspace = t.WorkspaceClientCapabilities(
            did_change_watched_files=t.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
        )
        result = await asyncio.wait_for(
            self.client.initialize_async(
                t.InitializeParams(
                    capabilities=t.ClientCapabilities(general=general, workspace=workspace),
                    root_uri=uri(ROOT),
                    process_id=os.getpid(),
                )
            ),
            TIMEOUT,
        )
        self.capabilities = result.capabilities
        self.client.initialized(t.InitializedParams())
        return self

    async def __aexit__(self, *exc):
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
            self.client.exit(None)
            await asyncio.wait_for(self.client.stop(), TIMEOUT)
        finally:
            server = self.client._server
            if server is not None and server.returncode is None:
                server.kill()
                await server.wait()

    async def wait(self, predicate, what: str):
        """Wait until predicate() is true (checked at every publication and log message)."""
        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(predicate), TIMEOUT)
            except TimeoutError:
                pytest.fail(f"timed out waiting for {what}; published: {self.summary()}; logs: {self.logs}")

    def codes(self, path) -> list[str] | None:
        published = self.diagnostics.get(uri(path))
        return None if published is None else sorted(str(d.code) for d in published.diagnostics)

    def summary(self) -> dict:
        return {
            u.rsplit("/", 2)[-2] + "/" + u.rsplit("/", 1)[-1]: [str(d.code) for d in p.diagnostics]
            for u, p in self.diagnostics.items()
        }

    def open(self, path, text: str | None = None, language_id: str = "yaml") -> None:
        self.versions[uri(path)] = 1
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                t.TextDocumentItem(
                    uri(path), language_id, 1, path.read_text(encoding="utf-8") if text is None else text
                )
            )
        )

    def save(self, path) -> None:
        self.client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(uri(path))))

    def changed_on_disk(self, path, kind: t.FileChangeType = t.FileChangeType.Changed) -> None:
        """What the editor's file watcher reports after another program wrote `path`."""
        self.client.workspace_did_change_watched_files(
            t.DidChangeWatchedFilesParams([t.FileEvent(uri(path), kind)])
        )

    def close(self, path) -> None:
        self.client.text_document_did_close(t.DidCloseTextDocumentParams(t.TextDocumentIdentifier(uri(path))))

    def change(self, path, text: str) -> None:
        self.versions[uri(path)] += 1
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(version=self.versions[uri(path)], uri=uri(path)),
                [t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )


def shell_front_end() -> bool:
    """Whether this checkout can load a shell script (the shell front end may not be there yet)."""
    try:
        from composelint.sources.shell.script import load_script

        load_script("check.sh", display=str, texts={"check.sh": "#!/bin/sh\ntrue\n"})
    except ImportError as error:  # the shell front end is being written
        if (error.name or "").startswith("composelint."):
            return False
        raise
    return True


def run(scenario, encodings=None, patch: Path | None = None):
    async def main():
        async with Client(encodings, patch) as client:
            await scenario(client)

    asyncio.run(asyncio.wait_for(main(), 60))


def patched(directory: Path, code: str) -> Path:
    """A directory whose sitecustomize.py patches the server (and its worker) with `code`."""
    directory.mkdir()
    (directory / "sitecustomize.py").write_text(code, encoding="utf-8")
    return directory


def by_code(client: Client, path) -> dict[str, t.Diagnostic]:
    return {str(d.code): d for d in client.diagnostics[uri(path)].diagnostics}


def test_project_diagnostics_then_fixed_by_editing():
    async def scenario(client: Client):
        assert client.capabilities.position_encoding == t.PositionEncodingKind.Utf16
        client.open(COMPOSE)
        await client.wait(
            lambda: client.codes(COMPOSE) and client.codes(OVERRIDE), "diagnostics of the project"
        )
        # The override is merged (web runs on the host network) and .env sets BIND_IP (no CL005).
        assert client.codes(COMPOSE) == ["CL102", "CL201"]
        assert client.codes(OVERRIDE) == ["CL101"]
        assert client.diagnostics[uri(COMPOSE)].version == 1

        host = by_code(client, OVERRIDE)["CL101"]
        assert host.range == t.Range(t.Position(2, 18), t.Position(2, 22))
        assert host.severity == t.DiagnosticSeverity.Error and host.source == "composelint"
        assert (
            host.code_description.href == "https://composelint.readthedocs.io/en/latest/rules/host-network/"
        )
        assert not host.tags

        shared = by_code(client, COMPOSE)["CL102"]
        line = COMPOSE.read_text(encoding="utf-8").splitlines()[WORKER_LINE]
        code_points = line.index('"service:web"')
        assert shared.range.start.line == WORKER_LINE
        # "é" is one UTF-16 unit, "😀" two: the column is one more than the code-point index.
        assert shared.range.start.character == code_points + 1 == 75
        assert shared.range.end == t.Position(WORKER_LINE, code_points + 1 + len('"service:web"'))
        assert shared.severity == t.DiagnosticSeverity.Error
        assert "worker -> web -> host" in shared.message
        # Related information: the override's `network_mode: host` the chain ends at.
        (related,) = shared.related_information
        assert related.location.uri == uri(OVERRIDE)
        assert related.location.range == host.range

        discarded = by_code(client, COMPOSE)["CL201"]
        assert discarded.severity == t.DiagnosticSeverity.Warning
        assert discarded.range == t.Range(t.Position(5, 8), t.Position(5, 28))

        # Fix the override in the editor (unsaved): web leaves the host network.  Both files are
        # re-linted; the base's unsaved text is used for the open base.
        client.open(OVERRIDE)
        client.change(OVERRIDE, "services:\n  web:\n    read_only: true\n")
        # Sharing web's own namespace is the sidecar pattern: CL102 reports it only with `siblings`.
        await client.wait(
            lambda: client.codes(OVERRIDE) == [] and client.codes(COMPOSE) == [],
            "the host-network findings to clear",
        )

        # Debounced: several quick changes, only the last text counts.
        original = COMPOSE.read_text(encoding="utf-8")
        client.change(
            COMPOSE, original.replace('image: "busybox:1.36"', 'image: "busybox:1.36", privileged: true')
        )
        await client.wait(lambda: client.codes(COMPOSE) == ["CL301"], "the privileged worker to be reported")
        fixed = original.replace(', network_mode: "service:web"', "")
        client.change(COMPOSE, fixed.replace("busybox", "busybox:latest # "))
        client.change(COMPOSE, fixed)
        started = time.monotonic()
        await client.wait(lambda: client.codes(COMPOSE) == [], "compose.yaml diagnostics to clear")
        assert time.monotonic() - started >= 0.2  # waited for the debounce
        assert client.diagnostics[uri(COMPOSE)].version == 4
        assert client.codes(OVERRIDE) == []

        # Editing the .env beside it re-lints the project with the unsaved values; closing the
        # .env goes back to the file on disk.
        env = PROJECT / ".env"
        client.open(env, language_id="dotenv")
        client.change(env, "# BIND_IP is gone\n")
        await client.wait(lambda: "CL202" in (client.codes(COMPOSE) or []), "the unsaved .env to be used")
        assert client.codes(env) is None
        client.close(env)
        await client.wait(lambda: client.codes(COMPOSE) == [], "the .env on disk to be used again")

    run(scenario)


def test_utf8_position_encoding_when_the_client_prefers_it():
    async def scenario(client: Client):
        assert client.capabilities.position_encoding == t.PositionEncodingKind.Utf8
        client.open(COMPOSE)
        await client.wait(lambda: client.codes(COMPOSE), "diagnostics")
        shared = by_code(client, COMPOSE)["CL102"]
        line = COMPOSE.read_text(encoding="utf-8").splitlines()[WORKER_LINE]
        assert shared.range.start.character == len(line[: line.index('"service:web"')].encode()) == 78

    run(scenario, encodings=[t.PositionEncodingKind.Utf8, t.PositionEncodingKind.Utf16])


def test_yaml_syntax_error_is_a_diagnostic_and_the_server_survives():
    async def scenario(client: Client):
        client.open(BROKEN)
        await client.wait(lambda: client.codes(BROKEN), "the syntax error")
        (error,) = client.diagnostics[uri(BROKEN)].diagnostics
        assert error.code == "CL001" and error.severity == t.DiagnosticSeverity.Error
        assert error.range.start.line == 4 and "YAML syntax error" in error.message

        # A file that is neither a compose file nor a shell script is ignored; a shell script is
        # linted when the shell front end exists, else skipped with a log message.
        client.open(PROJECT / "notes.yaml", "services: {web: {network_mode: host}}\n")
        script = PROJECT / "deploy.sh"
        client.open(script, "#!/bin/sh\ndocker run --privileged alpine\n", "shellscript")
        if not shell_front_end():
            await client.wait(
                lambda: any("deploy.sh" in m and "no shell front end" in m for m in client.logs),
                "a log message",
            )
        else:
            await client.wait(lambda: client.codes(script), "the script's diagnostics")
            assert client.codes(script)
        assert client.codes(PROJECT / "notes.yaml") is None

        # The server still works after all that.
        client.change(BROKEN, BROKEN.read_text(encoding="utf-8").replace('"8080:80"', '"127.0.0.1:8080:80"]'))
        await client.wait(lambda: client.codes(BROKEN) == [], "the fixed file to clear")

    run(scenario)


# The real server, with a pipeline that fails for documents under a `crash` directory.
CRASHING = """
import composelint.server as server
original = server.run
def run(request):
    if any("/crash/" in path for path in (*request.paths, *request.compose_files)):
        raise RuntimeError("simulated bug")
    return original(request)
server.run = run
"""


def test_an_internal_error_is_logged_and_clears_nothing(tmp_path):
    crash = tmp_path / "crash" / "compose.yaml"  # not on disk: the editor's text is linted

    async def scenario(client: Client):
        client.open(COMPOSE)
        await client.wait(lambda: client.codes(COMPOSE), "diagnostics")
        before = dict(client.diagnostics)
        client.open(crash, "services: {web: {image: nginx:1.27}}\n")
        await client.wait(
            lambda: any("internal error" in m and "simulated bug" in m for m in client.logs),
            "the internal error to be logged",
        )
        client.change(crash, "services: {web: {image: nginx:1.27, network_mode: host}}\n")
        await client.wait(lambda: sum("simulated bug" in m for m in client.logs) == 2, "the second error")
        assert client.diagnostics == before  # nothing published, nothing cleared
        client.change(
            COMPOSE, COMPOSE.read_text(encoding="utf-8") + "  extra: {image: nginx:1.27, privileged: true}\n"
        )
        await client.wait(lambda: "CL301" in client.codes(COMPOSE), "the server to keep working")

    run(scenario, patch=patched(tmp_path / "patch", CRASHING))


def test_unit_kinds_are_linted_with_their_directory():
    """A Quadlet unit is linted with its directory's units (Pod=app.pod resolved); a systemd unit and
    a devcontainer.json on their own; the editor's unsaved text counts."""
    homelab = FIXTURES / "quadlet" / "homelab"
    service = FIXTURES / "systemd" / "clean.service"
    devcontainer = FIXTURES / "devcontainer" / "clean" / ".devcontainer.json"

    async def scenario(client: Client):
        client.open(homelab / "app.container", "[Container]\nImage=x\nPod=app.pod\n", "ini")
        await client.wait(lambda: client.codes(homelab / "app.container") == ["CL102"], "CL102 on the unit")
        assert by_code(client, homelab / "app.container")["CL102"].range.start == t.Position(2, 4)
        client.open(service, "[Service]\nExecStart=/usr/bin/docker run --net=host img\n", "systemd")
        await client.wait(lambda: client.codes(service) == ["CL101"], "CL101 on the service")
        client.open(devcontainer, '{"image": "x", "privileged": true}', "jsonc")
        await client.wait(lambda: client.codes(devcontainer) == ["CL301"], "CL301 on the devcontainer.json")

    run(scenario)


@pytest.mark.parametrize(
    "name, language, text, risky, position",
    [
        (
            "README.md",
            "markdown",
            "# Run\n\n- Start it:\n\n  ```console\n  $ docker run --net=host nginx:1.27\n  ```\n",
            "--net=host ",
            (5, 15),
        ),
        (
            "Containerfile",
            "dockerfile",
            "FROM docker:27-dind\nRUN dockerd & sleep 3 \\\n    && docker run --privileged tester:1.4\n",
            "--privileged ",
            (2, 18),
        ),
    ],
)
def test_embedded_command_diagnostics_at_the_command(tmp_path, name, language, text, risky, position):
    """A Markdown code block or a Dockerfile `RUN`: the diagnostic is at the command's flag."""
    document = tmp_path / name  # not on disk: the editor's text is linted

    async def scenario(client: Client):
        client.open(document, text, language_id=language)
        await client.wait(lambda: len(client.codes(document) or []) == 1, "the diagnostic")
        (diagnostic,) = client.diagnostics[uri(document)].diagnostics
        assert (diagnostic.range.start.line, diagnostic.range.start.character) == position
        client.change(document, text.replace(risky, ""))
        await client.wait(lambda: client.codes(document) == [], "the fixed document to clear")

    run(scenario)


def test_hover_shows_the_documentation_of_the_finding_under_the_cursor():
    compose = FIXTURES / "examples" / "host-mode" / "compose.yaml"

    async def scenario(client: Client):
        assert client.capabilities.hover_provider
        client.open(compose)
        await client.wait(lambda: "CL101" in (client.codes(compose) or []), "CL101")
        host = by_code(client, compose)["CL101"].range
        inside = t.Position(host.start.line, host.start.character + 1)
        hover = await client.client.text_document_hover_async(
            t.HoverParams(t.TextDocumentIdentifier(uri(compose)), inside)
        )
        assert hover is not None and hover.range == host
        assert hover.contents.kind == t.MarkupKind.Markdown
        assert hover.contents.value.startswith("# CL101 host-network\n")
        assert "(https://composelint.readthedocs.io/en/latest/rules/host-network/)" in hover.contents.value
        nowhere = await client.client.text_document_hover_async(
            t.HoverParams(t.TextDocumentIdentifier(uri(compose)), t.Position(0, 0))
        )
        assert nowhere is None

    run(scenario)


def _applied(text: str, edits: list[t.TextEdit]) -> str:
    """`text` (ASCII, `\n` lines) with LSP edits applied."""
    lines = text.split("\n")

    def offset(position: t.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def test_code_actions_fix_suppress_and_fix_all(tmp_path):
    from conftest import run_cli

    compose = tmp_path / "compose.yaml"
    original = (
        "services:\n  ssh:\n    image: atmoz/sftp:alpine\n    privileged: true\n    ports:\n      - 2222:22\n"
    )
    compose.write_text(original, encoding="utf-8")
    (tmp_path / ".composelint.yaml").write_text("extend-select: [CL208]\n")  # opt-in: a safe fix to offer

    async def scenario(client: Client):
        kinds = client.capabilities.code_action_provider.code_action_kinds
        assert list(kinds) == [t.CodeActionKind.QuickFix, "source.fixAll.composelint"]
        client.open(compose)
        await client.wait(lambda: "CL208" in (client.codes(compose) or []), "CL208")
        found = by_code(client, compose)
        document = t.TextDocumentIdentifier(uri(compose))

        async def actions(where: t.Range, only=None) -> list[t.CodeAction]:
            context = t.CodeActionContext(diagnostics=[], only=only)
            return await client.client.text_document_code_action_async(
                t.CodeActionParams(document, where, context)
            )

        quick = await actions(found["CL208"].range, only=[t.CodeActionKind.QuickFix])
        titles = [a.title for a in quick]
        assert "Quote `2222:22` (CL208)" in titles
        assert "Bind it to 127.0.0.1: only this host can reach it (CL210, unsafe)" in titles
        assert "Suppress CL208 on this line (write the reason in place of REASON)" in titles
        quote = next(a for a in quick if a.title.startswith("Quote"))
        assert quote.is_preferred and quote.diagnostics[0].code == "CL208"
        text = _applied(original, quote.edit.changes[uri(compose)])
        assert '      - "2222:22"\n' in text

        # Suppressing CL301 with a reason: the finding goes, and no unused-suppression appears.
        (suppress,) = [a for a in await actions(found["CL301"].range) if a.title.startswith("Suppress CL301")]
        text = _applied(text, suppress.edit.changes[uri(compose)])
        assert "    privileged: true  # composelint: ignore=CL301 -- REASON\n" in text
        client.change(compose, text)
        await client.wait(lambda: "CL301" not in (client.codes(compose) or ["CL301"]), "CL301 to go")
        assert "CL900" not in client.codes(compose) and "CL208" not in client.codes(compose)

        # "Fix all safe problems" gives what `check --fix` writes.
        client.change(compose, original)
        await client.wait(lambda: "CL208" in (client.codes(compose) or []), "CL208 again")
        start = t.Range(t.Position(0, 0), t.Position(0, 0))
        (fix_all,) = await actions(start, only=["source.fixAll"])
        assert fix_all.kind == "source.fixAll.composelint"
        fixed = _applied(original, fix_all.edit.changes[uri(compose)])
        run_cli("check", "--fix", str(compose))
        assert fixed == compose.read_text(encoding="utf-8") != original

    run(scenario)


def test_saving_the_configuration_relints_open_documents(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    privileged: true\n"
    )
    config = tmp_path / ".composelint.yaml"
    config.write_text("ignore: []\n")

    async def scenario(client: Client):
        client.open(compose)
        await client.wait(lambda: client.codes(compose) == ["CL101", "CL301"], "CL101 and CL301")
        client.open(config)
        config.write_text("ignore: [CL101]\n")
        client.change(config, "ignore: [CL101]\n")
        client.save(config)
        await client.wait(lambda: client.codes(compose) == ["CL301"], "CL101 gone after the save")

    run(scenario)


def test_an_invalid_configuration_is_a_diagnostic_on_it_and_a_message(tmp_path):
    """Every problem of the configuration at its position, one window/showMessage; the documents
    it applies to are linted again once it is fixed, and its diagnostics clear."""
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n")
    config = tmp_path / ".composelint.yaml"
    config.write_text("select: [CL1, CL999]\nfail-on: sometimes\n")

    async def scenario(client: Client):
        client.open(compose)
        await client.wait(lambda: client.codes(config) is not None, "diagnostics on the configuration")
        problems = client.diagnostics[uri(config)].diagnostics
        assert [(d.range.start.line, d.range.start.character, d.range.end.character) for d in problems] == [
            (0, 14, 19),
            (1, 9, 18),
        ]
        assert problems[0].message.startswith("select[1]: unknown rule selector `CL999`")
        assert problems[1].message.startswith("fail-on: `sometimes` is not one of error")
        assert all(d.severity == t.DiagnosticSeverity.Error for d in problems)
        [message] = client.messages
        assert message.type == t.MessageType.Error
        assert "invalid configuration" in message.message and "2 problems" in message.message
        assert client.codes(compose) is None  # not linted meanwhile
        config.write_text("select: [CL1]\n")
        client.open(config)  # opening (or saving) it checks it again
        await client.wait(lambda: client.codes(config) == [], "the configuration's diagnostics to clear")
        await client.wait(lambda: client.codes(compose) == ["CL101"], "the compose file linted")
        assert len(client.messages) == 1

    run(scenario)


def test_files_changed_outside_the_editor_relint_what_reads_them(tmp_path):
    """workspace/didChangeWatchedFiles: the server registers its watchers; a changed .env re-lints
    the project that reads it, a changed configuration every open document, a new override file
    joins the project of the document beside it."""
    compose = tmp_path / "compose.yaml"
    compose.write_text('services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "${BIND}:8080:80"\n')
    env = tmp_path / ".env"
    env.write_text("BIND=127.0.0.1\n")

    async def scenario(client: Client):
        await client.wait(lambda: client.registrations, "the file watchers to be registered")
        [registration] = client.registrations
        assert registration.method == t.WORKSPACE_DID_CHANGE_WATCHED_FILES
        patterns = [w["globPattern"] for w in registration.register_options["watchers"]]  # as sent: JSON
        assert "**/{.env,*.env,.env.*}" in patterns and "**/*.{yml,yaml}" in patterns
        client.open(compose)
        await client.wait(lambda: client.codes(compose) == [], "no finding with a loopback address")
        env.write_text("BIND=0.0.0.0\n")
        client.changed_on_disk(env)
        await client.wait(lambda: client.codes(compose) == ["CL202"], "CL202 after .env changed")
        (tmp_path / ".composelint.yaml").write_text("ignore: [CL202]\n")
        client.changed_on_disk(tmp_path / ".composelint.yaml", t.FileChangeType.Created)
        await client.wait(lambda: client.codes(compose) == [], "CL202 ignored by the new configuration")
        override = tmp_path / "compose.override.yaml"
        override.write_text("services:\n  web:\n    privileged: true\n")
        client.changed_on_disk(override, t.FileChangeType.Created)
        await client.wait(lambda: client.codes(override) == ["CL301"], "the new override file linted")

    run(scenario)


# --- Hostile input (issue 17, item 10): never blocked by a file, a wedged lint replaced, exit at once

# The real server, whose pipeline never ends for documents under a `wedge` directory.
WEDGING = """
import time
import composelint.server as server
server.LINT_SECONDS = {seconds}
original = server.run
def run(request):
    if any("/wedge/" in path for path in (*request.paths, *request.compose_files)):
        while True:
            time.sleep(1)
    return original(request)
server.run = run
"""
WEDGED = "services: {web: {image: nginx:1.27, network_mode: host}}\n"


def workers(client: Client) -> list[int]:
    """The lint worker processes the server has running now."""
    server = client.client._server
    assert server is not None
    found = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path("/proc", entry, "stat").read_text()
            command = Path("/proc", entry, "cmdline").read_bytes()
        except OSError:  # not a process, or gone meanwhile
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == server.pid and b"spawn_main" in command and stat.rpartition(")")[2].split()[0] != "Z":
            found.append(int(entry))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts worker processes in /proc")
def test_a_wedged_lint_is_abandoned_and_the_next_lint_gets_a_new_worker(tmp_path):
    wedge = tmp_path / "wedge" / "compose.yaml"

    async def scenario(client: Client):
        client.open(wedge, WEDGED)
        await client.wait(
            lambda: (
                any("was abandoned (stopped after 3 s)" in m for m in client.logs)
                and any("abandoned" in m.message for m in client.messages)
            ),  # the user is told
            "the lint abandoned",
        )
        assert client.codes(wedge) is None and workers(client) == []  # the wedged worker is gone
        client.open(COMPOSE)
        await client.wait(lambda: client.codes(COMPOSE), "diagnostics from a new worker")
        assert len(workers(client)) == 1

    run(scenario, patch=patched(tmp_path / "patch", WEDGING.format(seconds=3)))


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts worker processes in /proc")
def test_the_server_exits_on_request_while_a_lint_is_wedged(tmp_path):
    wedge = tmp_path / "wedge" / "compose.yaml"

    async def main():
        client = Client(patch=patched(tmp_path / "patch", WEDGING.format(seconds=600)))
        await client.__aenter__()
        server = client.client._server
        assert server is not None
        try:
            client.open(wedge, WEDGED)
            for _ in range(100):  # until the lint is running in its worker
                if workers(client):
                    break
                await asyncio.sleep(0.1)
            [worker] = workers(client)
            await asyncio.sleep(0.5)
            # The wedge lasts 600 s: answering within TIMEOUT means the server did not wait for it.
            await asyncio.wait_for(client.client.shutdown_async(None), TIMEOUT)
            client.client.exit(None)
            assert await asyncio.wait_for(server.wait(), TIMEOUT) == 0
            assert not Path("/proc", str(worker)).exists()
        finally:
            if server.returncode is None:
                server.kill()
                await server.wait()

    asyncio.run(asyncio.wait_for(main(), 60))


def test_a_fifo_in_the_project_does_not_block_the_server(tmp_path):
    """Row 6: a FIFO `.env` beside the document hung the lint thread for good."""
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n")
    os.mkfifo(tmp_path / ".env")

    async def scenario(client: Client):
        client.open(compose)
        await client.wait(lambda: client.codes(compose), "diagnostics")
        assert "CL101" in (client.codes(compose) or [])

    run(scenario)
