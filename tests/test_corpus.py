"""Robustness on ~2,750 real compose files (../shared/corpus/compose).

Every rule runs (`--select ALL`) through the real CLI, in-process.  The linter must
finish with exit 0 or 1 (never 2: usage error, unreadable path or internal error),
print valid JSON, and check every file:

* the corpus directory itself (`--kind compose`): every compose-named file and every
  YAML file whose top-level `services:` entries have an image, build or extends
  (discovery skips version-control and cache directories, like the walk below);
* every other YAML file of the corpus, named explicitly on the command line.

`files_checked` counts every file read, so it also includes the `include:` and
`extends: {file:}` targets (inside the including project's directory) and the
override sibling of an explicitly named base file; `_expected_files` finds those
independently with a plain YAML scan.  The corpus has no `.env` files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SHARED, run_cli
from ruamel.yaml import YAML

from composelint.discovery import BASE_NAMES, OVERRIDE_NAMES, SKIPPED_DIRECTORIES, is_compose_name
from composelint.rules import all_rules

CORPUS = SHARED / "corpus" / "compose"


def _compose_content(path: Path) -> bool:
    """A top-level `services:` mapping with an entry that has image, build or extends."""
    try:
        documents = list(YAML(typ="rt", pure=True).load_all(path.read_text(encoding="utf-8")))
    except Exception:  # not YAML: discovery cannot read it either
        return False
    return any(
        isinstance(document, dict)
        and isinstance(document.get("services"), dict)
        and any(
            isinstance(service, dict) and any(k in service for k in ("image", "build", "extends"))
            for service in document["services"].values()
        )
        for document in documents
    )


def _corpus_files() -> tuple[list[Path], list[Path]]:
    """(compose files found by walking directories, every other YAML file)."""
    walked, others = [], []
    for root, directories, names in os.walk(CORPUS):
        directories.sort()
        parts = Path(root).relative_to(CORPUS).parts
        # an Ansible role's task lists are not Compose files, whatever their names
        skipped = any(p in SKIPPED_DIRECTORIES for p in parts) or (
            len(parts) >= 3 and parts[-3] == "roles" and parts[-1] in ("tasks", "handlers")
        )
        for name in sorted(names):
            path = Path(root, name)
            if not skipped and (
                is_compose_name(name) or (name.endswith((".yml", ".yaml")) and _compose_content(path))
            ):
                walked.append(path)
            elif name.endswith((".yml", ".yaml")):
                others.append(path)
    return walked, others


def _references(path: Path) -> list[Path]:
    """Local `include:` and `extends: {file:}` targets named by a compose file."""
    try:
        text = path.read_text(encoding="utf-8")
        if "include" not in text and "extends" not in text:
            return []
        document = YAML(typ="rt", pure=True).load(text)
    except Exception:  # not YAML: the linter reports it, there is nothing to follow
        return []
    if not isinstance(document, dict):
        return []
    targets: list = []
    includes = document.get("include") or []
    for entry in includes if isinstance(includes, list) else [includes]:
        paths = entry.get("path") if isinstance(entry, dict) else entry
        targets.extend(paths if isinstance(paths, list) else [paths])
    services = document.get("services")
    for service in services.values() if isinstance(services, dict) else []:
        extends = service.get("extends") if isinstance(service, dict) else None
        if isinstance(extends, dict):
            targets.append(extends.get("file"))
    return [
        Path(os.path.normpath(path.parent / t))
        for t in targets
        if isinstance(t, str) and "$" not in t and "://" not in t
    ]


def _expected_files(named: list[Path], explicit: bool) -> set[Path]:
    """The named files, the override sibling of an explicitly named base file, and the
    include/extends targets (transitively) that lie inside the starting file's directory."""
    expected = set(named)
    todo = [(path, path.parent) for path in named]
    if explicit:
        for path in named:
            if path.name in BASE_NAMES:
                override = next(
                    (path.with_name(n) for n in OVERRIDE_NAMES if path.with_name(n).is_file()), None
                )
                if override and override not in expected:
                    expected.add(override)
                    todo.append((override, path.parent))
    while todo:
        path, root = todo.pop()
        for target in _references(path):
            if target.is_file() and root in target.parents and target not in expected:
                expected.add(target)
                todo.append((target, root))
    return expected


def _lint(*paths: str) -> dict:
    import json

    # Every file, test data of the tools included: none may crash the linter.
    result = run_cli(
        "check",
        "--kind",
        "compose",
        "--select",
        "ALL",
        "--include-test-data",
        "--output-format",
        "json",
        *paths,
    )
    stderr = result.stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {stderr}"
    report = json.loads(result.stdout)
    assert not [e for e in report["errors"] if "internal" in e.get("message", "")], report["errors"]
    codes = set(all_rules())
    for finding in report["findings"]:
        assert finding["code"] in codes, finding
        assert finding["range"]["start"]["line"] >= 1 and finding["range"]["start"]["column"] >= 1, finding
    return report


@pytest.fixture(scope="module")
def corpus_files() -> tuple[list[Path], list[Path]]:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus/compose is not present next to the checkout ({CORPUS})")
    return _corpus_files()


def test_corpus_directory(corpus_files):
    walked, _ = corpus_files
    assert len(walked) > 1000, "corpus unexpectedly small"
    expected = _expected_files(walked, explicit=False)
    report = _lint(str(CORPUS))
    assert report["summary"]["files_checked"] == len(expected), (
        f"{len(walked)} compose-named files + {len(expected) - len(walked)} include/extends targets: "
        f"{sorted(str(p.relative_to(CORPUS)) for p in expected - set(walked))}"
    )
    assert {Path(f["path"]).resolve() for f in report["findings"]} <= expected


def test_corpus_other_yaml_files(corpus_files):
    _, others = corpus_files
    if not others:
        pytest.skip("the corpus has no YAML files outside directory discovery")
    expected = _expected_files(others, explicit=True)
    report = _lint(*map(str, others))
    assert report["summary"]["files_checked"] == len(expected), (
        f"{len(others)} files named + {len(expected) - len(others)} overrides/include/extends targets: "
        f"{sorted(str(p.relative_to(CORPUS)) for p in expected - set(others))}"
    )
