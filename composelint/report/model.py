"""`composelint model`: the merged network-config model as JSON, for people and tests.

Shows what will run: each workload's network namespace, the networks it is
on, the ports that reach the host and the addresses they bind, and where
each value was written.
"""

from __future__ import annotations

import json

from composelint.masking import mask_strings, masker
from composelint.model import Located, Network, PortBinding, Project, Span, Workload
from composelint.report.safety import encodable
from composelint.topology import attached_networks, binds_all_interfaces, can_publish, namespace


def _at(span: Span | None) -> dict | None:
    return None if span is None else {"path": span.path, "line": span.line, "column": span.column}


def _value(located: Located | None) -> dict | None:
    """A value and where it was written; a typed value (image, capability) shows its text."""
    if located is None:
        return None
    return {"value": getattr(located.value, "written", located.value), "at": _at(located.span)}


def _values(items: list[Located]) -> list[dict | None]:
    return [_value(item) for item in items]


def _range(start: int | None, end: int | None) -> str | None:
    if start is None:
        return None
    return str(start) if end in (None, start) else f"{start}-{end}"


def _port(project: Project, workload: Workload, port: PortBinding, published: bool) -> dict:
    if not published:
        binds = "nothing (not published)"
    elif port.host_ip is not None:
        binds = port.host_ip
    else:
        binds = (
            "all interfaces"
            if binds_all_interfaces(project, workload, port)
            else "network default (loopback)"
        )
    return {
        "spec": port.raw,
        "host_ip": port.host_ip,
        "host_ports": _range(port.host_start, port.host_end) or "random",
        "container_ports": _range(port.container_start, port.container_end),
        "protocol": port.protocol,
        "binds": binds,
        "from_variable": port.from_variable,
        "at": _at(port.span),
        "kept_beside": _at(port.kept_beside),
    }


def _workload(project: Project, workload: Workload) -> dict:
    ns = namespace(project, workload)
    published = not ns.is_host and can_publish(project, workload)
    return {
        "name": workload.name,
        "origin": workload.origin,
        "declared_at": _at(workload.span),
        "image": _value(workload.image),
        "network_namespace": {"kind": ns.kind, "chain": list(ns.chain), "because_of": _at(ns.evidence)},
        "networks": [n.key for n in attached_networks(project, workload)],
        "ports": [_port(project, workload, port, published) for port in workload.ports],
        "expose": _values(workload.expose),
        "privileged": _value(workload.privileged),
        "pid": _value(workload.pid),
        "ipc": _value(workload.ipc),
        "uts": _value(workload.uts),
        "userns": _value(workload.userns),
        "cgroupns": _value(workload.cgroupns),
        "cap_add": _values(workload.cap_add),
        "security_opt": _values(workload.security_opt),
        "devices": [{"value": d.value.path, "at": _at(d.span)} for d in workload.devices],
        "mounts": [
            {
                "kind": m.kind,
                "source": m.source,
                "target": m.target,
                "read_only": m.read_only,
                "propagation": m.propagation,
                "at": _at(m.span),
            }
            for m in workload.mounts
        ],
    }


def _network(network: Network) -> dict:
    return {
        "key": network.key,
        "name": network.effective_name,
        "driver": network.driver_name,
        "internal": bool(network.internal and network.internal.value),
        "external": bool(network.external and network.external.value),
        "implicit": network.implicit,
        "driver_opts": {k: v.value for k, v in network.driver_opts.items()},
        "at": _at(network.span),
    }


def render_model(projects: list[Project]) -> str:
    document = {
        "version": 1,
        "projects": [
            mask_strings(_project(project), masker(project.variable_values)) for project in projects
        ],
    }
    return encodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _project(project: Project) -> dict:
    return {
        "name": project.name,
        "files": [{"path": s.path, "role": s.role} for s in project.sources],
        "workloads": [_workload(project, w) for w in project.workloads],
        "networks": [_network(n) for n in project.networks.values()],
        "execs": [
            {
                "container": e.container,
                "privileged": _value(e.privileged),
                "user": _value(e.user),
                "at": _at(e.span),
            }
            for e in project.execs
        ],
        "builds": [{"network": _value(b.network), "at": _at(b.span)} for b in project.builds],
    }
