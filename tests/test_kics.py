"""Conformance with KICS's Docker Compose query fixtures (../shared/conformance/kics).

For each KICS query mapped to composelint codes (../shared/conformance/kics-map.json)
of which at least one is implemented, every fixture is linted with `--select ALL`:

* `positive*.yaml`: for each line KICS expects (positive_expected_result.json), a
  finding of one of the mapped codes must be reported in the same service as that
  line (the service is found by an indentation scan of the fixture, the finding's
  service is its JSON `workload`).  An expected line outside `services:` accepts a
  mapped finding anywhere in the file.
* `negative*.yaml`: no finding of a mapped code.

Fixtures where composelint deliberately disagrees are listed, with the reason, in
tests/kics_disagreements.json; they must still disagree, every other fixture must agree.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from composelint.rules import all_rules

from conftest import SHARED, lint_json

KICS = SHARED / "conformance" / "kics"
MAP_FILE = SHARED / "conformance" / "kics-map.json"
DISAGREEMENTS_FILE = Path(__file__).with_name("kics_disagreements.json")
IMPLEMENTED = frozenset(all_rules())
_FIXTURE_NAME = re.compile(r"^(positive|negative)\d*\.yaml$")


def _load_map() -> dict[str, list[str]]:
    mapping = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return {query: codes for query, codes in mapping.items() if not query.startswith("_")}


def _load_disagreements() -> dict[str, dict]:
    return json.loads(DISAGREEMENTS_FILE.read_text(encoding="utf-8"))["fixtures"]


def _cases() -> list:
    if not MAP_FILE.is_file():
        return [pytest.param(None, None, marks=pytest.mark.skip(
            reason=f"../shared is not present next to the checkout ({SHARED})"), id="no-shared")]
    cases = []
    for query, codes in sorted(_load_map().items()):
        missing = sorted(set(codes) - IMPLEMENTED)
        if not set(codes) & IMPLEMENTED:
            cases.append(pytest.param(query, None, id=query, marks=pytest.mark.skip(
                reason=f"KICS query {query}: mapped code(s) {', '.join(missing)} not implemented yet")))
            continue
        for fixture in sorted((KICS / query).glob("*.yaml")):
            cases.append(pytest.param(query, fixture.name, id=f"{query}/{fixture.name}"))
    return cases


@functools.cache
def _report(path: Path) -> dict:
    return lint_json("--select", "ALL", str(path))


def service_at(text: str, line: int) -> str | None:
    """Name of the service whose block contains 1-based `line`, by indentation; None outside `services:`."""
    lines = text.splitlines()
    start = next((i for i, content in enumerate(lines) if re.match(r"services\s*:\s*(#.*)?$", content)), None)
    if start is None or line - 1 <= start:
        return None
    indent = None
    for content in lines[start + 1:]:
        if content.strip() and not content.lstrip().startswith("#"):
            indent = len(content) - len(content.lstrip())
            break
    block = [content for content in lines[start + 1:line]
             if content.strip() and not content.lstrip().startswith("#")]
    if not indent or any(not content[0].isspace() for content in block):
        return None  # the line belongs to a later top-level key
    for content in reversed(block):
        if len(content) - len(content.lstrip()) == indent:
            return content.strip().split(":", 1)[0].strip().strip("'\"")
    return None


def _expected_lines(query: str, name: str) -> list[int]:
    expected = json.loads((KICS / query / "positive_expected_result.json").read_text(encoding="utf-8"))
    return sorted(entry["line"] for entry in expected if entry["filename"] == name)


def check_fixture(query: str, name: str, codes: list[str]) -> list[str]:
    """Ways composelint disagrees with KICS on this fixture (empty: it agrees)."""
    path = KICS / query / name
    mapped = [(f["code"], f["range"]["start"]["line"], f["workload"])
              for f in _report(path)["findings"] if f["code"] in codes and f["suppressed"] is None]
    if name.startswith("negative"):
        return [f"negative fixture, yet {code} reported at line {line} (service {workload})"
                for code, line, workload in mapped]
    problems = []
    text = path.read_text(encoding="utf-8")
    for line in _expected_lines(query, name):
        service = service_at(text, line)
        if not any(service is None or workload == service for _, _, workload in mapped):
            where = f"service `{service}`" if service else "the file"
            problems.append(f"KICS expects line {line}: no {'/'.join(codes)} in {where}; "
                            f"mapped findings: {mapped or 'none'}")
    return problems


@pytest.mark.parametrize(("query", "name"), _cases())
def test_kics_fixture(shared, query, name):
    codes = _load_map()[query]
    key = f"{query}/{name}"
    entry = _load_disagreements().get(key)
    problems = check_fixture(query, name, codes)
    if entry is None:
        assert not problems, f"{key} disagrees with KICS:\n  " + "\n  ".join(problems)
        return
    needs = entry.get("needs", [])
    if needs and set(needs) <= IMPLEMENTED:
        pytest.fail(f"{key} is listed as pending on {', '.join(needs)}, which is now implemented: "
                    + ("it agrees, remove its entry from kics_disagreements.json" if not problems else
                       "it still disagrees:\n  " + "\n  ".join(problems)))
    assert problems, f"{key} now agrees with KICS: remove its entry from kics_disagreements.json"


def test_disagreement_entries_are_valid(shared):
    mapping = _load_map()
    for key, entry in _load_disagreements().items():
        query, _, name = key.partition("/")
        assert query in mapping, f"{key}: unknown KICS query"
        assert (KICS / key).is_file(), f"{key}: no such fixture"
        assert len(entry.get("reason", "")) > 30, f"{key}: give a precise reason"
        assert set(entry) <= {"reason", "needs"}, f"{key}: unknown keys {set(entry) - {'reason', 'needs'}}"
        assert set(entry.get("needs", [])) <= set(mapping[query]), f"{key}: `needs` lists codes not mapped"


def test_map_matches_fixture_folders(shared):
    folders = {p.name for p in KICS.iterdir() if p.is_dir()}
    assert folders == set(_load_map()), "kics-map.json and conformance/kics/ disagree on the queries"
    for query in folders:
        names = {p.name for p in (KICS / query).glob("*.yaml")}
        assert all(_FIXTURE_NAME.match(n) for n in names), f"{query}: unexpected fixture names {names}"
        expected = {e["filename"] for e in json.loads(
            (KICS / query / "positive_expected_result.json").read_text(encoding="utf-8"))}
        positives = {n for n in names if n.startswith("positive")}
        # Every positive has at least one expected line (else it would pass vacuously) and vice versa.
        assert expected == positives, f"{query}: expected results {sorted(expected)} vs files {sorted(positives)}"


@pytest.mark.parametrize(("text", "line", "service"), [
    ("services:\n  web:\n    image: x\n    privileged: true\n", 4, "web"),
    ("services:\n  web:\n    image: x\n  'db':\n    image: y\n", 4, "db"),
    ("services:\n    a:\n        image: x\n\n    b:\n        ports:\n          - 1:1\n", 7, "b"),
    ("services:\n  a:\n    image: x\nvolumes:\n  v:\n    driver: local\n", 6, None),
    ("version: '3'\nservices:\n  a:\n    image: x\n", 1, None),
])
def test_service_at(text, line, service):
    assert service_at(text, line) == service
