"""Conformance with KICS's Docker Compose query fixtures (../shared/conformance/kics).

For every KICS query, mapped to composelint codes by ../shared/conformance/kics-map.json
(all of them implemented), every fixture is linted with `--select ALL`:

* `positive*.yaml`: for each line KICS expects (positive_expected_result.json), a
  finding of one of the mapped codes must be reported in the same service as that
  line (the service is found by an indentation scan of the fixture, the finding's
  service is its JSON `workload`).  An expected line outside `services:` accepts a
  mapped finding anywhere in the file.
* `negative*.yaml`: no finding of a mapped code.

Fixtures where composelint deliberately disagrees are listed, with the reason, in
tests/kics_disagreements.json; they must still disagree, every other fixture must agree.

The agreement figures (a positive counts once per line KICS expects, a negative once
per fixture) are asserted, and the README's comparison section must state them:

* coverage of KICS positives and agreement on KICS negatives, raw: KICS taken as
  ground truth, every deliberate disagreement counted against composelint.  These
  may not regress (`RAW_*_FLOOR`); raw coverage stays below 95% because 18 positive
  lines encode KICS checks that do not match Docker (container instead of host
  ports, `/etc/*` and `/var/lib/*` paths, slave propagation, ...);
* the same over the fixtures where KICS describes what Docker does, i.e. without
  the deliberate disagreements: at least 95% each (`TARGET`).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from conftest import SHARED, lint_json

from composelint.rules import all_rules

KICS = SHARED / "conformance" / "kics"
MAP_FILE = SHARED / "conformance" / "kics-map.json"
DISAGREEMENTS_FILE = Path(__file__).with_name("kics_disagreements.json")
IMPLEMENTED = frozenset(all_rules())
README = Path(__file__).resolve().parent.parent / "README.md"
TARGET = 0.95
# Raw figures may not fall below these (non-regression): 53 of 71 positives, 47 of 47
# negatives when this was written; every missed positive is a listed disagreement.
RAW_POSITIVE_FLOOR = 53 / 71
RAW_NEGATIVE_FLOOR = 1.0
_FIXTURE_NAME = re.compile(r"^(positive|negative)\d*\.yaml$")


def _load_map() -> dict[str, list[str]]:
    mapping = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return {query: codes for query, codes in mapping.items() if not query.startswith("_")}


def _load_disagreements() -> dict[str, dict]:
    return json.loads(DISAGREEMENTS_FILE.read_text(encoding="utf-8"))["fixtures"]


def _cases() -> list:
    if not MAP_FILE.is_file():
        return [
            pytest.param(
                None,
                None,
                marks=pytest.mark.skip(reason=f"../shared is not present next to the checkout ({SHARED})"),
                id="no-shared",
            )
        ]
    return [
        pytest.param(query, fixture.name, id=f"{query}/{fixture.name}")
        for query in sorted(_load_map())
        for fixture in sorted((KICS / query).glob("*.yaml"))
    ]


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
    for content in lines[start + 1 :]:
        if content.strip() and not content.lstrip().startswith("#"):
            indent = len(content) - len(content.lstrip())
            break
    block = [
        content
        for content in lines[start + 1 : line]
        if content.strip() and not content.lstrip().startswith("#")
    ]
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
    mapped = [
        (f["code"], f["range"]["start"]["line"], f["workload"])
        for f in _report(path)["findings"]
        if f["code"] in codes and f["suppressed"] is None
    ]
    if name.startswith("negative"):
        return [
            f"negative fixture, yet {code} reported at line {line} (service {workload})"
            for code, line, workload in mapped
        ]
    problems = []
    text = path.read_text(encoding="utf-8")
    for line in _expected_lines(query, name):
        service = service_at(text, line)
        if not any(service is None or workload == service for _, _, workload in mapped):
            where = f"service `{service}`" if service else "the file"
            problems.append(
                f"KICS expects line {line}: no {'/'.join(codes)} in {where}; "
                f"mapped findings: {mapped or 'none'}"
            )
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
    assert problems, f"{key} now agrees with KICS: remove its entry from kics_disagreements.json"


def test_every_mapped_code_is_implemented(shared):
    missing = {
        query: sorted(set(codes) - IMPLEMENTED)
        for query, codes in _load_map().items()
        if set(codes) - IMPLEMENTED
    }
    assert not missing, f"KICS queries mapped to codes that do not exist: {missing}"


def test_disagreement_entries_are_valid(shared):
    mapping = _load_map()
    for key, entry in _load_disagreements().items():
        query, _, _name = key.partition("/")
        assert query in mapping, f"{key}: unknown KICS query"
        assert (KICS / key).is_file(), f"{key}: no such fixture"
        assert len(entry.get("reason", "")) > 30, f"{key}: give a precise reason"
        assert set(entry) == {"reason"}, f"{key}: unknown keys {set(entry) - {'reason'}}"


def conformance() -> dict[str, int]:
    """Counts behind the agreement figures (positives per expected line, negatives per fixture)."""
    listed = _load_disagreements()
    counts = dict.fromkeys(
        ("positives", "covered", "positives_disputed", "negatives", "agreed", "negatives_disputed"), 0
    )
    for query, codes in sorted(_load_map().items()):
        for fixture in sorted((KICS / query).glob("*.yaml")):
            problems = check_fixture(query, fixture.name, codes)
            disputed = f"{query}/{fixture.name}" in listed
            if fixture.name.startswith("negative"):
                counts["negatives"] += 1
                counts["agreed"] += not problems
                counts["negatives_disputed"] += disputed
            else:
                lines = _expected_lines(query, fixture.name)
                counts["positives"] += len(lines)
                counts["covered"] += len(lines) - len(problems)
                counts["positives_disputed"] += len(lines) if disputed else 0
    return counts


def figures(counts: dict[str, int]) -> dict[str, float]:
    return {
        "raw_coverage": counts["covered"] / counts["positives"],
        "raw_agreement": counts["agreed"] / counts["negatives"],
        "coverage": counts["covered"] / (counts["positives"] - counts["positives_disputed"]),
        "agreement": counts["agreed"] / (counts["negatives"] - counts["negatives_disputed"]),
    }


def test_agreement_figures(shared):
    counts = conformance()
    result = figures(counts)
    summary = (
        f"positives covered {counts['covered']}/{counts['positives']} ({result['raw_coverage']:.1%}), "
        f"negatives agreed {counts['agreed']}/{counts['negatives']} ({result['raw_agreement']:.1%}); "
        f"deliberate disagreements: {counts['positives_disputed']} positive lines, "
        f"{counts['negatives_disputed']} negatives"
    )
    assert result["coverage"] >= TARGET, summary
    assert result["agreement"] >= TARGET, summary
    assert result["raw_coverage"] >= RAW_POSITIVE_FLOOR, summary
    assert result["raw_agreement"] >= RAW_NEGATIVE_FLOOR, summary


def test_readme_states_the_figures(shared):
    counts = conformance()
    result = figures(counts)
    section = README.read_text(encoding="utf-8").split("## Comparison with KICS and compose-lint", 1)[1]
    section = section.split("\n## ", 1)[0]
    for text in (
        f"{counts['covered']} of {counts['positives']}",
        f"{result['raw_coverage']:.1%}",
        f"{counts['agreed']} of {counts['negatives']}",
        f"{result['raw_agreement']:.1%}",
        f"{len(_load_disagreements())} fixtures",
    ):
        assert text in section, f"README comparison section should state `{text}`"


def test_map_matches_fixture_folders(shared):
    folders = {p.name for p in KICS.iterdir() if p.is_dir()}
    assert folders == set(_load_map()), "kics-map.json and conformance/kics/ disagree on the queries"
    for query in folders:
        names = {p.name for p in (KICS / query).glob("*.yaml")}
        assert all(_FIXTURE_NAME.match(n) for n in names), f"{query}: unexpected fixture names {names}"
        expected = {
            e["filename"]
            for e in json.loads((KICS / query / "positive_expected_result.json").read_text(encoding="utf-8"))
        }
        positives = {n for n in names if n.startswith("positive")}
        # Every positive has at least one expected line (else it would pass vacuously) and vice versa.
        assert expected == positives, (
            f"{query}: expected results {sorted(expected)} vs files {sorted(positives)}"
        )


@pytest.mark.parametrize(
    ("text", "line", "service"),
    [
        ("services:\n  web:\n    image: x\n    privileged: true\n", 4, "web"),
        ("services:\n  web:\n    image: x\n  'db':\n    image: y\n", 4, "db"),
        ("services:\n    a:\n        image: x\n\n    b:\n        ports:\n          - 1:1\n", 7, "b"),
        ("services:\n  a:\n    image: x\nvolumes:\n  v:\n    driver: local\n", 6, None),
        ("version: '3'\nservices:\n  a:\n    image: x\n", 1, None),
    ],
)
def test_service_at(text, line, service):
    assert service_at(text, line) == service
