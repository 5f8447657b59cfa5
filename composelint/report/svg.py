"""`composelint model --output-format svg|html`: the picture drawn by us, with no renderer and no
network access when opened.

Layout, left to right: the host (its interfaces, the workloads that share its network namespace,
host paths mounted into containers), the bridge wall, then the workloads behind it and their
networks.  Every element carries a `<title>` (hover text) with where it is written and the
findings about it.  `html` wraps the drawing in a page with the list of findings, each linking
to its element, and a filter by severity.
"""

from __future__ import annotations

from html import escape

from composelint.records import record
from composelint.report.picture import SEVERITY_COLOURS, Edge, Node, Picture, severity_counts
from composelint.types import Severity

NODE_WIDTH, NODE_HEIGHT, ROW = 210, 54, 70
# Inside the host: its interfaces on top, then the workloads on its network, then host paths.
HOST_ORDER = ("interface", "host-workload", "hostpath")
COLUMN_X = {"host": 30, "workload": 420, "network": 720}
WALL_X = 290
WIDTH = 960
LABEL_CHARACTERS = 30


@record(frozen=True)
class _Box:
    x: int
    y: int

    @property
    def middle(self) -> float:
        return self.y + NODE_HEIGHT / 2


def _place(node: Node) -> tuple[str, int]:
    """The column of a node, and its order within the column."""
    if node.in_host:
        kind = "host-workload" if node.kind == "workload" else node.kind
        return "host", HOST_ORDER.index(kind)
    return ("workload", 0) if node.kind == "workload" else ("network", 0)


def _short(text: str, limit: int = LABEL_CHARACTERS) -> str:
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: str) -> str:
    """Text for XML: escaped, control characters (invalid in XML) replaced."""
    return escape("".join(c if c.isprintable() or c in "\n\t" else "\ufffd" for c in value))


def _layout(picture: Picture, top: int) -> tuple[dict[str, _Box], int]:
    """The box of each node, and the height used."""
    rows: dict[str, int] = {}
    boxes = {}
    for node in sorted(picture.nodes, key=_place):  # stable: nodes keep their order in a column
        column = _place(node)[0]
        row = rows.get(column, 0)
        rows[column] = row + 1
        boxes[node.id] = _Box(COLUMN_X[column], top + 40 + row * ROW)
    height = 40 + max(rows.values(), default=1) * ROW + 10
    return boxes, height


def _title(lines: list[str]) -> str:
    return f"<title>{_text(chr(10).join(line for line in lines if line))}</title>"


def _node(node: Node, box: _Box) -> str:
    severity = node.severity
    classes = f"node {node.kind}" + (f" sev-{severity}" if severity else "")
    stroke = SEVERITY_COLOURS[severity] if severity else "#57606a"
    hover = [node.label, *node.details, node.location] + [
        f"{mark.code} [{mark.severity}] {mark.message} ({mark.location})" for mark in node.marks
    ]
    codes = " ".join(node.codes)
    rounded = 24 if node.kind == "interface" else 6
    parts = [
        f'<g id="el-{node.id}" class="{classes}">',
        _title(hover),
        f'<rect x="{box.x}" y="{box.y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="{rounded}" '
        f'fill="#ffffff" stroke="{stroke}" stroke-width="{3 if severity else 1.2}"/>',
        f'<text x="{box.x + 10}" y="{box.y + 18}" class="label">{_text(_short(node.label))}</text>',
    ]
    if node.details:
        detail = _short(" · ".join(node.details), LABEL_CHARACTERS + 4)
        parts.append(f'<text x="{box.x + 10}" y="{box.y + 33}" class="detail">{_text(detail)}</text>')
    if codes:
        parts.append(
            f'<text x="{box.x + 10}" y="{box.y + 47}" class="codes" fill="{stroke}">{_text(_short(codes, 34))}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _edge(edge: Edge, source: _Box, target: _Box) -> str:
    if target.x > source.x:
        x1, x2 = source.x + NODE_WIDTH, target.x
    elif target.x < source.x:
        x1, x2 = source.x, target.x + NODE_WIDTH
    else:  # same column: a bulge on the right
        x1 = x2 = source.x + NODE_WIDTH
    y1, y2 = source.middle, target.middle
    bend = max(60, abs(x2 - x1) / 2)
    c1 = x1 + (bend if x2 >= x1 else -bend)
    c2 = x2 - (bend if x2 > x1 else -bend) if x2 != x1 else x2 + bend
    severity = edge.severity
    colour = SEVERITY_COLOURS[severity] if severity else "#8c959f"
    dash = {"attach": ' stroke-dasharray="5 4"', "shares": ' stroke-dasharray="2 3"'}.get(edge.kind, "")
    label = " ".join(filter(None, [edge.label, *edge.codes]))
    hover = [f"{edge.kind}: {label}"] + [
        f"{mark.code} {mark.message} ({mark.location})" for mark in edge.marks
    ]
    classes = f"edge {edge.kind}" + (f" sev-{severity}" if severity else "")
    parts = [
        f'<g class="{classes}">',
        _title(hover),
        f'<path d="M{x1},{y1} C{c1},{y1} {c2},{y2} {x2},{y2}" fill="none" stroke="{colour}" '
        f'stroke-width="{2.5 if severity else 1.4}"{dash} marker-end="url(#arrow)"/>',
    ]
    if label:
        lx, ly = (x1 + x2) / 2 + (bend / 2 if x1 == x2 else 0), (y1 + y2) / 2 - 4
        parts.append(
            f'<text x="{lx}" y="{ly}" class="edge-label" text-anchor="middle" fill="{colour}">{_text(_short(label, 40))}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _project(picture: Picture, top: int) -> tuple[str, int]:
    boxes, height = _layout(picture, top)
    counts = ", ".join(f"{n} {severity}" for severity, n in severity_counts(picture.marks).items() if n)
    heading = f"{picture.title}: {', '.join(picture.files)}" + (f" ({counts})" if counts else "")
    parts = [
        f'<text x="10" y="{top + 16}" class="project">{_text(_short(heading, 150))}</text>',
        f'<rect x="10" y="{top + 24}" width="{WALL_X - 20}" height="{height - 28}" class="zone host-zone"/>',
        f'<text x="20" y="{top + 38}" class="zone-label">host</text>',
        f'<line x1="{WALL_X}" y1="{top + 24}" x2="{WALL_X}" y2="{top + height - 4}" class="wall"/>',
        f'<text x="{WALL_X + 10}" y="{top + 38}" class="zone-label">behind the bridge wall</text>',
    ]
    parts += [_edge(edge, boxes[edge.source], boxes[edge.target]) for edge in picture.edges]
    parts += [_node(node, boxes[node.id]) for node in picture.nodes]
    return "".join(parts), height + 20


_STYLE = """
.label{font:600 12px sans-serif;fill:#1f2328}.detail{font:11px sans-serif;fill:#57606a}
.codes{font:600 10px monospace}.edge-label{font:10px monospace;paint-order:stroke;stroke:#fff;stroke-width:3px}
.project{font:600 13px sans-serif;fill:#1f2328}.zone{fill:#f6f8fa;stroke:#d0d7de;rx:8}
.zone-label{font:italic 11px sans-serif;fill:#57606a}.wall{stroke:#6e7781;stroke-width:4;stroke-dasharray:10 4}
.node:target rect{stroke-width:5}
"""


def render_svg(pictures: list[Picture]) -> str:
    """One SVG document, the projects one below the other."""
    blocks, top = [], 0
    for picture in pictures:
        block, height = _project(picture, top)
        blocks.append(block)
        top += height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{max(top, 40)}" '
        f'viewBox="0 0 {WIDTH} {max(top, 40)}" role="img" aria-label="composelint network model">'
        f"<style>{_STYLE}</style>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker></defs>'
        + "".join(blocks)
        + ("" if pictures else '<text x="10" y="24" class="project">no project</text>')
        + "</svg>\n"
    )


_PAGE_STYLE = """
body{margin:0;font:13px sans-serif;color:#1f2328;display:flex;min-height:100vh}
main{flex:1;overflow:auto;padding:12px}aside{width:380px;border-left:1px solid #d0d7de;padding:12px;overflow:auto}
h1{font-size:16px;margin:0 0 8px}ul{list-style:none;padding:0;margin:0}li{margin:0 0 8px;line-height:1.35}
li a{font-weight:600;text-decoration:none}.loc{color:#57606a;font-family:monospace;font-size:11px}
.sev{display:inline-block;min-width:54px;font-size:11px;font-weight:600}
label{margin-right:10px}
""" + "".join(
    f".sev-{s} .sev, li.sev-{s} a{{color:{c}}} body.hide-{s} li.sev-{s}{{display:none}}"
    for s, c in SEVERITY_COLOURS.items()
)
_FILTER_SCRIPT = (
    "document.querySelectorAll('input[data-severity]').forEach(function(box){"
    "box.addEventListener('change',function(){"
    "document.body.classList.toggle('hide-'+box.dataset.severity,!box.checked);});});"
)


def render_html(pictures: list[Picture]) -> str:
    """A self-contained page: the drawing, the findings beside it, a filter by severity."""
    marks = [(mark, picture) for picture in pictures for mark in picture.marks]
    counts = severity_counts(mark for mark, _ in marks)
    filters = "".join(
        f'<label><input type="checkbox" data-severity="{severity}" checked> {severity} ({counts[severity]})</label>'
        for severity in Severity
    )
    items = []
    for mark, _picture in marks:
        anchor = f'<a href="#el-{mark.element}">{mark.code}</a>' if mark.element else f"<b>{mark.code}</b>"
        items.append(
            f'<li class="mark sev-{mark.severity}"><span class="sev">{mark.severity}</span>{anchor} '
            f'{_text(mark.message)}<br><span class="loc">{_text(mark.location)}</span></li>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        "<title>composelint: network model</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        f"<main><h1>Network model</h1>{render_svg(pictures)}</main>"
        f'<aside><h1>Findings ({len(marks)})</h1><p id="filters">{filters}</p>'
        f'<ul id="findings">{"".join(items) or "<li>No findings.</li>"}</ul></aside>'
        f"<script>{_FILTER_SCRIPT}</script></body></html>\n"
    )
