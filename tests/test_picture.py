"""`composelint model --output-format mermaid|dot|svg|html` and the GitHub step summary: every
fixture project draws without error, the same way every time; DOT is parsed by pydot (and drawn
by Graphviz when it is installed); Mermaid passes a check of its documented flowchart grammar;
the HTML page is opened in headless Chromium when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.dom.minidom
from pathlib import Path

import pydot
import pytest

from tests.conftest import FIXTURES, run_cli

PICTURE_FORMATS = ("mermaid", "dot", "svg", "html")
# Compose projects, scripts and every other kind of run configuration.
PROJECTS = sorted(
    [
        *(FIXTURES / "projects").iterdir(),
        *(FIXTURES / "examples").iterdir(),
        *(FIXTURES / "embedded").iterdir(),
        *(FIXTURES / "quadlet").iterdir(),
        FIXTURES / "systemd",
        FIXTURES / "devcontainer",
        FIXTURES / "pictures" / "hostile-names",
    ]
)
HOST_MODE = FIXTURES / "examples" / "host-mode"
HOSTILE = FIXTURES / "pictures" / "hostile-names"


def model(*args: str) -> str:
    result = run_cli("model", *map(str, args))
    assert result.exit_code == 0, result.output
    return result.stdout


# --- Mermaid's flowchart grammar, as documented (https://mermaid.js.org/syntax/flowchart.html) ---
_ID = r"[A-Za-z][A-Za-z0-9_]*"
_QUOTED = r'"[^"]*"'
_SHAPES = [(r"\(\[", r"\]\)"), (r"\[", r"\]"), (r"\{\{", r"\}\}"), (r"\[/", r"/\]"), (r"\(", r"\)")]
_NODE = re.compile(rf"^({_ID})(?:{'|'.join(f'{o}{_QUOTED}{c}' for o, c in _SHAPES)})$")
_EDGE = re.compile(rf"^({_ID}) (-->|---|-\.->|==>)(?:\|{_QUOTED}\|)? ({_ID})$")
_SUBGRAPH = re.compile(rf"^subgraph ({_ID})\[{_QUOTED}\]$")
_CLASSDEF = re.compile(r"^classDef (error|warning|info|style) [a-z-]+:[#\w]+(,[a-z-]+:[#\w]+)*$")
_CLASS = re.compile(rf"^class {_ID}(,{_ID})* (error|warning|info|style)$")
_LINKSTYLE = re.compile(r"^linkStyle (\d+) stroke:#[0-9a-f]{6},stroke-width:\d+px$")


def check_mermaid(text: str) -> None:
    """Fail unless every line is a statement of the flowchart grammar, subgraphs are balanced,
    edges join declared nodes and linkStyle indexes exist."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "flowchart LR"
    nodes, edges, depth = set(), 0, 0
    for line in lines[1:]:
        if line.startswith("%%"):
            continue
        if match := _SUBGRAPH.match(line):
            depth += 1
        elif line == "end":
            depth -= 1
            assert depth >= 0, line
        elif match := _NODE.match(line):
            nodes.add(match.group(1))
        elif match := _EDGE.match(line):
            assert {match.group(1), match.group(3)} <= nodes, line
            edges += 1
        elif match := _LINKSTYLE.match(line):
            assert int(match.group(1)) < edges, line
        elif not (_CLASSDEF.match(line) or _CLASS.match(line)):
            raise AssertionError(f"not Mermaid flowchart syntax: {line!r}")
    assert depth == 0


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_every_fixture_project_draws_the_same_way_twice(project: Path) -> None:
    for output_format in PICTURE_FORMATS:
        first = model(project, "--output-format", output_format)
        assert first == model(project, "--output-format", output_format)
        if output_format == "mermaid":
            check_mermaid(first)
        elif output_format == "dot":
            assert pydot.graph_from_dot_data(first), first
        else:
            xml.dom.minidom.parseString(
                first.split("<main><h1>Network model</h1>", 1)[-1].split("</main>")[0]
            )


def test_host_mode_picture_shows_the_host_the_wall_and_the_findings() -> None:
    mermaid = model(HOST_MODE, "--output-format", "mermaid")
    host, wall = mermaid.split('subgraph p1_wall["behind the bridge wall"]')
    assert "<b>proxy</b>" in host and "<b>app</b>" in host  # host network, directly and via proxy
    assert "<b>db</b>" in wall
    assert '-->|"5432→5432/tcp CL210"|' in mermaid  # the published port, on all interfaces
    assert '-.->|"service:proxy CL102"|' in mermaid  # the shared namespace
    assert "class p1_w1 error" in mermaid
    svg = model(HOST_MODE, "--output-format", "svg")
    assert "fixtures/examples/host-mode/compose.yaml:16:9" in svg  # hover text: where it is written


def test_dot_is_drawn_by_graphviz_when_installed(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz); pydot parsed the output")
    source = tmp_path / "model.dot"
    source.write_text(model(HOSTILE, "--output-format", "dot"), encoding="utf-8")
    drawn = subprocess.run(["dot", "-Tsvg", str(source)], capture_output=True, text=True, check=True)
    assert "line break ::error::forged" in drawn.stdout


def test_user_text_is_never_syntax() -> None:
    mermaid = model(HOSTILE, "--output-format", "mermaid")
    check_mermaid(mermaid)
    assert "#lt;script#gt;" in mermaid and "<script>" not in mermaid
    dot = model(HOSTILE, "--output-format", "dot")
    (graph,) = pydot.graph_from_dot_data(dot)
    assert not [edge for edge in graph.get_edges() if "x" in (edge.get_source(), edge.get_destination())]
    html = model(HOSTILE, "--output-format", "html")
    assert html.count("<script>") == 1  # only the page's own filter script
    assert "&lt;script&gt;alert(1)" in html


def test_large_projects_collapse_quiet_workloads(tmp_path: Path) -> None:
    services = "".join(f"  quiet{n}:\n    image: busybox\n" for n in range(40))
    services += '  db:\n    image: postgres:17\n    ports: ["5432:5432"]\n'
    (tmp_path / "compose.yaml").write_text("services:\n" + services, encoding="utf-8")
    collapsed = model(tmp_path, "--output-format", "mermaid")
    assert "40 more workloads" in collapsed and "<b>db</b>" in collapsed and "quiet7" not in collapsed
    everything = model(tmp_path, "--output-format", "mermaid", "--all-workloads")
    assert "more workloads" not in everything and "<b>quiet39</b>" in everything


def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    Image = pytest.importorskip("PIL.Image")
    page = tmp_path / "model.html"
    page.write_text(model(HOST_MODE, "--output-format", "html"), encoding="utf-8")
    flags = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    for label in ("proxy", "db", "all interfaces (0.0.0.0, ::)", "behind the bridge wall", "CL210"):
        assert label in dom
    assert dom.count('class="mark sev-') == 4
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1400,600", page.as_uri()],
        capture_output=True,
        timeout=60,
        check=True,
    )
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # drawn, not a blank page


def test_summary_counts_links_and_draws_projects_with_findings(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = run_cli("check", str(HOST_MODE), "--summary", str(summary), "--output-format", "concise")
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### composelint\n\nFound 4 problems")
    assert (
        "| [CL101 host-network](https://composelint.readthedocs.io/en/latest/rules/host-network/) | 1 |"
        in text
    )
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    check_mermaid(block)


def test_github_format_appends_to_the_step_summary(tmp_path: Path, monkeypatch) -> None:
    step_summary = tmp_path / "step_summary.md"
    step_summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    run_cli("check", str(HOSTILE))
    text = step_summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### composelint")
    rows = [line for line in text.splitlines() if line.startswith("| error |")]
    assert rows and all("<script>" not in row and "\\<script\\>" in row for row in rows if "script" in row)
    assert not any(line.startswith("::") for line in text.splitlines())


def test_readme_picture_is_current() -> None:
    drawn = (FIXTURES.parent / "docs" / "images" / "model-host-mode.svg").read_text(encoding="utf-8")
    assert drawn == model(HOST_MODE, "--output-format", "svg"), "run scripts/update-readme-picture.sh"
