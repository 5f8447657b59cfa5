"""Compose schema validation: jsonschema-rs decides, jsonschema explains; the same findings without
jsonschema-rs (platforms without a wheel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from composelint.sources.compose import schema
from composelint.sources.compose.yaml_tree import read_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "compose"


def _documents() -> list[Path]:
    fixtures = sorted(
        p for p in (ROOT / "fixtures").rglob("*.y*ml") if "compose" in p.name or "rules" in p.parts
    )
    corpus = sorted(CORPUS.rglob("*compose*.y*ml"))[::15] if CORPUS.is_dir() else []
    return fixtures + corpus


def _roots(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    return read_yaml(str(path), text).roots


def test_fast_verdicts_agree_with_jsonschema():
    fast = schema._fast_validator()
    if fast is None:
        pytest.skip("jsonschema-rs is not installed here")
    checked = failing = 0
    for path in _documents():
        for root in _roots(path):
            data = schema._plain(root)
            explained = list(schema._validator().iter_errors(data))
            assert fast.is_valid(data) == (not explained), path
            checked += 1
            failing += bool(explained)
    assert checked > 200 and 0 < failing < checked


def test_without_jsonschema_rs_the_findings_are_the_same(monkeypatch):
    texts = [
        "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n",
        "services:\n  web:\n    imgae: nginx\n    ports: [{target: 80, published: [8080]}]\n",
        "- a\n",
        # Compose's lifecycle hooks: both validators read the one vendored schema, which has them
        "services:\n  web:\n    image: nginx\n    pre_start: [{image: busybox, command: [id]}]\n"
        "    post_start: [{command: id}]\n    pre_stop: [{command: id}]\n",
    ]
    with_fast = [
        [(d.message, d.span) for d in schema.validate(read_yaml("c.yaml", t).roots[0])] for t in texts
    ]
    monkeypatch.setattr(schema, "_fast_validator", lambda: None)
    alone = [[(d.message, d.span) for d in schema.validate(read_yaml("c.yaml", t).roots[0])] for t in texts]
    assert alone == with_fast
    assert [len(found) for found in alone] == [0, 2, 1, 0]


def test_one_file_imports_only_what_it_uses(tmp_path):
    """The pre-commit case: no jsonschema (for a valid file), no gitignore matching for a named file,
    no shell parser, only the report format asked for."""
    import subprocess
    import sys

    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n    ports: ['80:80']\n")
    probe = (
        "import runpy, sys\nsys.argv = ['composelint', 'check', 'compose.yaml']\n"
        "try:\n    runpy.run_module('composelint', run_name='__main__')\n"
        "finally:\n    sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert "CL202" in done.stdout
    loaded = set(done.stderr.split())
    unused = {
        "pathspec",
        "tree_sitter",
        "composelint.report.json",
        "composelint.report.sarif",
        "composelint.server",
    }
    if schema._fast_validator() is not None:
        unused.add("jsonschema")
    assert not unused & loaded
    assert "composelint.report.concise" in loaded
