"""Language server latency (issue 16): a change to a 300-line compose file gets its diagnostics
within 100 ms after the debounce.

Starts the real server (`python -m composelint server`) over stdio with pygls' LanguageClient,
opens a generated 300-line compose file, waits for its first diagnostics (the lint worker is
started then), and then sends CHANGES `didChange` notifications one at a time, each toggling
`privileged:` on one service so the diagnostics differ.  For each, the time from sending the
change to receiving `publishDiagnostics` for that version, minus the server's debounce, is the
latency after the debounce; the median is the number the issue asks for (exit 1 when it is
over 100 ms).  The same file with flow lists libyaml refuses is measured too.

    python bench/lsp_latency.py              # median of 20 changes
    python bench/lsp_latency.py --changes 50
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composelint.server import DEBOUNCE_SECONDS  # noqa: E402

LINES = 300
TARGET_SECONDS = 0.1
TIMEOUT = 60.0  # the first lint starts the worker process (a busy machine)


def compose_text(privileged: int, flow: bool = False) -> str:
    """A compose file of LINES lines: services with ports, networks, volumes and limits (every
    family of rules has something to read); service `privileged` runs privileged.  With `flow`,
    volumes are written `[data:/x]`, which libyaml refuses (YAML 1.2 allows it): the whole file is
    then composed by ruamel's pure-Python parser, several times slower."""
    lines = ["services:"]
    services = (LINES - 5) // 13  # 12 lines a service and its volume; 5 lines around them
    for service in range(services):
        lines += [
            f"  s{service}:",
            f"    image: registry.local/team/s{service}:1.{service}",
            "    ports:",
            f'      - "127.0.0.1:{8000 + service}:80"',
            "    networks: [front, back]",
            *(
                [f"    volumes: [data{service}:/var/lib/s{service}]", "    # flow"]
                if flow
                else ["    volumes:", f"      - data{service}:/var/lib/s{service}"]
            ),
            f"    mem_limit: {256 + service}m",
            f"    privileged: {'true' if service == privileged else 'false'}",
            "    read_only: true",
            "    environment:",
            f"      MODE: s{service}",
        ]
    lines += ["networks:", "  front: {}", "  back: {internal: true}", "volumes:"]
    lines += [f"  data{index}: {{}}" for index in range(services)]
    lines += [f"# line {len(lines) + 1}" for _ in range(LINES - len(lines))]
    return "\n".join(lines) + "\n"


async def measure(changes: int, flow: bool) -> list[float]:
    client = LanguageClient("composelint-bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Condition()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def publish(params: t.PublishDiagnosticsParams):
        async with arrived:
            if params.version is not None:
                published.setdefault(params.version, time.perf_counter())
            arrived.notify_all()

    async def received(version: int) -> float:
        async with arrived:
            await asyncio.wait_for(arrived.wait_for(lambda: version in published), TIMEOUT)
        return published[version]

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "compose.yaml"
        path.write_text(compose_text(0, flow), encoding="utf-8")
        uri = from_fs_path(str(path))
        await client.start_io(sys.executable, "-m", "composelint", "server", cwd=directory)
        try:
            await client.initialize_async(
                t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=from_fs_path(directory))
            )
            client.initialized(t.InitializedParams())
            client.text_document_did_open(
                t.DidOpenTextDocumentParams(
                    t.TextDocumentItem(uri, "yaml", 1, path.read_text(encoding="utf-8"))
                )
            )
            await received(1)
            latencies = []
            for version in range(2, changes + 2):
                text = compose_text(version % 10, flow)
                sent = time.perf_counter()
                client.text_document_did_change(
                    t.DidChangeTextDocumentParams(
                        t.VersionedTextDocumentIdentifier(version=version, uri=uri),
                        [t.TextDocumentContentChangeWholeDocument(text=text)],
                    )
                )
                latencies.append(await received(version) - sent - DEBOUNCE_SECONDS)
            await client.shutdown_async(None)
            client.exit(None)
        finally:
            server = client._server
            if server is not None and server.returncode is None:
                server.kill()
                await server.wait()
            await client.stop()
    return latencies


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    changes = parser.parse_args(argv).changes
    medians = []
    for flow in (False, True):
        latencies = asyncio.run(measure(changes, flow))
        medians.append(statistics.median(latencies))
        print(
            f"{LINES}-line compose file{' with flow lists libyaml refuses' if flow else ''}, {changes} changes: "
            f"after the {DEBOUNCE_SECONDS * 1000:.0f} ms debounce, median {medians[-1] * 1000:.0f} ms "
            f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}); target "
            f"{TARGET_SECONDS * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}"
        )
    return 0 if medians[0] <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
