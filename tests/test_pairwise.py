"""Pairwise questions over a project's workloads (which ports collide, who shares a network) answered
without comparing every pair: counted comparisons stay near linear where pairs would be millions."""

from __future__ import annotations

from conftest import findings, lint_json
from hypothesis import given
from hypothesis import strategies as st

from composelint import topology
from composelint.intervals import IntervalIndex, overlapping, ranks
from composelint.rules import ports

intervals = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6), st.sampled_from("abc")), max_size=40)


@given(intervals, st.integers(0, 30), st.integers(0, 6), st.sampled_from("abc"), st.integers(0, 40))
def test_interval_index_finds_the_earliest_overlapping_item_that_passes(added, low, length, skipped, beside):
    """Same answer as a scan in order of addition, when a query skips every item of one key and one
    more item (as CL206 skips its own name and the entry Compose keeps beside it)."""
    entries = [(start, start + extra, key) for start, extra, key in added]
    index: IntervalIndex[int] = IntervalIndex(
        ranks([low, low + length, *(e for s, t, _ in entries for e in (s, t))])
    )
    for order, (start, end, key) in enumerate(entries):
        index.add(start, end, order, order, key)

    def passes(order: int) -> bool:
        return entries[order][2] != skipped and order != beside

    expected = next(
        (o for o, (s, e, _) in enumerate(entries) if s <= low + length and e >= low and passes(o)), None
    )
    found = index.first(low, low + length, passes)
    assert (found[1] if found else None) == expected


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=40))
def test_overlapping_tells_the_intervals_another_one_overlaps(added):
    """Same answer as comparing every pair: CL206 indexes only the bindings that may clash."""
    entries = [(start, start + extra) for start, extra in added]
    expected = [
        any(other != index and s <= high and low <= e for other, (s, e) in enumerate(entries))
        for index, (low, high) in enumerate(entries)
    ]
    assert overlapping(entries) == expected


def test_duplicate_host_port_compares_few_pairs(monkeypatch):
    """Row 17 of the hostile table: thousands of identical entries and full-range entries."""
    calls = []
    for name in ("_from_another_workload", "_another_entry"):
        original = getattr(ports, name)
        monkeypatch.setattr(ports, name, lambda *args, original=original: calls.append(1) or original(*args))
    web = "".join('      - "1:1"\n' for _ in range(2_000))
    wide = "".join('      - "1-65535:1-65535"\n' for _ in range(50))
    text = (
        f"services:\n  web:\n    image: nginx\n    ports:\n{web}  api:\n    image: nginx\n    ports:\n{wide}"
    )
    report = lint_json("--select", "CL206", "--stdin-filename", "compose.yaml", "-", input=text)
    clashes = [
        (f["range"]["start"]["line"], f["related"][0]["range"]["start"]["line"]) for f in report["findings"]
    ]
    # the same entry of one service is not a clash; each wide range takes port 1 of web's first entry
    assert clashes == [(2_008 + i, 5) for i in range(50)]
    assert all(" 1/tcp" in f["message"] for f in report["findings"])
    assert len(calls) < 20 * 2_050  # comparing pairs: over two million


def test_peers_and_network_members_are_looked_up_once_per_workload(monkeypatch):
    """CL203's peer check and the members of a network: every namespace is worked out once."""
    computed = []  # each step of a namespace's chain asks for host network evidence once
    original = topology.host_network_evidence
    monkeypatch.setattr(
        topology, "host_network_evidence", lambda *args: computed.append(1) or original(*args)
    )
    services = "".join(
        f"  s{i}:\n    image: redis:7\n    networks: [{'shared' if i % 2 else f'alone{i}'}]\n"
        for i in range(400)
    )
    networks = "".join(f"  alone{i}: {{}}\n" for i in range(0, 400, 2))
    text = f"services:\n{services}networks:\n  shared: {{}}\n{networks}"
    found = findings("--select", "CL203,CL504", "--stdin-filename", "compose.yaml", "-", input=text)
    assert sorted({code for code, *_ in found}) == ["CL203", "CL504"]
    assert sum(code == "CL203" for code, *_ in found) == 200  # each alone on its network
    assert len(computed) <= 400


def test_fixes_split_a_file_once(monkeypatch):
    """A fix per port (CL202's loopback binding) reads the file's lines once, not once per port."""
    from composelint.rules import edits

    split = []
    original = edits.SourceLines.__init__

    def counted(self, path, text):
        split.append(path)
        original(self, path, text)

    monkeypatch.setattr(edits.SourceLines, "__init__", counted)
    ports_written = "".join(f'      - "{8000 + i}:80"\n' for i in range(500))
    text = f"services:\n  web:\n    image: nginx\n    ports:\n{ports_written}"
    report = lint_json("--select", "CL202", "--stdin-filename", "compose.yaml", "-", input=text)
    assert len(report["findings"]) == 500 and all(f["fix"] for f in report["findings"])
    assert len(split) <= 2


def test_fixes_of_one_service_find_its_block_once(monkeypatch):
    """Every fix of a service checks that its edits stay in the service's block: the block's end is
    looked up once per service, not once per port (a scan of the whole block each time)."""
    from composelint.rules import edits

    scans = []
    original = edits.SourceLines._block_end
    monkeypatch.setattr(
        edits.SourceLines, "_block_end", lambda self, span: scans.append(1) or original(self, span)
    )
    ports_written = "".join(f'      - "{8000 + i}:80"\n' for i in range(300))
    text = f"services:\n  web:\n    image: nginx\n    ports:\n{ports_written}"
    report = lint_json("--select", "CL202", "--stdin-filename", "compose.yaml", "-", input=text)
    assert len(report["findings"]) == 300 and all(f["fix"] for f in report["findings"])
    assert len(scans) <= 2
