"""The model as a picture: which interfaces of the host reach which workloads, which workloads
share the host's namespace, which networks they sit on, and where the findings are.

One neutral graph per project, drawn by `mermaid`, `dot` and `svg`/`html`.  Every text in it is
masked (values from variables are shown as `${NAME}`) and kept as plain text: each renderer
escapes it for its own syntax.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from composelint.masking import masker
from composelint.model import Project, Span, Workload
from composelint.records import field, record
from composelint.report.formats import PICTURE_FORMATS
from composelint.topology import attached_networks, binds_all_interfaces, can_publish, namespace
from composelint.types import Finding, Severity

if TYPE_CHECKING:
    from composelint.engine import Reported

COLLAPSE_ABOVE = 30  # workloads; a larger project hides the quiet ones behind one "N more" node
SEVERITY_COLOURS = {
    Severity.ERROR: "#cf222e",
    Severity.WARNING: "#bc4c00",
    Severity.INFO: "#0969da",
    Severity.STYLE: "#6e7781",
}
ALL_INTERFACES = "all interfaces (0.0.0.0, ::)"


@record(frozen=True)
class Mark:
    """A finding as the picture shows it, on the element it is about (None: the whole project)."""

    code: str
    severity: Severity
    message: str
    location: str  # path:line:column
    element: str | None


class _Marked:
    """An element the findings in `marks` are about."""

    marks: list[Mark]

    @property
    def severity(self) -> Severity | None:
        """The most severe finding's severity, None without findings."""
        return max((mark.severity for mark in self.marks), default=None)

    @property
    def codes(self) -> list[str]:
        """The codes of its findings, each once, sorted."""
        return sorted({mark.code for mark in self.marks})


@record
class Node(_Marked):
    id: str
    kind: str  # interface | workload | network | hostpath | more
    label: str
    details: list[str] = field(default_factory=list)  # lines under the label (image, origin, ...)
    location: str = ""  # where it is declared
    in_host: bool = False  # drawn inside the host: interfaces, host paths, host-namespace workloads
    marks: list[Mark] = field(default_factory=list)


@record
class Edge(_Marked):
    source: str
    target: str
    kind: str  # port | attach | shares | mount
    label: str
    marks: list[Mark] = field(default_factory=list)


@record
class Picture:
    title: str
    files: list[str]
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)  # every finding of the project, in report order

    def node(self, node_id: str) -> Node:
        return next(node for node in self.nodes if node.id == node_id)


def pictures(
    projects: Sequence[Project], findings: Iterable[Reported], show_all: bool = False
) -> list[Picture]:
    """One picture per project, each unsuppressed finding placed on the project whose files it
    is in.  Projects of more than COLLAPSE_ABOVE workloads show only the workloads with findings
    or published ports, unless `show_all`."""
    by_path: dict[str, list[Reported]] = defaultdict(list)
    for reported in findings:
        if reported.suppressed is None:
            by_path[reported.finding.span.path].append(reported)
    drawn = []
    for number, project in enumerate(projects, 1):
        paths = dict.fromkeys(source.path for source in project.sources)
        own = [finding for path in paths for finding in by_path.pop(path, [])]
        drawn.append(_Drawing(project, f"p{number}", own, show_all).picture())
    return drawn


def _location(span: Span) -> str:
    return f"{span.path}:{span.line}:{span.column}"


def _ports(start: int | None, end: int | None) -> str:
    if start is None:
        return "random"
    return str(start) if end in (None, start) else f"{start}-{end}"


class _Drawing:
    """Builds one project's picture: nodes and edges first, then each finding on its element."""

    def __init__(self, project: Project, prefix: str, findings: list[Reported], show_all: bool) -> None:
        self.project = project
        self.prefix = prefix
        self.mask = masker(project.variable_values)
        self.findings = findings
        self.show_all = show_all
        self.by_span: dict[Span, Node | Edge | _PendingMount] = {}  # spans findings point at -> element
        self.workload_ids: dict[str, str] = {}
        self.keyed_ids: dict[tuple[str, str], str] = {}  # (kind, network key or address) -> node id
        self.result = Picture(self.mask(project.name), [self.mask(source.path) for source in project.sources])

    def picture(self) -> Picture:
        shown = self._shown_workloads()
        for workload in shown:
            self._workload(workload)
        hidden = len(self.project.workloads) - len(shown)
        if hidden:
            self._add(Node(self._id("more"), "more", f"{hidden} more workloads", ["no findings, no ports"]))
        for workload in shown:
            self._links(workload)
        for reported in self.findings:
            self._place(reported)
        return self.result

    # --- elements -------------------------------------------------------------------------------

    def _id(self, local: str) -> str:
        return f"{self.prefix}_{local}"

    def _add(self, node: Node) -> Node:
        self.result.nodes.append(node)
        return node

    def _shown_workloads(self) -> list[Workload]:
        workloads = self.project.workloads
        if self.show_all or len(workloads) <= COLLAPSE_ABOVE:
            return list(workloads)
        marked = {reported.finding.workload for reported in self.findings}
        return [w for w in workloads if w.ports or w.name in marked]

    def _workload(self, workload: Workload) -> None:
        node_id = self._id(f"w{len(self.workload_ids) + 1}")
        self.workload_ids[workload.name] = node_id
        details = [str(workload.origin)]
        if workload.image is not None:
            details.insert(0, workload.image.value.written)
        ns = namespace(self.project, workload)
        if ns.is_host:
            details.append("host network" if len(ns.chain) == 1 else "host network via " + ns.chain[1])
        node = Node(
            node_id,
            "workload",
            self.mask(workload.name or "(unnamed)"),
            [self.mask(detail) for detail in details],
            self.mask(_location(workload.span)),
            in_host=ns.is_host,
        )
        self._add(node)
        self.by_span[workload.span] = node

    def _keyed(self, kind: str, key: str, node: Node) -> str:
        """The id of the node for (kind, key), adding `node` under a new id the first time (ids are
        numbered: keys are user text and ids must be safe in every format)."""
        if (kind, key) not in self.keyed_ids:
            node.id = self._id(f"{kind[0]}{sum(k == kind for k, _ in self.keyed_ids) + 1}")
            self.keyed_ids[kind, key] = node.id
            self._add(node)
        return self.keyed_ids[kind, key]

    def _network(self, key: str, label: str, details: list[str], span: Span | None) -> str:
        location = self.mask(_location(span)) if span else ""
        return self._keyed("network", key, Node("", "network", self.mask(label), details, location))

    def _interface(self, address: str) -> str:
        return self._keyed("interface", address, Node("", "interface", self.mask(address), in_host=True))

    def _links(self, workload: Workload) -> None:
        project, node_id = self.project, self.workload_ids[workload.name]
        ns = namespace(project, workload)
        if len(ns.chain) > 1 and ns.chain[1] in self.workload_ids:
            mode = workload.network_mode.value if workload.network_mode else ""
            self._edge(node_id, self.workload_ids[ns.chain[1]], "shares", mode, workload.network_mode)
        elif ns.kind == "bridge":
            default_bridge = self._network("\0bridge", "default bridge", ["docker0"], None)
            self._edge(node_id, default_bridge, "attach", "")
        elif ns.kind == "networks":
            for network in attached_networks(project, workload):
                details = [network.driver_name]
                details += [
                    name
                    for name, flag in (("internal", network.internal), ("external", network.external))
                    if flag is not None and flag.value
                ]
                target = self._network(network.key, network.key, details, network.span)
                self._edge(node_id, target, "attach", "")
        publishing = not ns.is_host and can_publish(project, workload)
        for port in workload.ports:
            if not publishing:
                continue
            if binds_all_interfaces(project, workload, port):
                address = ALL_INTERFACES
            else:
                address = port.host_ip or "network default (loopback)"
            label = (
                f"{_ports(port.host_start, port.host_end)}→"
                f"{_ports(port.container_start, port.container_end)}/{port.protocol}"
            )
            edge = self._edge(self._interface(address), node_id, "port", label, None)
            self.by_span[port.span] = edge
        for mount in workload.mounts:
            if mount.kind == "bind" and mount.source:
                self.by_span[mount.span] = _PendingMount(node_id, mount.source, mount.target or "")

    def _edge(self, source: str, target: str, kind: str, label: str, located: object = None) -> Edge:
        edge = Edge(source, target, kind, self.mask(label))
        self.result.edges.append(edge)
        span = getattr(located, "span", None)
        if isinstance(span, Span):
            self.by_span[span] = edge
        return edge

    # --- findings -------------------------------------------------------------------------------

    def _place(self, reported: Reported) -> None:
        finding = reported.finding
        element = self._element(finding)
        mark = Mark(
            reported.rule.code,
            reported.severity,
            self.mask(finding.message),
            self.mask(_location(finding.span)),
            element.id if isinstance(element, Node) else None,
        )
        if isinstance(element, Edge):
            element.marks.append(mark)
            workload_end = element.target if element.kind == "port" else element.source
            mark = Mark(mark.code, mark.severity, mark.message, mark.location, workload_end)
        elif isinstance(element, Node):
            element.marks.append(mark)
        self.result.marks.append(mark)

    def _element(self, finding: Finding) -> Node | Edge | None:
        """The element a finding is about: the port or mount it points at, else its network or
        workload."""
        element = self.by_span.get(finding.span)
        if isinstance(element, _PendingMount):
            element = self._mount(finding.span, element)
        if element is not None:
            return element
        if finding.field.startswith("networks."):
            network = self.keyed_ids.get(("network", finding.field.split(".", 2)[1]))
            if network is not None:
                return self.result.node(network)
        if finding.workload in self.workload_ids:
            return self.result.node(self.workload_ids[finding.workload])
        return None

    def _mount(self, span: Span, pending: _PendingMount) -> Edge:
        """A bind mount a finding is about: drawn as a host path the workload reaches into."""
        node_id = self._id(f"h{sum(node.kind == 'hostpath' for node in self.result.nodes) + 1}")
        self._add(Node(node_id, "hostpath", self.mask(pending.source), in_host=True))
        edge = Edge(pending.workload, node_id, "mount", self.mask(pending.target))
        self.result.edges.append(edge)
        self.by_span[span] = edge
        return edge


@record(frozen=True)
class _PendingMount:
    """A bind mount, drawn only when a finding is about it."""

    workload: str
    source: str
    target: str


def severity_counts(marks: Iterable[Mark]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)  # error first
    for mark in marks:
        counts[mark.severity] += 1
    return counts


def render_picture(
    output_format: str, projects: Sequence[Project], findings: Iterable[Reported], show_all: bool = False
) -> str:
    """The projects drawn in one of PICTURE_FORMATS, with their findings on them."""
    from importlib import import_module

    module = import_module(f"composelint.report.{PICTURE_FORMATS[output_format]}")
    return getattr(module, f"render_{output_format}")(pictures(projects, findings, show_all))
