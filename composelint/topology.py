"""Network reasoning over the model, shared by the rules and the model report:
which namespace a workload ends up in, which networks it sits on, and which
addresses its published ports bind.

Reads the model only.
"""

from __future__ import annotations

import ipaddress
import weakref
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from types import MappingProxyType
from typing import TypeVar

from composelint.model import Network, PortBinding, Project, Span, Workload
from composelint.records import record

BINDING_OPTION = "com.docker.network.bridge.host_binding_ipv4"

# The settings (composelint/settings.py) the functions below read, for the `reads=` of the
# rules that call them: which namespace (`namespace`, `on_default_bridge`), whether ports
# are published (`can_publish`), on which addresses (`binds_all_interfaces`).
NAMESPACE_READS = ("network_mode", "networks", "network.driver", "network.external", "network.name")
PUBLISH_READS = (*NAMESPACE_READS, "network.internal")
BINDING_READS = (*PUBLISH_READS, "network.driver_opts")
NON_PUBLISHING_DRIVERS = ("macvlan", "ipvlan")

# Default listening ports of well-known server images (official images unless
# a namespace is given).  Used to suggest port mappings and spot mismatches.
KNOWN_IMAGE_PORTS: dict[str, tuple[int, ...]] = {
    "nginx": (80,),
    "httpd": (80,),
    "caddy": (80, 443),
    "traefik": (80,),
    "haproxy": (80,),
    "postgres": (5432,),
    "mysql": (3306,),
    "mariadb": (3306,),
    "redis": (6379,),
    "mongo": (27017,),
    "elasticsearch": (9200, 9300),
    "rabbitmq": (5672, 15672),  # 15672: the management UI of the `-management` tags
    "memcached": (11211,),
    "grafana": (3000,),
    "grafana/grafana": (3000,),
    "prometheus": (9090,),
    "prom/prometheus": (9090,),
    "registry": (5000,),
    "minio/minio": (9000,),
    "jenkins": (8080,),
    "jenkins/jenkins": (8080,),
    "tomcat": (8080,),
    "kibana": (5601,),
    "couchdb": (5984,),
    "influxdb": (8086,),
    "consul": (8500,),
    "hashicorp/consul": (8500,),
    "vault": (8200,),
    "hashicorp/vault": (8200,),
    "nats": (4222,),
    "zookeeper": (2181,),
    "wordpress": (80,),
    "ghost": (2368,),
    "adminer": (8080,),
    "phpmyadmin": (80,),
    "nextcloud": (80,),
    "eclipse-mosquitto": (1883,),
    "sonarqube": (9000,),
    "neo4j": (7474, 7687),
    "cassandra": (7000, 7001, 7199, 9042, 9160),  # gossip, its TLS, JMX, CQL, Thrift (the image's EXPOSE)
}
DATA_SERVICE_IMAGES = (
    "postgres",
    "mysql",
    "mariadb",
    "redis",
    "mongo",
    "elasticsearch",
    "memcached",
    "couchdb",
    "influxdb",
    "cassandra",
    "neo4j",
    "rabbitmq",
)


def known_ports(
    workload: Workload, known_images: Mapping[str, Sequence[int]] = MappingProxyType({})
) -> tuple[int, ...]:
    """The default ports of the workload's image, if it is a well-known server.

    `known_images` (repository -> ports, the `known-images` option) extends the
    built-in table and wins over it."""
    if workload.image is None:
        return ()
    repository = workload.image.value.repository
    return tuple(known_images.get(repository) or KNOWN_IMAGE_PORTS.get(repository, ()))


@record(frozen=True, slots=True)
class Namespace:
    """Where a workload's network namespace comes from, following `service:`/`container:`."""

    chain: tuple[str, ...]  # workload names, first is the workload itself
    kind: str  # host | none | bridge | networks | external-container | unknown-service | cycle
    evidence: Span | None  # what put the last workload of the chain there

    @property
    def is_host(self) -> bool:
        return self.kind == "host"


def host_network_evidence(project: Project, workload: Workload) -> Span | None:
    """The span that puts `workload` itself on the host network, if any."""
    if workload.network_mode is not None:
        return workload.network_mode.span if workload.network_mode.value == "host" else None
    for attachment in workload.networks:
        network = project.networks.get(attachment.name)
        if network is not None and is_host_network(network):
            return attachment.span
    return None


def is_external(network: Network) -> bool:
    """Created outside the project: its real driver and options are not visible here."""
    return bool(network.external and network.external.value)


def is_host_network(network: Network) -> bool:
    if is_external(network):  # looked up by name; a declared driver has no effect
        return network.effective_name == "host"
    return network.driver_name == "host"


def shared_target(workload: Workload) -> tuple[str, str] | None:
    """(`service`|`container`, name) when the workload joins another's namespace."""
    if workload.network_mode is None:
        return None
    prefix, _, target = workload.network_mode.value.partition(":")
    if prefix in ("service", "container") and target:
        return prefix, target
    return None


def on_default_bridge(workload: Workload) -> bool:
    """A command-line container that names no network: the engine's default bridge."""
    return workload.network_mode is None and not workload.networks and workload.origin.joins_default_bridge


class _Lookups:
    """What rules ask again and again about one finished project, computed once: without it the
    pairwise questions (who joins whose namespace, who shares a network) were quadratic."""

    def __init__(self, project: Project) -> None:
        self.by_name: dict[str, Workload] = {}
        for workload in project.workloads:
            self.by_name.setdefault(workload.name, workload)  # the first of a name, as Project.workload
        # function -> id(workload) -> (workload, answer): what `_per_workload` functions answered
        self.answers: dict[Callable, dict[int, tuple[Workload, object]]] = {}
        self._members: dict[int, list[Workload]] | None = None
        self._joined: set[str] | None = None
        self._kinds: Counter[str] | None = None

    def members(self, project: Project) -> dict[int, list[Workload]]:
        if self._members is None:
            self._members = {}
            for workload in project.workloads:
                for network in {id(n): n for n in attached_networks(project, workload)}.values():
                    self._members.setdefault(id(network), []).append(workload)
        return self._members

    def joined(self, project: Project) -> set[str]:
        if self._joined is None:
            chains = (namespace(project, w).chain for w in project.workloads)
            self._joined = {chain[1] for chain in chains if len(chain) > 1}
        return self._joined

    def kinds(self, project: Project) -> Counter[str]:
        if self._kinds is None:
            self._kinds = Counter(namespace(project, w).kind for w in project.workloads)
        return self._kinds


_LOOKUPS: dict[int, _Lookups] = {}


def _lookups(project: Project) -> _Lookups:
    """The project's lookups; rules and reports run after the model is built, so they stay valid
    while the project lives (they go with it: an id is not reused before the finalizer runs)."""
    found = _LOOKUPS.get(id(project))
    if found is None:
        found = _LOOKUPS[id(project)] = _Lookups(project)
        weakref.finalize(project, _LOOKUPS.pop, id(project), None)
    return found


def workload_named(project: Project, name: str) -> Workload | None:
    """The project's first workload of that name."""
    return _lookups(project).by_name.get(name)


def network_members(project: Project, network: Network) -> list[Workload]:
    """The workloads whose namespace is attached to the network, in the project's order."""
    return _lookups(project).members(project).get(id(network), [])


def joined_by_another(project: Project, workload: Workload) -> bool:
    """Another workload joins this one's namespace (`network_mode: service:NAME`)."""
    return workload.name in _lookups(project).joined(project)


def namespace_kinds(project: Project) -> Counter[str]:
    """How many workloads' namespaces are of each kind (`bridge`, `host`, ...)."""
    return _lookups(project).kinds(project)


Answer = TypeVar("Answer")


def _per_workload(question: Callable[[Project, Workload], Answer]) -> Callable[[Project, Workload], Answer]:
    """`question` about a workload of a finished project, worked out once per workload: the rules
    ask each one again and again (a 33,000-container script: hundreds of thousands of times)."""
    # Each answer is kept with its workload: an id is only reused once the workload is freed.

    @wraps(question)
    def answered(project: Project, workload: Workload) -> Answer:
        lookups = _LOOKUPS.get(id(project)) or _lookups(project)
        answers = lookups.answers.get(question)
        if answers is None:
            answers = lookups.answers[question] = {}
        known = answers.get(id(workload))
        if known is not None and known[0] is workload:
            return known[1]  # type: ignore[return-value]
        found = question(project, workload)
        answers[id(workload)] = (workload, found)
        return found

    return answered


@_per_workload
def namespace(project: Project, workload: Workload) -> Namespace:
    chain = [workload.name]
    current = workload
    while True:
        evidence = host_network_evidence(project, current)
        if evidence is not None:
            return Namespace(tuple(chain), "host", evidence)
        target = shared_target(current)
        if target is None:
            mode = current.network_mode.value if current.network_mode else ""
            kind = {"none": "none", "bridge": "bridge", "default": "bridge"}.get(mode, "networks")
            if on_default_bridge(current):
                kind = "bridge"
            return Namespace(tuple(chain), kind, current.network_mode.span if current.network_mode else None)
        prefix, name = target
        joined = workload_named(project, name)
        evidence = current.network_mode.span if current.network_mode else None  # set: it names `target`
        if joined is None:
            kind = "unknown-service" if prefix == "service" else "external-container"
            return Namespace(tuple(chain) + (name,), kind, evidence)
        if name in chain:
            return Namespace(tuple(chain) + (name,), "cycle", evidence)
        chain.append(name)
        current = joined


@_per_workload
def attached_networks(project: Project, workload: Workload) -> list[Network]:
    """The declared networks the workload's namespace is attached to."""
    ns = namespace(project, workload)
    if ns.kind != "networks":
        return []
    owner = workload_named(project, ns.chain[-1]) or workload
    return [project.networks[a.name] for a in owner.networks if a.name in project.networks]


def on_project_bridge(project: Project, workload: Workload) -> bool:
    """The namespace is only on bridge networks whose members the project fully knows."""
    if namespace(project, workload).kind == "bridge":
        return True
    networks = attached_networks(project, workload)
    return bool(networks) and all(n.driver_name == "bridge" and not is_external(n) for n in networks)


@_per_workload
def can_publish(project: Project, workload: Workload) -> bool:
    """False when Docker creates no port binding: `none`, or only internal/L2 networks."""
    ns = namespace(project, workload)
    if ns.kind in ("none",):
        return False
    if ns.kind != "networks":
        return True
    networks = attached_networks(project, workload)
    return not networks or any(publishes(network) for network in networks)


def publishes(network: Network) -> bool:
    """Ports can be published through it (an external network's settings are unknown: assume so)."""
    if is_external(network):
        return True
    internal = bool(network.internal and network.internal.value)
    return not internal and network.driver_name not in NON_PUBLISHING_DRIVERS


def is_wildcard(address: str | None) -> bool:
    """No address, or an unspecified one in any spelling (`0.0.0.0`, `::`, `[::]`, `0:0::0`)."""
    if address is None or address.strip() == "":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_unspecified
    except ValueError:
        return False


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def binds_all_interfaces(project: Project, workload: Workload, port: PortBinding) -> bool:
    """True when the port is reachable on every host interface."""
    if port.host_ip is not None:
        return is_wildcard(port.host_ip)
    networks = [n for n in attached_networks(project, workload) if publishes(n)]
    return not (networks and all(is_loopback(_binding_default(n)) for n in networks))


def _binding_default(network: Network) -> str:
    option = None if is_external(network) else network.driver_opts.get(BINDING_OPTION)
    return option.value if option else "0.0.0.0"


def suggested_mappings(
    workload: Workload, known_images: Mapping[str, Sequence[int]] = MappingProxyType({})
) -> list[str]:
    """Port mappings a bridge-mode replacement needs, bound to loopback."""
    ports: list[str] = []
    for port in workload.ports:
        host = port.host_start or port.container_start
        ports.append(
            f"127.0.0.1:{host}:{port.container_start}"
            + ("" if port.protocol == "tcp" else f"/{port.protocol}")
        )
    for exposed in workload.expose:
        if exposed.value.ports is None:
            continue
        first, protocol = exposed.value.ports.start, exposed.value.protocol
        ports.append(f"127.0.0.1:{first}:{first}" + ("" if protocol == "tcp" else f"/{protocol}"))
    if not ports:
        ports = [f"127.0.0.1:{p}:{p}" for p in known_ports(workload, known_images)]
    return list(dict.fromkeys(ports))
