"""Shared helpers: lint real files through the real CLI and compare with expectations."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from composelint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = (ROOT.parent / "shared").resolve()  # a link to shared/ behaves like a copy
_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.*)$")
_ITEM = re.compile(r"(?P<code>CL\d{3})@(?P<column>\d+)(?::(?P<severity>error|warning|info|style))?")


def pytest_configure(config: pytest.Config) -> None:
    """Each run gets a temporary directory of its own: pytest's shared numbered directories are
    pruned by any other run on the machine, under the feet of this one."""
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="composelint-tests-")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    output: str  # stdout and stderr as a terminal would show them, interleaved


class _Tee(io.RawIOBase):
    """What a stream writes, kept on its own and in the output both streams share."""

    def __init__(self, shared: io.BytesIO):
        self.own, self.shared = io.BytesIO(), shared

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.own.write(data)
        self.shared.write(data)
        return len(data)


def run_cli(*args: str, input: str | None = None) -> CliResult:
    """Invoke `composelint` in-process, with standard input, output and error of its own (none a
    terminal); exceptions other than SystemExit go to the test."""
    shared = io.BytesIO()
    out, err = _Tee(shared), _Tee(shared)
    streams = {
        "stdin": io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8"),
        "stdout": io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        "stderr": io.TextIOWrapper(err, encoding="utf-8", write_through=True),
    }
    with contextlib.ExitStack() as stack:
        for name, stream in streams.items():
            stack.enter_context(_replaced(name, stream))
        try:
            main(list(args))
        except SystemExit as end:
            code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    return CliResult(
        code, out.own.getvalue().decode(), err.own.getvalue().decode(), shared.getvalue().decode()
    )


@contextlib.contextmanager
def _replaced(name: str, stream):
    saved = getattr(sys, name)
    setattr(sys, name, stream)
    try:
        yield
    finally:
        stream.flush()
        setattr(sys, name, saved)


def lint_json(*args: str, input: str | None = None) -> dict:
    result = run_cli("check", "--output-format", "json", *args, input=input)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def findings(*args: str, input: str | None = None) -> list[tuple[str, int, int, str]]:
    """(code, line, column, severity) of every unsuppressed finding."""
    report = lint_json(*args, input=input)
    return [
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"], f["severity"])
        for f in report["findings"]
        if f["suppressed"] is None
    ]


def expectations(path: Path) -> set[tuple[str, int, int, str | None]]:
    """`# expect: CL202@9 CL210@9:error` comments: code, the comment's line, column, severity."""
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for item in _ITEM.finditer(match.group("items")):
                expected.add((item["code"], number, int(item["column"]), item["severity"]))
    return expected


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not present next to the checkout ({SHARED})")
    return SHARED


def check_github_schema(path: Path, schema: str) -> None:
    """Validate a workflow or action file with check-jsonschema's vendored GitHub schema
    (`vendor.github-workflows`, `vendor.github-actions`): offline, as GitHub reads the file."""
    import subprocess
    import sys

    pytest.importorskip("check_jsonschema", reason="needs the test extra (check-jsonschema)")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def write(root: Path, files: dict[str, str]) -> Path:
    """Create `files` (relative name -> text) below `root`; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
