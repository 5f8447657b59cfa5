"""`composelint model --output-format mermaid`: a Mermaid flowchart, as GitHub renders it in
Markdown.  The host (its interfaces, the workloads on its network, host paths mounted into
containers) is one box; workloads behind the bridge wall and their networks another."""

from __future__ import annotations

from composelint.report.picture import SEVERITY_COLOURS, Edge, Node, Picture
from composelint.types import Severity

_SHAPES = {
    "interface": ('(["', '"])'),
    "workload": ('["', '"]'),
    "network": ('{{"', '"}}'),
    "hostpath": ('[/"', '"/]'),
    "more": ('("', '")'),
}
_ARROWS = {"port": "-->", "attach": "---", "shares": "-.->", "mount": "==>"}


def text(value: str) -> str:
    """A label's text in Mermaid's quoted-label syntax: quotes, markup and line breaks as entities."""
    replaced = (
        value.replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("`", "#96;")
    )
    return "".join(c if c.isprintable() else f"#{ord(c)};" for c in replaced)


def _label(node: Node) -> str:
    lines = [f"<b>{text(node.label)}</b>" if node.kind == "workload" else text(node.label)]
    lines += [text(detail) for detail in node.details]
    if node.codes:
        lines.append(" ".join(node.codes))
    return "<br/>".join(lines)


def _node(node: Node) -> str:
    opening, closing = _SHAPES[node.kind]
    return f"{node.id}{opening}{_label(node)}{closing}"


def _edge(edge: Edge) -> str:
    arrow = _ARROWS[edge.kind]
    label = text(edge.label)
    if edge.marks:
        label = " ".join(filter(None, [label, *edge.codes]))
    return (
        f'{edge.source} {arrow}|"{label}"| {edge.target}' if label else f"{edge.source} {arrow} {edge.target}"
    )


def _project(picture: Picture, indent: str) -> list[str]:
    prefix = picture.nodes[0].id.split("_")[0] if picture.nodes else "p"
    lines = []
    host = [node for node in picture.nodes if node.in_host]
    walled = [node for node in picture.nodes if not node.in_host]
    if host:
        lines.append(f'{indent}subgraph {prefix}_host["host"]')
        lines += [f"{indent}  {_node(node)}" for node in host]
        lines.append(f"{indent}end")
    if walled:
        lines.append(f'{indent}subgraph {prefix}_wall["behind the bridge wall"]')
        lines += [f"{indent}  {_node(node)}" for node in walled]
        lines.append(f"{indent}end")
    return lines


def render_mermaid(pictures: list[Picture]) -> str:
    """One flowchart; with several projects, each is a subgraph named after it."""
    lines = ["flowchart LR"]
    for number, picture in enumerate(pictures, 1):
        lines.append(f"  %% {text(picture.title)}: {text(', '.join(picture.files))}")
        if len(pictures) == 1:
            lines += _project(picture, "  ")
            continue
        lines.append(f'  subgraph p{number}["{text(picture.title)}"]')
        lines += _project(picture, "    ")
        lines.append("  end")
    edges = [edge for picture in pictures for edge in picture.edges]
    nodes = [node for picture in pictures for node in picture.nodes]
    lines += [f"  {_edge(edge)}" for edge in edges]
    for severity in Severity:
        colour = SEVERITY_COLOURS[severity]
        lines.append(f"  classDef {severity} stroke:{colour},stroke-width:3px,color:{colour}")
        marked = [node.id for node in nodes if node.severity == severity]
        if marked:
            lines.append(f"  class {','.join(marked)} {severity}")
    for number, edge in enumerate(edges):
        if edge.severity is not None:
            lines.append(f"  linkStyle {number} stroke:{SEVERITY_COLOURS[edge.severity]},stroke-width:3px")
    return "\n".join(lines) + "\n"
