"""CL5xx: how the project's networks are defined."""

from __future__ import annotations

from composelint.model import Project
from composelint.rules.base import Finding, Severity, rule
from composelint.rules.wording import list_entry, network_option, noun, setting_name, subject
from composelint.topology import (
    BINDING_OPTION,
    DATA_SERVICE_IMAGES,
    NAMESPACE_READS,
    PUBLISH_READS,
    is_external,
    is_wildcard,
    network_members,
)

ICC_OPTION = "com.docker.network.bridge.enable_icc"
GATEWAY_MODES = ("com.docker.network.bridge.gateway_mode_ipv4", "com.docker.network.bridge.gateway_mode_ipv6")
TRUSTED_INTERFACES = "com.docker.network.bridge.trusted_host_interfaces"


def _defined(project: Project):
    """Networks the project creates: an external one is only looked up, its declared settings do nothing."""
    return [network for network in project.networks.values() if not is_external(network)]


@rule(
    "CL501",
    "bridge-binds-all-interfaces",
    "warning",
    "network",
    reads=("network.driver_opts", "network.external"),
)
def bridge_binds_all_interfaces(project: Project):
    """A network makes every published port bind all interfaces.

    ## What it does
    Reports `com.docker.network.bridge.host_binding_ipv4` (or `-o` of
    `docker network create`) set to a wildcard address.

    ## Why is this bad?
    Every port published on the network without an explicit host IP is
    reachable from every network the host is on; setting the wildcard on
    purpose removes the chance to make it local.

    ## Example
    ```yaml
    networks:
      front:
        driver_opts:
          com.docker.network.bridge.host_binding_ipv4: "0.0.0.0"
    ```

    ## Use instead
    ```yaml
    networks:
      front:
        driver_opts:
          com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"
    ```
    """
    for network in _defined(project):
        option = network.driver_opts.get(BINDING_OPTION)
        if option is not None and is_wildcard(option.value.strip()):
            yield Finding(
                f"Network `{network.key}` binds published ports to all interfaces (`{option.value}`)",
                option.span,
                None,
                f"networks.{network.key}.driver_opts",
            )


@rule(
    "CL502", "unprotected-gateway-mode", "error", "network", reads=("network.driver_opts", "network.external")
)
def unprotected_gateway_mode(project: Project):
    """A bridge gateway mode that exposes container ports without publishing.

    ## What it does
    Reports `gateway_mode_ipv4`/`_ipv6` set to `nat-unprotected` (error) or
    `routed` (warning), and `trusted_host_interfaces` (warning), in
    `driver_opts` or as `-o` of `docker network create`.

    ## Why is this bad?
    With `nat-unprotected`, every container port, published or not, is
    reachable by direct routing; `routed` drops NAT and ignores host IPs;
    trusted interfaces get direct access to container addresses.

    ## Example
    ```yaml
    networks:
      lan:
        driver_opts:
          com.docker.network.bridge.gateway_mode_ipv4: nat-unprotected
    ```

    ## Use instead
    ```yaml
    networks:
      lan:
        driver_opts:
          com.docker.network.bridge.gateway_mode_ipv4: nat
    ```
    """
    for network in _defined(project):
        for option_key in GATEWAY_MODES:
            option = network.driver_opts.get(option_key)
            if option is None:
                continue
            mode = option.value.strip().lower()
            if mode == "nat-unprotected":
                yield Finding(
                    f"Network `{network.key}` sets `{option_key.rsplit('.', 1)[-1]}: nat-unprotected`: "
                    "unpublished container ports are reachable by direct routing",
                    option.span,
                    None,
                    f"networks.{network.key}.{option_key}",
                )
            elif mode == "routed":
                yield Finding(
                    f"Network `{network.key}` uses routed gateway mode: no NAT, host IPs of published "
                    "ports are ignored",
                    option.span,
                    None,
                    f"networks.{network.key}.{option_key}",
                    severity=Severity.WARNING,
                )
        trusted = network.driver_opts.get(TRUSTED_INTERFACES)
        if trusted is not None:
            yield Finding(
                f"Network `{network.key}` trusts host interfaces `{trusted.value}` with direct access "
                "to container addresses",
                trusted.span,
                None,
                f"networks.{network.key}.{TRUSTED_INTERFACES}",
                severity=Severity.WARNING,
            )


@rule(
    "CL503",
    "l2-network-driver",
    "warning",
    "network",
    default_on=False,
    reads=("network.driver", "network.external"),
)
def l2_network_driver(project: Project):
    """A macvlan or ipvlan network puts containers on the host's LAN.

    ## What it does
    Reports networks with `driver: macvlan` or `driver: ipvlan`, and
    `docker network create -d macvlan` / `-d ipvlan`.  Opt-in: such a
    network is never an accident (it names the host's interface and the
    LAN's subnet), and on real repositories every one was the documented
    design of the setup (Oracle RAC, network appliances, labs teaching it);
    ports published on it are still reported (CL211).

    ## Why is this bad?
    Containers get their own addresses on the physical network: published
    port semantics, Docker's firewall rules and host firewalls no longer
    stand between them and the LAN.

    ## Example
    ```yaml
    networks:
      lan:
        driver: macvlan
        driver_opts:
          parent: eth0
    ```

    ## Use instead
    ```yaml
    networks:
      lan:
        driver: bridge
    ```
    """
    for network in _defined(project):
        if network.driver is not None and network.driver.value in ("macvlan", "ipvlan"):
            yield Finding(
                f"Network `{network.key}` uses the `{network.driver.value}` driver: containers sit on the "
                "host's LAN, bypassing published ports and host firewalls",
                network.driver.span,
                None,
                f"networks.{network.key}.driver",
            )


@rule(
    "CL504",
    "icc-enabled",
    "info",
    "network",
    default_on=False,
    references=("CIS Docker 2.2 [2.1]",),
    reads=("network.driver", "network.driver_opts", *NAMESPACE_READS),
)
def icc_enabled(project: Project):
    """A bridge network shared by several workloads lets all of them talk to each other.

    ## What it does
    Reports a bridge network the project creates, with two or more member
    workloads, that does not set `com.docker.network.bridge.enable_icc:
    "false"`.  Opt-in: most projects need their services to talk, and only
    you know which do not.

    ## Why is this bad?
    Inter-container communication is on by default on user-defined bridges:
    a compromised container reaches every port of every other member,
    published or not.  Splitting networks by what must talk (and turning
    ICC off where nothing should) limits lateral movement.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        networks: [shared]
      worker:
        image: alpine:3.20
        networks: [shared]
    networks:
      shared: {}
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        networks: [shared]
      worker:
        image: alpine:3.20
        networks: [shared]
    networks:
      shared:
        driver_opts:
          com.docker.network.bridge.enable_icc: "false"
    ```
    """
    for network in _defined(project):
        if network.driver_name != "bridge":
            continue
        option = network.driver_opts.get(ICC_OPTION)
        members = network_members(project, network)
        if len(members) >= 2 and (option is None or option.value.strip().lower() not in ("false", "0", "f")):
            names = ", ".join(f"`{w.name}`" for w in members)
            yield Finding(
                f"Network `{network.key}` lets its members ({names}) reach every port of each other: "
                "inter-container communication is on",
                option.span if option else network.span,
                None,
                f"networks.{network.key}.{ICC_OPTION}",
                help=f"If they need not talk, set {network_option(project, network, ICC_OPTION, 'false')}",
            )


@rule(
    "CL505",
    "overlay-not-encrypted",
    "warning",
    "network",
    default_on=False,
    references=("CIS Docker 7.3 [7.4]",),
    reads=("network.driver", "network.driver_opts", "network.external"),
)
def overlay_not_encrypted(project: Project):
    """An overlay network does not encrypt its traffic.

    ## What it does
    Reports `driver: overlay` without `driver_opts: {encrypted: ...}`, and
    `docker network create -d overlay` without `-o encrypted`.  Opt-in: it
    reports a protection not added (like the hardening rules), and on real
    repositories every one was a reference page or lab showing overlay
    networking.

    ## Why is this bad?
    Overlay traffic crosses the network between swarm nodes in clear text
    (VXLAN); anyone on the path can read it.

    ## Example
    ```yaml
    networks:
      mesh:
        driver: overlay
    ```

    ## Use instead
    ```yaml
    networks:
      mesh:
        driver: overlay
        driver_opts:
          encrypted: "true"
    ```
    """
    for network in _defined(project):
        if (
            network.driver is not None
            and network.driver.value == "overlay"
            and "encrypted" not in network.driver_opts
        ):
            yield Finding(
                f"Overlay network `{network.key}` is not encrypted: traffic between nodes is clear text",
                network.driver.span,
                None,
                f"networks.{network.key}.driver_opts",
                help="Add " + network_option(project, network, "encrypted", "true"),
            )


@rule(
    "CL506",
    "backend-network-not-internal",
    "info",
    "network",
    default_on=False,
    reads=("image", "ports", "publish_all", *PUBLISH_READS),
)
def backend_network_not_internal(project: Project):
    """A network of data services that publish nothing is not internal.

    ## What it does
    Reports a network the project creates whose members publish no ports
    and include a data-service image (postgres, mysql, mariadb, redis,
    mongo, elasticsearch, memcached, couchdb, influxdb, cassandra, neo4j,
    rabbitmq), when it is not `internal: true`.  Opt-in: a data service may
    need outbound access (replication, backups to a remote store).

    ## Why is this bad?
    A backend network with a gateway gives the database outbound access to
    the internet: a compromised database can exfiltrate data or fetch tools.
    `internal: true` keeps it reachable by its peers only.

    ## Example
    ```yaml
    services:
      api:
        image: ghcr.io/example/api:1.8.0
        networks: [backend]
      db:
        image: postgres:17
        networks: [backend]
    networks:
      backend: {}
    ```

    ## Use instead
    ```yaml
    services:
      api:
        image: ghcr.io/example/api:1.8.0
        networks: [backend]
      db:
        image: postgres:17
        networks: [backend]
    networks:
      backend:
        internal: true
    ```
    """
    for network in _defined(project):
        if network.internal and network.internal.value:
            continue
        members = network_members(project, network)
        data = [w for w in members if w.image and w.image.value.repository in DATA_SERVICE_IMAGES]
        if data and not any(w.ports or (w.publish_all and w.publish_all.value) for w in members):
            yield Finding(
                f"Network `{network.key}` carries data services ({', '.join(f'`{w.name}`' for w in data)}) "
                "and publishes nothing, but it is not internal: its members have outbound access",
                network.span,
                None,
                f"networks.{network.key}.internal",
                help="Add `internal: true` (`docker network create --internal`) if nothing needs egress",
            )


@rule("CL507", "host-gateway-alias", "info", "network", default_on=False, reads=("extra_hosts",))
def host_gateway_alias(project: Project):
    """A container gets an explicit route to the host's services.

    ## What it does
    Reports `extra_hosts` / `--add-host` entries that map a name to
    `host-gateway`.  Opt-in: it is a documented way to reach a service on
    the host on purpose.

    ## Why is this bad?
    The container can reach every service the host exposes on its bridge
    gateway address, including ones meant for the host only; worth a
    review where it is not needed.

    ## Example
    ```yaml
    services:
      app:
        image: ghcr.io/example/app:2.4.1
        extra_hosts:
          - "host.docker.internal:host-gateway"
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: ghcr.io/example/app:2.4.1
    ```
    """
    for workload in project.workloads:
        for host in workload.extra_hosts:
            if host.value.address == "host-gateway":
                yield Finding(
                    f"{subject(workload)} maps {list_entry(workload, 'extra_hosts', host.value.written)} to the "
                    "host's gateway: it can reach services on the host",
                    host.span,
                    workload.name,
                    f"extra_hosts[{host.value.name}]",
                )


@rule("CL508", "legacy-links", "info", "network", default_on=False, reads=("links", "external_links"))
def legacy_links(project: Project):
    """Legacy container links are used.

    ## What it does
    Reports `links`, `external_links` and `--link`.  Opt-in (`--select
    CL508`): on real projects a link changes nothing about isolation (on a
    project's own network it is an alias of a name that already resolves;
    on the default bridge it is how the image's documentation connects two
    containers), and every one judged by hand on real repositories was
    noise.

    ## Why is this bad?
    Links are a legacy mechanism of the default bridge; on user-defined
    networks containers find each other by service name, and links only
    add implicit coupling (and environment variables that leak settings).

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        links: [db]
      db:
        image: postgres:17
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        depends_on: [db]
      db:
        image: postgres:17
    ```
    """
    for workload in project.workloads:
        for name, links in (("links", workload.links), ("external_links", workload.external_links)):
            for link in links:
                yield Finding(
                    f"{subject(workload)} uses legacy {setting_name(workload, name)} to `{link.value}`; "
                    f"{noun(workload)}s reach each other by name on a user-defined network",
                    link.span,
                    workload.name,
                    f"{name}[{link.value}]",
                )
