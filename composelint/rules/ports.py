"""CL2xx: published ports: where they bind, whether they work, whether they collide."""

from __future__ import annotations

import ipaddress
from collections import Counter
from functools import partial
from typing import NamedTuple

from composelint.intervals import IntervalIndex, overlapping, ranks
from composelint.model import PortBinding, Project, Run, Span, Workload
from composelint.patterns import lazy_pattern
from composelint.requirements import documented, justified
from composelint.rules.base import Edit, Finding, Fix, Group, Options, Severity, rule, workload_group
from composelint.rules.edits import bind_loopback, remove_key, remove_option, workload_fix
from composelint.rules.wording import (
    from_command_line,
    noun,
    others,
    ports_hint,
    ports_list,
    setting,
    subject,
    workload_phrase,
)
from composelint.topology import (
    BINDING_READS,
    NAMESPACE_READS,
    PUBLISH_READS,
    attached_networks,
    binds_all_interfaces,
    can_publish,
    joined_by_another,
    known_ports,
    namespace,
    namespace_kinds,
    network_members,
    on_project_bridge,
    suggested_mappings,
)

# What a container port alone suggests (the image is unknown or not in the tables below).
SENSITIVE_PORTS = {
    22: "SSH",
    23: "Telnet",
    2375: "the Docker API",
    2376: "the Docker API (TLS)",
    2379: "etcd",
    3128: "Squid",
    3306: "MySQL",
    3389: "RDP",
    5432: "PostgreSQL",
    5601: "Kibana",
    5900: "VNC",
    5984: "CouchDB",
    6379: "Redis",
    6443: "the Kubernetes API",
    8500: "Consul",
    9200: "Elasticsearch",
    9300: "Elasticsearch transport",
    10250: "the kubelet API",
    11211: "Memcached",
    27017: "MongoDB",
}
# Admin and data services by image (last part of the repository name): what the
# image serves on which container ports.  An image listed here is judged by this
# table alone: `owncloud/ocis` on 9200 is not Elasticsearch.
SENSITIVE_IMAGES = {
    **dict.fromkeys(
        ("postgres", "postgresql", "postgis", "timescaledb", "pgvector"), ("PostgreSQL", (5432,))
    ),
    **dict.fromkeys(("mysql", "mysql-server", "percona", "percona-server"), ("MySQL", (3306,))),
    "mariadb": ("MariaDB", (3306,)),
    **dict.fromkeys(("redis", "redis-stack-server", "valkey", "keydb"), ("Redis", (6379,))),
    **dict.fromkeys(("mongo", "mongodb", "mongodb-community-server"), ("MongoDB", (27017,))),
    "elasticsearch": ("Elasticsearch", (9200, 9300)),
    "opensearch": ("OpenSearch", (9200, 9300)),
    "kibana": ("Kibana", (5601,)),
    "opensearch-dashboards": ("OpenSearch Dashboards", (5601,)),
    "memcached": ("Memcached", (11211,)),
    "couchdb": ("CouchDB", (5984,)),
    "consul": ("Consul", (8500,)),
    "etcd": ("etcd", (2379,)),
    **dict.fromkeys(("portainer", "portainer-ce", "portainer-ee"), ("Portainer", (8000, 9000, 9443))),
    "adminer": ("Adminer", (8080,)),
    "mongo-express": ("mongo-express", (8081,)),
    **dict.fromkeys(("redisinsight", "redisinsight-v2"), ("RedisInsight", (5540, 8001))),
    "phpmyadmin": ("phpMyAdmin", (80,)),
    "pgadmin4": ("pgAdmin", (80, 443)),
    "registry": ("a Docker registry", (5000,)),
    "squid": ("Squid", (3128,)),
    "novnc": ("noVNC", (6080,)),
}
# Images that serve some ports to the network on purpose: reverse proxies, DNS
# and DHCP servers, VPNs, mail servers, peer-to-peer sync, network controllers,
# PXE, game and voice servers.  Their CL202 is kept, but says so, at info; only
# on the port clients expect (`80:80` of a proxy; `8080:80` is a development
# server).  Their admin UIs (Syncthing's 8384, UniFi's 8443, wg-easy's 51821)
# are not here and keep their level.
PUBLIC_BY_DESIGN = {
    **dict.fromkeys(
        (
            "traefik",
            "nginx",
            "caddy",
            "haproxy",
            "httpd",
            "nginx-proxy",
            "nginx-proxy-manager",
            "swag",
            "envoy",
        ),
        (80, 443),
    ),
    **dict.fromkeys(
        (
            "pihole",
            "adguardhome",
            "coredns",
            "bind",
            "bind9",
            "unbound",
            "blocky",
            "dns-server",
            "lancache-dns",
        ),
        (53, 67, 68, 853, 784),
    ),
    **dict.fromkeys(("wireguard", "wg-easy", "netbird"), (51820,)),
    **dict.fromkeys(("openvpn", "openvpn-as"), (1194,)),
    **dict.fromkeys(("ipsec-vpn-server", "strongswan"), (500, 4500)),
    **dict.fromkeys(
        ("docker-mailserver", "mailserver", "postfix", "dovecot", "stalwart-mail", "stalwart", "mailu"),
        (25, 110, 143, 465, 587, 993, 995, 4190),
    ),
    "coturn": (3478, 5349),
    "krakend": (8080,),  # an API gateway: the API's clients call it
    "jvb": (10000,),  # Jitsi's media
    "syncthing": (22000, 21027),  # sync protocol and local discovery
    **dict.fromkeys(("transmission", "qbittorrent", "deluge"), (51413, 6881)),  # BitTorrent peers
    # UniFi devices: inform, STUN, discovery, speed test, remote syslog (Ubiquiti's "UniFi - Ports Used").
    **dict.fromkeys(("unifi-network-application", "unifi-controller"), (8080, 3478, 10001, 1900, 6789, 5514)),
    "netbootxyz": (69,),  # TFTP of network boot
    "mumble-server": (64738,),
    "minecraft-server": (25565, 19132),
    "terraria-server-docker": (7777,),
    "palworld-server-docker": (8211, 27015),
    "satisfactory-server": (7777,),
}
# Public on purpose on whatever host port it is published: git over SSH (the host's
# own sshd holds 22, so `2222:22` is the norm).
PUBLIC_ON_ANY_HOST_PORT = {
    **dict.fromkeys(("gitea", "forgejo", "gogs"), (22, 2222)),
    **dict.fromkeys(("gitlab", "gitlab-ce", "gitlab-ee"), (22,)),
}
# A UDP port of an image no table here knows is public by design too: on the corpus it carries
# WebRTC and VoIP media, game servers, VPNs, peer-to-peer and device traffic, meant for the network
# (docs/precision.md).  Not these UDP services, dangerous on a network: reflection and amplification
# vectors (US-CERT TA14-017A and since: QOTD 17, CharGEN 19, DNS 53, TFTP 69, portmap 111, NTP 123,
# NetBIOS 137, SNMP 161, CLDAP 389, RIPv1 520, IPMI 623, CUPS browsing 631, SQL Server browser
# 1434, SSDP 1900, ARMS 3283, WS-Discovery 3702, mDNS 5353, CoAP 5683, Ubiquiti discovery 10001,
# memcached 11211, Plex discovery 32414), and ingest ports that take anyone's data into logs,
# metrics and traces, which a sidecar or the host itself sends to (StatsD 8125, Jaeger's agent
# 6831/6832, Fluentd's forward 24224, GELF 12201, collectd 25826).
UNSAFE_UDP_PORTS = frozenset(
    (17, 19, 53, 69, 111, 123, 137, 161, 389, 520, 623, 631, 1434, 1900, 3283, 3702, 5353, 5683)
    + (10001, 11211, 32414, 8125, 6831, 6832, 24224, 12201, 25826)
)
# Log, metric and trace collectors and DNS proxies, whose UDP inputs are ingest or resolver ports
# on whatever port they are configured.
UNSAFE_UDP_IMAGES = frozenset(
    (
        "logstash",
        "fluentd",
        "fluent-bit",
        "vector",
        "telegraf",
        "statsd",
        "graphite-statsd",
        "dogstatsd",
        "jaeger",
        "all-in-one",
        "jaeger-agent",
        "jaeger-collector",
        "opentelemetry-collector",
        "opentelemetry-collector-contrib",
        "graylog",
        "cloudflared",
        "dnscrypt-proxy",
        "dnsproxy",
        "stubby",
    )
)
_BASE60 = lazy_pattern(r"^[1-9][0-9_]*(:[0-5]?[0-9])+$")


def _field(port: PortBinding) -> str:
    return f"ports[{port.raw}]"


def _published(project: Project, workload: Workload) -> bool:
    """Ports of this workload really reach the host (not discarded, not unpublishable)."""
    return not namespace(project, workload).is_host and can_publish(project, workload)


def _image_name(workload: Workload) -> str | None:
    """Last part of the image's repository (`bitnami/postgresql:16` -> `postgresql`), if known."""
    if workload.image is None or not workload.image.value.repository:
        return None
    return workload.image.value.basename.lower()


def _traefik_insecure_api(workload: Workload, name: str | None) -> bool:
    return name == "traefik" and any(
        w.value.lower() in ("--api.insecure", "--api.insecure=true") for w in workload.command
    )


class _ImagePorts:
    """What a workload's image serves on which ports, by the tables above and the image
    requirements table: looked up once per workload, asked of each of its ports."""

    __slots__ = ("anywhere", "documented", "name", "public", "served")

    def __init__(self, workload: Workload):
        self.name = _image_name(workload)
        known = self.name or ""
        self.served = SENSITIVE_IMAGES.get(known)
        if _traefik_insecure_api(workload, self.name):
            self.served = ("Traefik's unauthenticated API and dashboard", (8080,))
        self.public = PUBLIC_BY_DESIGN.get(known, ())
        self.anywhere = PUBLIC_ON_ANY_HOST_PORT.get(known, ())
        self.documented = documented(workload)

    def public_by_design(self, port: PortBinding) -> bool:
        """The image serves this port to the network on purpose, on the port clients expect
        (`80:80` of a reverse proxy; `8080:80` is a development server), or on any host port for
        the services whose clients are told it (git over SSH on `2222:22`, the ports the image
        requirements table cites as meant for the network: Traccar's device ports, Stalwart's mail
        ports)."""
        if (self.public or self.anywhere) and any(  # most images are in neither table
            (p in self.public and p in (port.host_range or ())) or p in self.anywhere
            for p in port.container_ports
        ):
            return True
        return self.documented is not None and self.documented.serves_publicly(
            port.container_ports, port.protocol
        )

    def sensitive(self, port: PortBinding) -> tuple[str, int, bool] | None:
        """(what the port serves, container port, whether the image says so) for an admin or
        data-service port; a port alone is a guess, and only for a single port that is not
        public by design (Gitea's SSH on 22 is its git service, not the host's sshd: CL202 says
        so)."""
        if self.served is not None:
            hit = next((p for p in port.container_ports if p in self.served[1]), None)
            return (self.served[0], hit, True) if hit is not None else None
        single = port.container_start if port.container_start == port.container_end else None
        if single in SENSITIVE_PORTS and not self.public_by_design(port):
            return SENSITIVE_PORTS[single], single, False
        return None

    def public_udp(self, port: PortBinding) -> bool:
        """A UDP port of an image none of the tables knows (or no image), other than a service that
        is dangerous on a network: media, game, VPN or peer-to-peer traffic, meant for the network.
        A range is a media or game range (RTP's 10000-10100 holds Ubiquiti's 10001 by chance):
        judged by its first port."""
        known = self.name or ""
        tables = (PUBLIC_BY_DESIGN, PUBLIC_ON_ANY_HOST_PORT, SENSITIVE_IMAGES, UNSAFE_UDP_IMAGES)
        return (
            port.protocol == "udp"
            and not any(known in table for table in tables)
            and port.container_start not in UNSAFE_UDP_PORTS
        )

    def why_public(self, port: PortBinding) -> tuple[str, str] | None:
        """Why the port is public by design, said of it and of several ports alike; None when it
        is not."""
        if self.public_by_design(port):
            return (
                f"`{self.name}` usually serves this port to the network on purpose",
                f"`{self.name}` usually serves them to the network on purpose",
            )
        if self.public_udp(port):
            return (
                "a UDP port usually carries media, game, VPN or peer-to-peer traffic meant for the network",
                "UDP ports usually carry media, game, VPN or peer-to-peer traffic meant for the network",
            )
        return None


def _publishes_on_lasting_host(project: Project, workload: Workload) -> bool:
    """The workload's ports reach a host that lasts (not a CI job's ephemeral runner)."""
    return bool(workload.ports) and not project.on_ephemeral_host(workload) and _published(project, workload)


def _exposed_everywhere(project: Project, workload: Workload, port: PortBinding) -> bool:
    return _publishes_on_lasting_host(project, workload) and binds_all_interfaces(project, workload, port)


@rule(
    "CL201",
    "ports-discarded-host-network",
    "warning",
    "network",
    reads=("ports", "expose", "publish_all", *NAMESPACE_READS),
    fix="safe",
)
def ports_discarded_host_network(project: Project):
    """Ports are published or exposed by a workload on the host network.

    ## What it does
    Reports each `ports` and `expose` entry of a workload that runs on the
    host network, directly or through a shared namespace.  It supersedes
    CL202 and CL210 for those entries.

    ## Why is this bad?
    Docker discards the mappings ("Published ports are discarded when using
    host network mode"): the process binds on the host directly, usually on
    all interfaces, so a `127.0.0.1:` in the mapping protects nothing.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        network_mode: host
        ports:
          - "127.0.0.1:80:80"
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:80:80"
    ```
    """
    for workload in project.workloads:
        ns = namespace(project, workload)
        if not ns.is_host:
            continue
        via = "" if len(ns.chain) == 1 else f" (through {' -> '.join(ns.chain)} -> host)"
        ports_fix = _discarded_key_fix(project, workload, "ports", ns.evidence)
        expose_fix = _discarded_key_fix(project, workload, "expose", ns.evidence)
        for port in workload.ports:
            yield Finding(
                f"Port `{port.raw}` of {workload_phrase(workload)} is discarded: the {noun(workload)} uses the "
                f"host network{via}, so the process binds on the host directly and the mapping protects nothing",
                port.span,
                workload.name,
                _field(port),
                related=(ns.evidence,) if ns.evidence else (),
                fix=_in_file(ports_fix, port.span) or _option_removal(project, workload, port.span),
            )
        for exposed in workload.expose:
            yield Finding(
                f"{setting(workload, 'expose', exposed.value.written)} of {workload_phrase(workload)} has no "
                f"effect on the host network{via}",
                exposed.span,
                workload.name,
                f"expose[{exposed.value.written}]",
                fix=_in_file(expose_fix, exposed.span),
            )
        if workload.publish_all is not None and workload.publish_all.value:
            yield Finding(
                f"{setting(workload, 'publish_all')} of {workload_phrase(workload)} has no effect on the host "
                f"network{via}: the processes bind on the host directly",
                workload.publish_all.span,
                workload.name,
                "publish_all",
                related=(ns.evidence,) if ns.evidence else (),
            )


def _discarded_key_fix(project: Project, workload: Workload, key: str, evidence: Span | None) -> Fix | None:
    """Remove a service's `ports`/`expose`, which the host network discards, when the host network is
    set in the same file (a file merged with another may run elsewhere without it)."""
    span = workload.keys.get(key)
    if from_command_line(workload) or span is None or evidence is None or span.path != evidence.path:
        return None
    edit = remove_key(project, span)
    return workload_fix(project, workload, "safe", f"Remove `{key}`: the host network discards it", (edit,))


def _option_removal(project: Project, workload: Workload, span: Span) -> Fix | None:
    """Remove a discarded `-p` from a command line."""
    edit = remove_option(project, workload, span)
    return workload_fix(project, workload, "safe", "Remove the option: the host network discards it", (edit,))


def _loopback_fix(project: Project, workload: Workload, port: PortBinding) -> Fix | None:
    edit = bind_loopback(project, workload, port)
    return workload_fix(
        project, workload, "unsafe", "Bind it to 127.0.0.1: only this host can reach it", (edit,)
    )


def _in_file(fix: Fix | None, span: Span) -> Fix | None:
    """The fix, when it edits the file where the finding is."""
    return fix if fix is not None and all(edit.span.path == span.path for edit in fix.edits) else None


@rule(
    "CL202",
    "port-all-interfaces",
    "warning",
    "network",
    references=("CIS Docker 5.14 [5.13]",),
    reads=("ports", "image", *BINDING_READS),
    fix="unsafe",
)
def port_all_interfaces(project: Project):
    """A published port binds every host interface.

    ## What it does
    Reports a port with no host IP (Docker binds `0.0.0.0` and `::`), an
    explicit wildcard (`0.0.0.0`, `::`, `host_ip: "0.0.0.0"`), a bare
    container port (`"3000"`: a random host port on all interfaces), or a host
    IP from a variable that is not set.  A network whose
    `com.docker.network.bridge.host_binding_ipv4` is a loopback address makes
    unqualified ports local, and then nothing is reported.  Nor is a port a
    GitHub Actions job publishes (a service container, `docker run -p` in a
    step) on a GitHub-hosted runner (`runs-on: ubuntu-latest`): that machine
    lives for one job and accepts no inbound connections; on a `self-hosted`
    runner it is reported.

    A port an image serves to the network by design is still reported, at
    info, and the message says so: 80/443 of a reverse proxy, 53 of a DNS
    server, 51820/udp of WireGuard, 1194 of OpenVPN, mail ports of a mail
    server, Syncthing's and BitTorrent's peer ports, game servers, on the
    port clients expect (`80:80`, not `8080:80`); git over SSH of Gitea,
    Forgejo or GitLab on any host port (`2222:22`); the ports an image's own
    documentation says are meant for the network, cited in the image
    requirements table (`public_ports`: Traccar's device ports, Stalwart's
    mail ports, SFTPGo's SFTP, game and voice servers), on any host port; a UDP port of an image
    none of composelint's tables knows (WebRTC and VoIP media, game servers,
    VPNs, peer-to-peer), except UDP services dangerous on a network, which keep
    their level: reflection and amplification vectors (DNS, NTP, SNMP, SSDP,
    CUPS browsing, WS-Discovery, CoAP...) and the ingest ports of log, metric
    and trace collectors (StatsD 8125, Jaeger's agent 6831/6832, Fluentd 24224,
    GELF 12201; any UDP port of Logstash, Fluentd, Vector, Telegraf, Jaeger,
    the OpenTelemetry collector and DNS proxies like cloudflared).  The ports of one
    service that are public by design are one finding, at the first of them,
    naming them all (`Ports `80:80` and `443:443` of service `proxy` ...`);
    the other entries are its related locations, and so are the same
    service's entries in the other code blocks of a Markdown document.  If
    the service is meant to be public, suppress it with a reason on that
    first entry: that silences the finding; a suppression on another entry
    takes only that port out of it.  Databases, caches, admin UIs and debug
    ports keep their level and their own finding.

    ## Why is this bad?
    The service is reachable from every network the host is on, and Docker's
    own firewall rules bypass host firewalls such as UFW.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "8080:80"
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:8080:80"
    ```
    """
    for workload in project.workloads:
        if not _publishes_on_lasting_host(project, workload):
            continue
        image, phrase = _ImagePorts(workload), workload_phrase(workload)
        for port in workload.ports:
            if not binds_all_interfaces(project, workload, port):
                continue
            if image.sensitive(port):
                continue  # CL210's
            detail, details = _all_interfaces(port)
            why = image.why_public(port)
            group = None
            if why is not None:
                detail += f"; {why[0]}"
                group = Group(
                    f"public by design: {workload.name}: {details}: {why[1]}",
                    f"`{port.raw}`",
                    "Ports ",
                    f" of {phrase} {details}; {why[1]}",
                )
            yield Finding(
                f"Port `{port.raw}` of {phrase} {detail}",
                port.span,
                workload.name,
                _field(port),
                severity=Severity.INFO if why is not None else None,
                help="Bind it to loopback (`127.0.0.1:...`) unless other machines must reach it; "
                "if the service is meant to be public, suppress this finding with a reason",
                group=group,
                fix=_loopback_fix(project, workload, port),
            )


def _all_interfaces(port: PortBinding) -> tuple[str, str]:
    """How a port binds every interface, said of it and of several ports alike (a group)."""
    variable = port.host_ip_variable
    if variable:
        return (
            f"binds all host interfaces: its host IP `{variable}` is empty or a wildcard",
            f"bind all host interfaces: their host IP `{variable}` is empty or a wildcard",
        )
    if port.host_start is None and port.from_variable:
        return (
            "binds all host interfaces (no host IP is written; the host port is a variable)",
            "bind all host interfaces (no host IP is written; the host ports are variables)",
        )
    if port.host_start is None:
        return "publishes a random host port on all interfaces", "publish random host ports on all interfaces"
    return "binds all host interfaces", "bind all host interfaces"


@rule(
    "CL203",
    "missing-port-mapping",
    "warning",
    "network",
    default_on=False,
    options={"known-images": {}},
    reads=("image", "ports", "expose", "publish_all", *PUBLISH_READS),
)
def missing_port_mapping(project: Project, options: Options):
    """A server image publishes no port and shares no network with another workload.

    ## What it does
    Reports a workload that runs a well-known server image, publishes no
    port, runs only on bridge networks of the project (an external, macvlan
    or ipvlan network, or one given a fixed `name:` that other projects
    join, can be reached from outside), and shares no network with another
    workload of the project.  Typical after replacing host networking with
    bridge networking.  Known images: nginx, httpd, caddy, traefik, haproxy,
    postgres, mysql, mariadb, redis, mongo, elasticsearch, rabbitmq,
    memcached, grafana, prometheus, registry, minio, jenkins, tomcat,
    kibana, couchdb, influxdb, consul, vault and more.  The `known-images`
    option (`known-images:` in the configuration) adds images and their
    ports to the table.

    Opt-in (`--extend-select CL203`): on real repositories a server that
    publishes nothing and has no peer in its file was almost never a
    mistake.  It was a deploying platform's template (Dokploy, Coolify:
    the platform's proxy joins the service's network when a domain is
    set), a fragment merged with another file, or a unit whose socket
    systemd holds; and on Linux the host reaches a bridge container at its
    own IP address.  None of the findings judged on the corpus was worth
    acting on.

    Not reported, because something outside the file reaches the workload:
    `expose` (`--expose`) written by the author (a template merged with a
    proxy's file, a network a deploying tool connects), a reverse-proxy
    route (`traefik.*` or `caddy` labels, `VIRTUAL_HOST` of nginx-proxy,
    Coolify's `SERVICE_FQDN_*`/`SERVICE_URL_*`), a `--publish` whose
    value is only known at run time, and a systemd or Quadlet unit that a
    `.socket` unit activates (systemd listens and hands the socket over:
    `Sockets=`, a dependency on the `.socket` of its own name or such a file
    beside it, nginx's inherited `NGINX=3;`).  Nor is a code block of a Markdown
    document: it shows one command, and the next block usually reaches it.

    ## Why is this bad?
    The service starts but no published port and no other container of
    the project reaches it: only the host at the container's address, or
    a network something joins later.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:80:80"
    ```
    """
    for workload in project.workloads:
        if "ports" in workload.keys or (workload.publish_all and workload.publish_all.value):
            continue  # published, perhaps at a port only known at run time
        if workload.expose or _proxy_route(workload) or project.shown_in_document(workload):
            continue
        if workload.socket_activated:
            continue  # systemd listens and hands the socket over
        if from_command_line(workload) and "command" in workload.keys:
            continue  # `docker run --rm redis redis-cli ...`: a client, not the server
        ns = namespace(project, workload)
        if len(ns.chain) > 1 or not on_project_bridge(project, workload):
            continue  # external, macvlan/ipvlan networks are reachable from outside
        if any(network.name for network in attached_networks(project, workload)):
            continue  # a network with a fixed `name:` is joined by other projects
        served = [str(p) for p in known_ports(workload, options["known-images"])]
        if not served or _has_peer(project, workload):
            continue
        mappings = [f"127.0.0.1:{p}:{p}" for p in served]
        span = workload.image.span if workload.image else workload.span
        yield Finding(
            f"{subject(workload)} serves port(s) {', '.join(served)} but publishes none and shares "
            f"no network with {others(workload)}: only the host, at the container's address, or a "
            "network joined later (a deploying platform's proxy) can reach it",
            span,
            workload.name,
            "ports",
            help=f"Publish what is needed, e.g. {ports_list(workload, mappings)}",
        )


# What tells a reverse proxy to route to a workload: the proxy joins its network when it deploys.
_PROXY_LABELS = lazy_pattern(r"traefik\.|caddy(\.|$)")
_PROXY_VARIABLES = lazy_pattern(r"VIRTUAL_HOST$|SERVICE_(FQDN|URL)_")


def _proxy_route(workload: Workload) -> bool:
    return any(_PROXY_LABELS.match(label.name) for label in workload.labels) or any(
        _PROXY_VARIABLES.match(variable.name) for variable in workload.environment
    )


def _has_peer(project: Project, workload: Workload) -> bool:
    """Another workload can reach this one: it joins its namespace or shares a network."""
    if joined_by_another(project, workload):
        return True
    mine = attached_networks(project, workload)
    if not mine and namespace(project, workload).kind == "bridge":
        return namespace_kinds(project)["bridge"] > 1
    return any(len(network_members(project, network)) > 1 for network in mine)


@rule("CL204", "publish-all", "warning", "network", reads=("publish_all", *PUBLISH_READS))
def publish_all(project: Project):
    """Every port the image exposes is published on all interfaces.

    ## What it does
    Reports `-P` / `--publish-all` of `docker run` and `docker create`
    (podman and nerdctl alike).  `docker compose run -P` means
    `--service-ports` (the service's own `ports:`) and is not reported, nor
    is a container on a host made for one CI job (a GitHub-hosted runner's
    step, a script only such jobs run), whose ports reach nobody.

    ## Why is this bad?
    Each port the image declares with `EXPOSE` (and each `--expose`) goes to
    a random host port on every interface.  What becomes reachable from the
    network is decided by the image, not by the command, and changes when
    the image does; the random ports also defeat firewall rules written for
    fixed ones.

    ## Example
    ```sh
    docker run -d -P nginx:1.27
    ```

    ## Use instead
    Publish only what is needed, on loopback unless other machines must
    reach it:
    ```sh
    docker run -d -p 127.0.0.1:8080:80 nginx:1.27
    ```
    """
    for workload in project.workloads:
        if workload.publish_all is None or not workload.publish_all.value:
            continue
        if namespace(project, workload).is_host or not can_publish(project, workload):
            continue  # CL201 / CL211 explain why nothing is published
        if project.on_ephemeral_host(workload):
            continue  # a CI job's host made for the job: its ports reach nobody (as for CL202)
        mappings = suggested_mappings(workload)
        help_text = "Publish only the ports needed, bound to loopback"
        if mappings:
            help_text += ", e.g. " + ports_hint(workload, mappings)
        yield Finding(
            f"{subject(workload)} publishes every port its image exposes "
            f"({setting(workload, 'publish_all')}) on a random host port on all interfaces",
            workload.publish_all.span,
            workload.name,
            "publish_all",
            help=help_text + f", instead of {setting(workload, 'publish_all')}",
        )


@rule(
    "CL205",
    "privileged-host-port",
    "info",
    "network",
    default_on=False,
    references=("CIS Docker 5.8 [5.7]",),
    reads=("ports", *PUBLISH_READS),
)
def privileged_host_port(project: Project):
    """A host port below 1024 is published.

    ## What it does
    Reports published host ports in the privileged range 1-1023.  Opt-in:
    on real projects it is almost always 80/443 of a proxy or 53 of a DNS
    server, already reported by CL202 when it binds all interfaces.

    ## Why is this bad?
    Ports below 1024 are reserved for system services; a container taking
    one can impersonate them (CIS Docker Benchmark).

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:80:80"
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:8080:80"
    ```
    """
    for workload in project.workloads:
        if not _published(project, workload):
            continue
        for port in workload.ports:
            if port.host_start is not None and port.host_start < 1024:
                yield Finding(
                    f"Port `{port.raw}` of {workload_phrase(workload)} publishes privileged host port {port.host_start}",
                    port.span,
                    workload.name,
                    _field(port),
                )


def _bound(address: str | None) -> set[tuple[int, str]]:
    """(IP version, address) pairs a host IP binds; `*` is the family's wildcard."""
    if address in (None, ""):
        return {(4, "*"), (6, "*")}
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return {(0, address)}
    return {(ip.version, "*" if ip.is_unspecified else ip.compressed)}


@rule("CL206", "duplicate-host-port", "error", "network", reads=("ports", "profiles", *PUBLISH_READS))
def duplicate_host_port(project: Project):
    """Two workloads publish the same host port on overlapping addresses.

    ## What it does
    Compares every published host port of the project (ranges expanded, the
    same protocol, a wildcard address overlapping every address) and reports
    the later one.  Services in disjoint `profiles:` are alternatives that
    are not started together, so they do not conflict; with `--profile`,
    only the services of the active profiles are linted.  In a script, a
    container the script stopped or removed (`docker stop NAME`, `docker rm -f
    NAME`, `docker compose down`) or waited for (`docker run` in the
    foreground, without `-d` or `&`) before the next one starts does not
    conflict with it.

    ## Why is this bad?
    Only one process can bind an address and port: the second container
    fails to start with "port is already allocated" (one container with two
    such entries does not start at all).

    ## Example
    ```yaml
    services:
      blue:
        image: nginx:1.27
        ports: ["127.0.0.1:8080:80"]
      green:
        image: nginx:1.27
        ports: ["8080:80"]
    ```

    ## Use instead
    ```yaml
    services:
      blue:
        image: nginx:1.27
        ports: ["127.0.0.1:8080:80"]
      green:
        image: nginx:1.27
        ports: ["127.0.0.1:8081:80"]
    ```
    """
    for workload, port, other_workload, other in _host_port_clashes(project):
        clash = "" if port.from_variable else f" {max(port.host_range[0], other.host_range[0])}"
        if other_workload is workload:  # two entries of one container: it cannot start
            by, outcome = f"its own entry `{other.raw}`", "the container fails to start"
        else:
            by, outcome = (
                f"{workload_phrase(other_workload)} (`{other.raw}`)",
                "the second container fails to start",
            )
        yield Finding(
            f"Host port{clash}/{port.protocol} of {workload_phrase(workload)} (`{port.raw}`) is "
            f"already published by {by}: {outcome}",
            port.span,
            workload.name,
            _field(port),
            related=(other.span,),
        )


Published = tuple[Workload, PortBinding]


def _host_port_clashes(project: Project):
    """Each published binding with the earliest one before it that takes the same host port on an
    overlapping address and protocol, in one `docker compose up` (O(n log n): intervals.py).

    A workload's entry clashes with another workload of a different name (a name written twice
    is one container defined twice), or with a different entry of the same workload; never with
    the all-interfaces entry Compose keeps beside it (CL212 explains that pair).  A binding whose
    host ports no other binding takes (most of them) is never indexed."""
    published = [
        (workload, port, hosts[0], hosts[-1])
        for workload in project.workloads
        if workload.ports and _published(project, workload)
        for port in workload.ports
        if (hosts := port.host_range) and len(hosts) == len(port.container_ports)  # random ports never clash
    ]
    shared = overlapping([(low, high) for _, _, low, high in published])
    bindings = [binding for binding, clashes in zip(published, shared, strict=True) if clashes]
    new_index = partial(
        IntervalIndex,
        ranks(end for _, _, low, high in bindings for end in (low, high)),
        ranges=any(low < high for _, _, low, high in bindings),
    )
    profiles = any(workload.profiles for workload, *_ in bindings)
    several = Counter(id(workload) for workload, *_ in bindings)
    together = _run_together([workload for workload, *_ in bindings])
    others: dict[int, dict[tuple, IntervalIndex[Published]]] = {}  # by run, address, protocol and profile
    own: dict[int, dict[tuple, IntervalIndex[Published]]] = {}  # the same, by workload (when it has several)
    keys: dict[tuple, _Keys] = {}  # most bindings share a protocol, address and profiles
    for order, (workload, port, low, high) in enumerate(bindings):
        spot = (port.protocol, port.host_ip, workload.profiles)
        where = keys.get(spot) or keys.setdefault(
            spot, _keys(port.protocol, port.host_ip, workload.profiles, profiles)
        )
        in_run = others.get(together[id(workload)]) or others.setdefault(together[id(workload)], {})
        mine = several[id(workload)] > 1
        earliest = None
        for key in where.others_asked:
            index = in_run.get(key)
            if index:
                another_workload = partial(_from_another_workload, workload.name, port.kept_beside)
                hit = index.first(low, high, another_workload, partial(_ended_before, workload.runs))
                earliest = _earlier(earliest, hit)
        if mine:
            own_entries = own.get(id(workload)) or own.setdefault(id(workload), {})
            another_entry = partial(_another_entry, port.raw, port.kept_beside)
            for key in where.own_asked:
                index = own_entries.get(key)
                if index:
                    earliest = _earlier(earliest, index.first(low, high, another_entry))
        if earliest:
            yield workload, port, *earliest[1]
        for key in where.others_filed:
            index = in_run.get(key) or in_run.setdefault(key, new_index())
            index.add(
                low, high, order, (workload, port), (workload.name, workload.runs and workload.runs.end)
            )
        if mine:
            for key in where.own_filed:
                index = own_entries.get(key) or own_entries.setdefault(key, new_index())
                index.add(low, high, order, (workload, port), port.raw)


class _Keys(NamedTuple):
    """Where a binding is looked for and filed, among all workloads' bindings and among its own."""

    others_asked: list[tuple]
    own_asked: list[tuple]
    others_filed: list[tuple]
    own_filed: list[tuple]


def _keys(protocol: str, host_ip: str | None, profiles: tuple[str, ...], any_profiles: bool) -> _Keys:
    bound = _bound(host_ip)
    asked, filed = _address_keys(protocol, bound, True), _address_keys(protocol, bound, False)
    return _Keys(
        _profile_keys(asked, profiles, any_profiles),
        asked,
        _profile_keys(filed, profiles, any_profiles, query=False),
        filed,
    )


def _earlier(best: tuple[int, Published] | None, found: tuple[int, Published] | None):
    """The earlier of two hits (the first one on a tie: the same binding filed under two keys)."""
    return found if found is not None and (best is None or found[0] < best[0]) else best


def _from_another_workload(name: str, kept_beside: Span | None, seen: Published) -> bool:
    return seen[0].name != name and seen[1].span != kept_beside


def _ended_before(runs: Run | None, seen: Published) -> bool:
    """The entry's container has ended when this one starts (a script's containers start in turn,
    so it has for every later one too)."""
    earlier = seen[0].runs
    return earlier is not None and earlier.end is not None and runs is not None and earlier.end < runs.start


def _run_together(workloads: list[Workload]) -> dict[int, int]:
    """Each workload's run: the workloads of a script in the order they start, cut where every
    earlier one has ended (stopped, or waited for in the foreground); a run never overlaps another,
    so its bindings are indexed apart (within one, a query skips the containers already ended)."""
    run, together = 0, {}
    open_until: int | None = -1  # the last end so far (None: the script's end)
    for workload in workloads:
        if workload.runs is None:
            open_until = None  # runs from start to end: every later one is in its run
        elif open_until is not None and workload.runs.start > open_until:
            run += 1
        if workload.runs is not None and open_until is not None:
            end = workload.runs.end
            open_until = None if end is None else max(open_until, end)
        together[id(workload)] = run
    return together


def _another_entry(raw: str, kept_beside: Span | None, seen: Published) -> bool:
    return seen[1].raw != raw and seen[1].span != kept_beside


def _address_keys(protocol: str, bound: set[tuple[int, str]], query: bool) -> list[tuple]:
    """Where a binding is looked for (`query`) or filed: by protocol and address; a wildcard
    address looks through its whole family, a given one through itself and the family's wildcard."""
    keys: list[tuple] = []
    for version, address in bound:
        if not query:
            keys += [(protocol, version, address), (protocol, version)]
        elif address == "*":
            keys.append((protocol, version))
        else:
            keys += [(protocol, version, address), (protocol, version, "*")]
    return keys


def _profile_keys(
    keys: list[tuple], profiles: tuple[str, ...], any_profiles: bool, query: bool = True
) -> list[tuple]:
    """Profiles are alternatives when two sets are disjoint (no profile: started with every one). So
    a binding is filed for every workload (`None`) and under each profile (`()`: no profile); a query
    with profiles looks under those and `()`. Without profiles in the project, `None` is enough."""
    if not any_profiles:
        return keys
    if query:
        groups: list[object] = [(), *((p,) for p in profiles)] if profiles else [None]
    else:
        groups = [None, *((p,) for p in profiles)] if profiles else [None, ()]
    return [(*key, group) for key in keys for group in groups]


@rule("CL207", "invalid-port", "error", "network", reads=("ports", "expose"))
def invalid_port(project: Project):
    """A port specification that Docker rejects.

    ## What it does
    Reports port entries that cannot be parsed, numbers outside 1-65535,
    host and container ranges of different lengths, unknown protocols,
    host names instead of IP addresses, brackets in long-syntax `host_ip`,
    and `expose` entries that are not a port or range below 65536.  A port
    written as documentation placeholders (`-p <host_port>:<app_port>`) is a
    value to fill in, not read.

    ## Why is this bad?
    Compose or the Engine refuses the project when it starts.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:80:80/http"
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:80:80/tcp"
    ```
    """
    for workload in project.workloads:
        for error in workload.port_errors:
            yield Finding(
                f"Invalid port `{error.raw}` in {workload_phrase(workload)}: {error.reason}",
                error.span,
                workload.name,
                f"ports[{error.raw}]",
            )
        for exposed in workload.expose:
            if exposed.value.ports is None:
                yield Finding(
                    f"Invalid {setting(workload, 'expose', exposed.value.written)} in {workload_phrase(workload)}: "
                    "expected a port or range 1-65535 with an optional tcp/udp/sctp protocol",
                    exposed.span,
                    workload.name,
                    f"expose[{exposed.value.written}]",
                )


@rule(
    "CL208",
    "yaml-base60-port",
    "warning",
    "network",
    default_on=False,
    reads=("ports",),
    fix="safe",
    fix_always=True,
)
def yaml_base60_port(project: Project):
    """An unquoted `HOST:CONTAINER` port that YAML 1.1 reads as a number.

    ## What it does
    Reports unquoted port entries that match YAML 1.1's base-60 integer
    pattern: digits, then `:`-groups below 60, such as `22:22` or `2222:22`.
    Opt-in: Compose v2 has no base-60 numbers and reads the port as written;
    select it when the file is also read by a YAML 1.1 tool.

    ## Why is this bad?
    Compose v2 reads them as strings, but YAML 1.1 loaders (docker-compose
    1.x, PyYAML-based tools) read `22:22` as the base-60 integer 1342 and
    publish the wrong port.  The Compose specification says to quote ports.

    ## Example
    ```yaml
    services:
      ssh:
        image: alpine:3.20
        ports:
          - 127.0.0.1:2222:22
          - 22:22
    ```

    ## Use instead
    ```yaml
    services:
      ssh:
        image: alpine:3.20
        ports:
          - "127.0.0.1:2222:22"
          - "127.0.0.1:22:22"
    ```
    """
    for workload in project.workloads:
        for port in workload.ports:
            if port.plain_scalar and _BASE60.match(port.raw):
                yield Finding(
                    f"Port `{port.raw}` is unquoted: YAML 1.1 loaders read it as a base-60 number",
                    port.span,
                    workload.name,
                    _field(port),
                    help=f'Quote it: "{port.raw}"',
                    fix=Fix("safe", f"Quote `{port.raw}`", (Edit(port.span, f'"{port.raw}"'),)),
                )


MAX_RANGE = 100


@rule(
    "CL209",
    "wide-port-range",
    "warning",
    "network",
    options={"max": MAX_RANGE},
    reads=("ports", "image"),
)
def wide_port_range(project: Project, options: Options):
    """A published port range wider than 100 ports.

    ## What it does
    Reports published ranges wider than the rule's `max` option (100).
    Not reported: a range the image's own documentation publishes (Crafty's
    Minecraft servers on 25500-25600, Traccar's device protocols on
    5000-5150, neko's WebRTC on 52000-52100/udp; the table with each page is
    `composelint/data/image-requirements.json`), or a part of it.

    ## Why is this bad?
    Every port of the range is opened on the host; wide ranges are usually
    a shortcut that exposes far more than the service needs, and each port
    costs the Engine a proxy process or firewall rules.

    ## Example
    ```yaml
    services:
      media:
        image: alpine:3.20
        ports:
          - "127.0.0.1:30000-40000:30000-40000/udp"
    ```

    ## Use instead
    ```yaml
    services:
      media:
        image: alpine:3.20
        ports:
          - "127.0.0.1:30000-30010:30000-30010/udp"
    ```
    """
    for workload in project.workloads:
        for port in workload.ports:
            width = len(port.container_ports)  # a host pool for one container port opens one port
            if width <= options["max"]:
                continue
            first, last = port.container_ports.start, port.container_ports.stop - 1
            if not justified(project, workload, "ports", f"{first}-{last}/{port.protocol}"):
                yield Finding(
                    f"Port `{port.raw}` of {workload_phrase(workload)} publishes a range of {width} ports "
                    f"(more than {options['max']})",
                    port.span,
                    workload.name,
                    _field(port),
                )


# The command is also read, but only for traefik's literal `--api.insecure`: an unset variable in
# a command (CL005) changes nothing this rule concludes, so `command` is not in its reads.
@rule(
    "CL210",
    "sensitive-port-exposed",
    "error",
    "network",
    reads=("ports", "image", *BINDING_READS),
    fix="unsafe",
)
def sensitive_port_exposed(project: Project):
    """An admin or data-service port is published on all interfaces.

    ## What it does
    Like CL202, for ports of well-known admin and data services.  The image
    decides when it is known: databases and caches (postgres, mysql,
    mariadb, redis, valkey, mongo, elasticsearch, opensearch, memcached,
    couchdb, etcd, consul), admin UIs (Portainer, Adminer, mongo-express,
    RedisInsight, phpMyAdmin, pgAdmin, Kibana, noVNC, Traefik's API with
    `--api.insecure`), a Docker registry, Squid.  For any other image the
    container port alone is a guess, reported as a warning naming whose
    default it is: 22 SSH, 23 Telnet, 2375/2376 Docker API, 2379 etcd, 3128
    Squid, 3306 MySQL, 3389 RDP, 5432 PostgreSQL, 5601 Kibana, 5900 VNC,
    5984 CouchDB, 6379 Redis, 6443 Kubernetes API, 8500 Consul, 9200/9300
    Elasticsearch, 10250 kubelet, 11211 Memcached, 27017 MongoDB; not for a
    port the image serves to the network by design (22 of Gitea, Forgejo or
    GitLab is git over SSH: CL202 reports it at info).  It
    supersedes CL202 for that port, and like CL202 says nothing about a
    port a GitHub Actions job publishes on a GitHub-hosted runner.  The
    ports of one workload that expose the same service (Elasticsearch's
    9200 and 9300, Portainer's three, RDP over TCP and UDP) are one
    finding, at the first, naming them all; the others are its related
    locations, and its fix binds them all.

    ## Why is this bad?
    These services are scanned for constantly and often run without
    authentication by default; exposing them to every network is a common
    cause of data breaches.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:17
        ports:
          - "5432:5432"
    ```

    ## Use instead
    ```yaml
    services:
      db:
        image: postgres:17
        ports:
          - "127.0.0.1:5432:5432"
    ```
    """
    for workload in project.workloads:
        if not workload.ports:
            continue
        image = _ImagePorts(workload)
        for port in workload.ports:
            sensitive = image.sensitive(port)
            if sensitive is None or not _exposed_everywhere(project, workload, port):
                continue
            service, container_port, certain = sensitive
            phrase = workload_phrase(workload)
            if certain:
                what = f"exposes {service} (container port {container_port})"
                theirs = f" of {phrase} expose {service} on all host interfaces"
            else:
                what = f"publishes container port {container_port} ({service}'s default)"
                theirs = f" of {phrase} publish container port {container_port} ({service}'s default) on all host interfaces"
            yield Finding(
                f"Port `{port.raw}` of {phrase} {what} on all host interfaces",
                port.span,
                workload.name,
                _field(port),
                severity=None if certain else Severity.WARNING,
                help="Bind it to loopback (`127.0.0.1:...`) or do not publish it at all",
                fix=_loopback_fix(project, workload, port),
                group=Group(
                    f"{workload_group('sensitive', workload)}: {service}: {'' if certain else container_port}",
                    f"`{port.raw}`",
                    "Ports ",
                    theirs,
                ),
            )


@rule(
    "CL211",
    "unreachable-published-port",
    "warning",
    "network",
    reads=("ports", "publish_all", *PUBLISH_READS),
)
def unreachable_published_port(project: Project):
    """Ports are published by a workload whose networks cannot publish.

    ## What it does
    Reports `ports` of a workload that is only on `internal: true`,
    `macvlan` or `ipvlan` networks, or has `network_mode: none`.

    ## Why is this bad?
    Docker creates no binding for them, silently: the author believes the
    service is reachable, and whatever relies on it fails.

    ## Example
    ```yaml
    services:
      api:
        image: alpine:3.20
        networks: [backend]
        ports:
          - "127.0.0.1:8080:8080"
    networks:
      backend:
        internal: true
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: alpine:3.20
        networks: [backend, frontend]
        ports:
          - "127.0.0.1:8080:8080"
    networks:
      backend:
        internal: true
      frontend: {}
    ```
    """
    for workload in project.workloads:
        publish_all = workload.publish_all if workload.publish_all and workload.publish_all.value else None
        if (
            (workload.ports or publish_all)
            and not namespace(project, workload).is_host
            and not can_publish(project, workload)
        ):
            span = workload.keys.get("ports") or (publish_all.span if publish_all else workload.span)
            yield Finding(
                f"{subject(workload)} publishes ports, but it is only on networks that cannot "
                "publish (internal, macvlan, ipvlan or none): Docker creates no binding",
                span,
                workload.name,
                "ports",
            )


@rule("CL212", "override-cannot-narrow", "warning", "network", reads=("ports",))
def override_cannot_narrow(project: Project):
    """An override re-declares a port with a narrower host IP, but the old binding survives.

    ## What it does
    Reports a port entry from an override file (or an `extends` child) that
    adds a host IP to a port which an earlier file publishes on all
    interfaces.

    ## Why is this bad?
    Compose merges `ports` lists by appending, keyed on the host IP: the
    override does not replace `"8080:80"`, it adds `"127.0.0.1:8080:80"`
    beside it, and the all-interfaces binding is still created.

    ## Example
    `compose.yaml` and `compose.override.yaml`, shown as two documents:
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "8080:80"
    ---
    services:
      web:
        ports:
          - "127.0.0.1:8080:80"
    ```

    ## Use instead
    Replace the list with `!override` (or remove it with `!reset`):
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "8080:80"
    ---
    services:
      web:
        ports: !override
          - "127.0.0.1:8080:80"
    ```
    """
    for workload in project.workloads:
        for port in workload.ports:
            if port.kept_beside is not None:
                yield Finding(
                    f"Port `{port.raw}` of {workload_phrase(workload)} does not replace the all-interfaces "
                    "binding written earlier: Compose appends port lists, so both are published",
                    port.span,
                    workload.name,
                    _field(port),
                    related=(port.kept_beside,),
                    help="Write `ports: !override` in the override file to replace the list",
                )


def _configured(workload: Workload) -> bool:
    """The listening port may come from configuration: a command or entrypoint (traefik's
    `--entrypoints.*`), a mounted config file or directory (nginx's `conf.d`), a `configs:`
    entry, or a variable naming a port (`PGPORT`)."""
    return (
        any(k in workload.keys for k in ("command", "entrypoint", "configs"))
        or any(m.kind == "bind" for m in workload.mounts)
        or any("PORT" in v.name.upper() or "LISTEN" in v.name.upper() for v in workload.environment)
    )


@rule(
    "CL213",
    "port-target-mismatch",
    "info",
    "network",
    options={"known-images": {}},
    reads=("ports", "image", "volumes"),
)
def port_target_mismatch(project: Project, options: Options):
    """A well-known image is mapped to a port it does not listen on by default.

    ## What it does
    Reports a published container port that is not among the default ports
    of a well-known server image (the table of CL203), when nothing in the
    service can change the port: no command or entrypoint, no bind-mounted
    file or directory (a mounted `nginx.conf` or `traefik.yml` may listen
    anywhere), no `configs:`, no environment variable naming a port.

    ## Why is this bad?
    `nginx` listens on 80, so `8080:8080` forwards to a closed port unless
    the configuration was changed as well.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:8080:8080"
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:8080:80"
    ```
    """
    for workload in project.workloads:
        defaults = known_ports(workload, options["known-images"])
        image = workload.image
        if not defaults or image is None:  # defaults come from the image
            continue
        # Whether the configuration may move the port is asked only of a workload it would excuse.
        expected_ports = frozenset(defaults)
        mismatched = [port for port in workload.ports if expected_ports.isdisjoint(port.container_ports)]
        if not mismatched or _configured(workload):
            continue
        expected = ", ".join(map(str, defaults))
        for port in mismatched:
            yield Finding(
                f"{subject(workload)} maps container port {port.container_start}, but "
                f"`{image.value.written}` listens on {expected} by default",
                port.span,
                workload.name,
                _field(port),
            )
