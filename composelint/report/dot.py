"""`composelint model --output-format dot`: the picture as Graphviz (`dot -Tsvg`), one cluster per
project with the host and the bridge wall inside it."""

from __future__ import annotations

from composelint.report.picture import SEVERITY_COLOURS, Edge, Node, Picture

_SHAPES = {
    "interface": "ellipse",
    "workload": "box",
    "network": "hexagon",
    "hostpath": "folder",
    "more": "note",
}
_STYLES = {"port": "solid", "attach": "dashed", "shares": "dotted", "mount": "bold"}


def quoted(*lines: str) -> str:
    """A DOT string of one or more lines: backslashes and quotes escaped, control characters as
    spaces."""
    cleaned = ("".join(c if c.isprintable() else " " for c in line) for line in lines)
    return '"' + "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in cleaned) + '"'


def _node(node: Node) -> str:
    lines = [node.label, *node.details]
    if node.codes:
        lines.append(" ".join(node.codes))
    attributes = {
        "label": quoted(*lines),
        "shape": _SHAPES[node.kind],
        "tooltip": quoted(node.location or node.label),
    }
    if node.severity is not None:
        attributes |= {"color": quoted(SEVERITY_COLOURS[node.severity]), "penwidth": "2.5"}
    return f"{quoted(node.id)} [{', '.join(f'{k}={v}' for k, v in attributes.items())}];"


def _edge(edge: Edge) -> str:
    label = " ".join(filter(None, [edge.label, *edge.codes]))
    attributes = {"label": quoted(label), "style": _STYLES[edge.kind]}
    if edge.kind == "attach":
        attributes["arrowhead"] = "none"
    if edge.severity is not None:
        attributes |= {"color": quoted(SEVERITY_COLOURS[edge.severity]), "penwidth": "2.5"}
    body = ", ".join(f"{k}={v}" for k, v in attributes.items())
    return f"{quoted(edge.source)} -> {quoted(edge.target)} [{body}];"


def render_dot(pictures: list[Picture]) -> str:
    lines = [
        "digraph composelint {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for number, picture in enumerate(pictures, 1):
        lines.append(f"  subgraph cluster_p{number} {{")
        lines.append(f"    label={quoted(picture.title)};")
        for zone, label, inside in (("host", "host", True), ("wall", "behind the bridge wall", False)):
            members = [node for node in picture.nodes if node.in_host is inside]
            if not members:
                continue
            lines.append(f"    subgraph cluster_p{number}_{zone} {{")
            lines.append(f"      label={quoted(label)}; style=rounded;")
            lines += [f"      {_node(node)}" for node in members]
            lines.append("    }")
        lines += [f"    {_edge(edge)}" for edge in picture.edges]
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
