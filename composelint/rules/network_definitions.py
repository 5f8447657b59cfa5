"""CL5xx: how the project's networks are defined."""

from __future__ import annotations

from composelint.model import Project
from composelint.rules.base import Finding, rule
from composelint.rules.wording import key, network_option, noun, subject
from composelint.topology import BINDING_OPTION, is_external, is_wildcard

GATEWAY_MODES = ("com.docker.network.bridge.gateway_mode_ipv4", "com.docker.network.bridge.gateway_mode_ipv6")
TRUSTED_INTERFACES = "com.docker.network.bridge.trusted_host_interfaces"


def _defined(project: Project):
    """Networks the project creates: an external one is only looked up, its declared settings do nothing."""
    return [network for network in project.networks.values() if not is_external(network)]


@rule("CL501", "bridge-binds-all-interfaces", "warning", "network")
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
            yield Finding(f"Network `{network.key}` binds published ports to all interfaces (`{option.value}`)",
                          option.span, None, f"networks.{network.key}.driver_opts")


@rule("CL502", "unprotected-gateway-mode", "error", "network")
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
        for key in GATEWAY_MODES:
            option = network.driver_opts.get(key)
            if option is None:
                continue
            mode = option.value.strip().lower()
            if mode == "nat-unprotected":
                yield Finding(f"Network `{network.key}` sets `{key.rsplit('.', 1)[-1]}: nat-unprotected`: "
                              "unpublished container ports are reachable by direct routing",
                              option.span, None, f"networks.{network.key}.{key}")
            elif mode == "routed":
                yield Finding(f"Network `{network.key}` uses routed gateway mode: no NAT, host IPs of published "
                              "ports are ignored", option.span, None, f"networks.{network.key}.{key}", severity="warning")
        trusted = network.driver_opts.get(TRUSTED_INTERFACES)
        if trusted is not None:
            yield Finding(f"Network `{network.key}` trusts host interfaces `{trusted.value}` with direct access "
                          "to container addresses", trusted.span, None, f"networks.{network.key}.{TRUSTED_INTERFACES}",
                          severity="warning")


@rule("CL503", "l2-network-driver", "warning", "network")
def l2_network_driver(project: Project):
    """A macvlan or ipvlan network puts containers on the host's LAN.

    ## What it does
    Reports networks with `driver: macvlan` or `driver: ipvlan`, and
    `docker network create -d macvlan` / `-d ipvlan`.

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
            yield Finding(f"Network `{network.key}` uses the `{network.driver.value}` driver: containers sit on the "
                          "host's LAN, bypassing published ports and host firewalls",
                          network.driver.span, None, f"networks.{network.key}.driver")


@rule("CL505", "overlay-not-encrypted", "warning", "network", references=("CIS Docker 7.3 [7.4]",))
def overlay_not_encrypted(project: Project):
    """An overlay network does not encrypt its traffic.

    ## What it does
    Reports `driver: overlay` without `driver_opts: {encrypted: ...}`, and
    `docker network create -d overlay` without `-o encrypted`.

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
        if network.driver is not None and network.driver.value == "overlay" and "encrypted" not in network.driver_opts:
            yield Finding(f"Overlay network `{network.key}` is not encrypted: traffic between nodes is clear text",
                          network.driver.span, None, f"networks.{network.key}.driver_opts",
                          help="Add " + network_option(project, network, "encrypted", "true"))


@rule("CL508", "legacy-links", "info", "network")
def legacy_links(project: Project):
    """Legacy container links are used.

    ## What it does
    Reports `links`, `external_links` and `--link`.

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
                yield Finding(f"{subject(workload)} uses legacy {key(workload, name)} to `{link.value}`; "
                              f"{noun(workload)}s reach each other by name on a user-defined network",
                              link.span, workload.name, f"{name}[{link.value}]")
