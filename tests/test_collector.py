"""The cycle collector is paused once per file set of the application pipeline (collector.py) and
left as it was found: the language server and Python callers keep their collector."""

from __future__ import annotations

import gc

import pytest

import composelint
from composelint import app

COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
SCRIPT = "#!/bin/sh\ndocker run --privileged alpine:3.20\n"


@pytest.mark.parametrize(("filename", "text"), [("compose.yaml", COMPOSE), ("deploy.sh", SCRIPT)])
@pytest.mark.parametrize("enabled", [True, False])
def test_a_file_set_is_read_and_linted_with_the_collector_paused(monkeypatch, filename, text, enabled):
    during: list[bool] = []
    real_load, real_lint = app._load, app.lint_project

    def load(*args, **kwargs):
        during.append(gc.isenabled())
        return real_load(*args, **kwargs)

    def lint_project(*args, **kwargs):
        during.append(gc.isenabled())
        return real_lint(*args, **kwargs)

    monkeypatch.setattr(app, "_load", load)
    monkeypatch.setattr(app, "lint_project", lint_project)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        result = composelint.lint(text=text, filename=filename, isolated=True)
        assert result.findings
        assert during and not any(during)  # paused while reading and while the rules ran
        assert gc.isenabled() is enabled  # and left as it was found
    finally:
        (gc.enable if was else gc.disable)()
