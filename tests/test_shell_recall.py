"""Shell recall (issue 12): each shape real scripts use to start containers, end to end.

Every script in fixtures/shell/recall/ marks each expected finding with
`# expect: CODE@COLUMN:severity` on its line; the findings of the codes it
expects must be exactly those, at that line:column and severity (a finding
on a possible value is one severity lower than the rule's own).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, expectations, findings, lint_json

RECALL = FIXTURES / "shell" / "recall"
BENCH = Path(__file__).resolve().parent.parent / "bench"
CASES = sorted(RECALL.glob("*.sh"))


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_shape(path: Path):
    expected = expectations(path)
    assert expected, f"{path} expects nothing"
    codes = sorted({code for code, *_ in expected})
    actual = findings("--select", ",".join(codes), str(path))
    assert sorted(actual) == sorted(expected)


def messages(path: Path, code: str) -> list[str]:
    report = lint_json("--select", code, str(path))
    return [f["message"] for f in report["findings"] if f["code"] == code]


def test_dynamic_values_are_named_as_written(tmp_path: Path):
    path = RECALL / "dynamic_links.sh"
    assert '`"$cid":db`' in messages(path, "CL508")[0]
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".composelint.yaml").write_text("rules: {CL102: {siblings: true}}\n")
    assert 'container `"$cid"`' in messages(copy, "CL102")[0]


def test_possible_invocations_say_why():
    engines = messages(RECALL / "engine_variables.sh", "CL301")
    assert engines[0].endswith(
        '(possibly: `"${CONTAINER_CLI}"` is taken to be docker: its value is only known at run time)'
    )
    assert engines[1].endswith(
        "(possibly: `$PODMAN_CMD` is taken to be podman: its value is only known at run time)"
    )
    assert len(engines) == 2  # `$TOOL run` is not guessed
    wrapped = messages(RECALL / "wrappers.sh", "CL101")
    assert wrapped == [
        w for w in wrapped if w.endswith("(possibly: `retry` is taken to run its arguments as a command)")
    ]
    assert len(wrapped) == 1


def test_functions_calling_themselves_finish_quickly_with_a_finding():
    from composelint.sources.docker_cli.words import UNKNOWN
    from composelint.sources.shell import parse_script

    chain = "".join(f"f{i}() {{ echo --rm $(f{i + 1}); }}\n" for i in range(200))
    text = "self() { echo $(self) $(self); }\n" + chain + "docker run $(self) $(f0) alpine\n"
    result = parse_script("t.sh", text)  # its time: python bench/bench_shell.py --pathological
    notes = [d.message for d in result.diagnostics if d.code == "CL007"]
    assert (
        "function `self` calls itself or nests more than 8 calls: what it prints there is not evaluated"
        in notes
    )
    texts = [w.text for w in result.invocations[0].words]
    assert texts[2] == UNKNOWN and "--rm" in texts and texts[-1] == "alpine"  # `$(self)` unknown


def test_branch_values_point_at_their_assignment_and_name_the_branch():
    report = lint_json("--select", "CL101,CL301,CL302", str(RECALL / "alternatives.sh"))
    assert [f["message"].rpartition(" (possibly: ")[2] for f in report["findings"]] == [
        "the value is assigned in the `then` branch of the `if` at line 3)",
        "the value is assigned in the `else` branch of the `if` at line 9)",
        "the value is assigned in a command after `&&` on line 11)",
        "the value is assigned in the `debug)` arm of the `case` at line 13)",
    ]
    report = lint_json("--select", "CL101,CL302,CL308", str(RECALL / "branches.sh"))
    assert [f["message"].rpartition(" (possibly: ")[2] for f in report["findings"]] == [
        "the value is assigned in the `elif` branch at line 5 of the `if` at line 3)",
        "the value is assigned in the body of the `while` loop at line 9)",
        "the value is assigned in a command after `||` on line 14)",
    ]
    first = lint_json("--select", "CL101", str(RECALL / "alternatives.sh"))["findings"][0]
    assert [(r["range"]["start"]["line"], r["range"]["start"]["column"]) for r in first["related"]][-1:] == [
        (4, 3)
    ]


def test_a_value_from_a_sourced_file_points_into_that_file():
    report = lint_json("--select", "CL101", str(RECALL / "sourcing.sh"))
    (finding,) = report["findings"]
    origin = finding["related"][-1]
    assert origin["path"].endswith("recall/lib/common.sh")
    assert (origin["range"]["start"]["line"], origin["range"]["start"]["column"]) == (3, 30)


def test_a_thousand_nested_sources_and_cycles_finish_quickly_with_a_finding(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    for index in range(1000):
        (tmp_path / f"s{index}.sh").write_text(f". ./s{index + 1}.sh\nOPT{index}=--privileged\n")
    (tmp_path / "s1000.sh").write_text(". ./s0.sh\n")  # and back: a cycle
    script = tmp_path / "main.sh"
    script.write_text("#!/bin/sh\n. ./s0.sh\ndocker run $OPT0 alpine:3.20\n")
    report = lint_json("--select", "CL010,CL301", str(script))  # time: bench_shell.py --pathological
    got = {
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"]) for f in report["findings"]
    }
    assert got == {("CL010", 2, 1), ("CL301", 3, 12)}
    (note,) = [f["message"] for f in report["findings"] if f["code"] == "CL010"]
    assert note == "sourced files nested more than 8 deep, or more than 64 for one script, are not read"


def test_nothing_outside_the_project_root_is_read(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    (tmp_path / "outside.sh").write_text("OPTS=--privileged\n")
    (project / "link.sh").symlink_to(tmp_path / "outside.sh")
    script = project / "main.sh"
    script.write_text("#!/bin/sh\n. ../outside.sh\n. ./link.sh\ndocker run $OPTS alpine:3.20\n")
    report = lint_json("--select", "CL301,CL008", str(script))
    assert [f["code"] for f in report["findings"]] == ["CL008"]  # OPTS stays unknown


def test_recall_against_the_grep_count_of_the_corpus(shared: Path):
    """bench/shell_recall.py on ../shared/corpus/runconfigs: at least 95% of the grep lines that
    start a container (comments, printed text, here-doc data and aliases excluded) are modelled."""
    spec = importlib.util.spec_from_file_location("shell_recall", BENCH / "shell_recall.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    corpus = shared / "corpus" / "runconfigs"
    rows = bench.measure(list(bench.kinds_of(corpus / "MANIFEST.tsv", {"shell"})), corpus)
    assert len(rows) == 527  # the corpus README's count of shell invocation lines
    starts = [r for r in rows if not r["excluded"] and r["sub"] in ("run", "create", "service create")]
    assert len(starts) > 200
    assert sum(r["modelled"] for r in starts) >= 0.95 * len(starts)
    included = [r for r in rows if not r["excluded"]]
    assert sum(r["extracted"] for r in included) >= 0.95 * len(included)


def test_values_from_a_sourced_env_file_are_never_shown(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".env").write_text("API_TOKEN=tok-7f3a9c2e51\nSOCKET=/var/run/docker.sock\n")
    script = tmp_path / "run.sh"
    script.write_text(
        '#!/bin/sh\n. ./.env\ndocker run -e API_TOKEN=$API_TOKEN -e "T=$API_TOKEN" -v $SOCKET:/s alpine:3.20\n'
    )
    report = lint_json("--select", "ALL", str(script))
    shown = json.dumps(report)
    assert "tok-7f3a9c2e51" not in shown
    (socket,) = [f for f in report["findings"] if f["code"] == "CL401"]
    assert "${SOCKET}" in socket["message"] and "/var/run/docker.sock" not in socket["message"]
