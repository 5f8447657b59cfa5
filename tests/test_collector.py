"""The cycle collector is paused once per file set of the application pipeline (collector.py) and
left as it was found: the language server and Python callers keep their collector."""

from __future__ import annotations

import gc
import subprocess
import sys

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


@pytest.mark.parametrize(("filename", "text"), [("compose.yaml", COMPOSE), ("deploy.sh", SCRIPT)])
def test_the_models_are_freed_before_the_collector_runs_again(monkeypatch, filename, text):
    """The collector's one pass after a file set walks what survives it (the findings), not the
    models read: a 33,000-container script's model is 1.3 million objects."""
    import weakref
    from contextlib import contextmanager

    models: list[weakref.ref] = []
    alive_at_resume: list[bool] = []
    real_load, real_paused = app._load, app.collector_paused

    def load(*args, **kwargs):
        projects = real_load(*args, **kwargs)
        models.extend(weakref.ref(project) for project in projects)
        return projects

    @contextmanager
    def paused():
        with real_paused():
            yield
            alive_at_resume.extend(model() is not None for model in models)

    monkeypatch.setattr(app, "_load", load)
    monkeypatch.setattr(app, "collector_paused", paused)
    result = composelint.lint(text=text, filename=filename, isolated=True)
    assert result.findings and models
    assert alive_at_resume == [False] * len(models)


def test_what_the_first_file_set_imported_is_frozen_once():
    """The modules the first file set imports live as long as the process: no collector pass walks
    them again (`gc.freeze`), and later file sets freeze nothing more (frozen objects freed by
    reference counting leave the count)."""
    code = (
        "import gc, composelint\n"
        f"composelint.lint(text={COMPOSE!r}, filename='compose.yaml', isolated=True)\n"
        "first = gc.get_freeze_count()\n"
        f"composelint.lint(text={SCRIPT!r}, filename='deploy.sh', isolated=True)\n"
        "print(first > 10_000, gc.get_freeze_count() <= first, gc.isenabled())"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "True", "True"]
