"""`composelint check --changed -- FILES`, as the pre-commit hook runs it: each changed file is
linted as its kind, a changed `.env` or include/extends/env_file target re-lints the compose
projects that read it, and other files are left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import lint_json

PRIVILEGED = "services:\n  base:\n    image: alpine:3.20\n    privileged: true\n"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch) -> Path:
    """A repository: a project extending a shared file, a project whose port comes from its .env."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "compose.yaml").write_text(
        "services:\n  web:\n    image: alpine:3.20\n    network_mode: host\n"
        "    extends:\n      file: common.yml\n      service: base\n"
    )
    (tmp_path / "app" / "common.yml").write_text(PRIVILEGED)
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "compose.yaml").write_text(
        'services:\n  db:\n    image: postgres:16\n    ports: ["${BIND:-127.0.0.1}:5432:5432"]\n'
    )
    (tmp_path / "db" / ".env").write_text("BIND=0.0.0.0\n")
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    (tmp_path / "README.md").write_text("```sh\ndocker run --net=host nginx:1.27\n```\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _linted(*changed: str) -> dict[str, set[str]]:
    report = lint_json("--changed", "--", *changed)
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        found.setdefault(finding["path"], set()).add(finding["code"])
    return found


def test_a_changed_env_file_relints_the_project_of_its_directory(repository):
    assert _linted("db/.env") == {"db/compose.yaml": {"CL210"}}


def test_a_changed_extends_target_relints_the_project_that_extends_it(repository):
    # common.yml is Compose by content (linted on its own) and app/compose.yaml extends it
    assert _linted("app/common.yml") == {"app/common.yml": {"CL301"}, "app/compose.yaml": {"CL101"}}


def test_a_changed_yaml_file_that_no_project_reads_is_left_alone(repository):
    report = lint_json("--changed", "--", "values.yaml")
    assert report["summary"]["files_checked"] == 0 and report["findings"] == []


def test_changed_files_of_other_kinds_are_linted_as_their_kind(repository):
    assert _linted("README.md") == {"README.md": {"CL101"}}


def test_a_file_named_like_an_option_after_the_separator_is_a_file(repository):
    """A committed directory `--config=evil` must not make the hook load a configuration."""
    evil = repository / "--config=evil"
    evil.mkdir()
    (evil / "compose.yaml").write_text(PRIVILEGED)
    assert _linted(os.path.join("--config=evil", "compose.yaml")) == {"--config=evil/compose.yaml": {"CL301"}}
