"""CL1xx: which network namespace a workload runs in."""

from __future__ import annotations

from composelint.model import Project, Workload
from composelint.records import replace
from composelint.requirements import justified
from composelint.rules.base import Finding, Fix, Group, Options, Severity, rule, workload_group
from composelint.rules.edits import add_network, host_to_bridge, remove_key, remove_setting, workload_fix
from composelint.rules.wording import (
    from_command_line,
    noun,
    ports_hint,
    rejected_by,
    setting,
    setting_name,
    subject,
)
from composelint.topology import (
    NAMESPACE_READS,
    host_network_evidence,
    namespace,
    on_default_bridge,
    shared_target,
    suggested_mappings,
    workload_named,
)
from composelint.types import Origin


@rule(
    "CL101",
    "host-network",
    "error",
    "network",
    references=("CIS Docker 5.10 [5.9]", "OWASP Docker D4"),
    options={"known-images": {}},
    reads=(*NAMESPACE_READS, "image", "command", "remove", "detach"),
    fix="unsafe",
    lasting_hosts_only=True,
)
def host_network(project: Project, options: Options):
    """The workload uses the host's network namespace.

    ## What it does
    Reports `network_mode: host`, attachment to a network whose driver is
    `host` or to an external network named `host`, and `--network host` /
    `--net=host` of `docker run`, `create` and `service create` (podman and
    nerdctl alike).  Not reported for an image whose own documentation
    requires the host network (Home Assistant, Homebridge and ESPHome for
    discovery on the local network, node-exporter for host metrics, UpSnap
    for Wake-on-LAN, WatchYourLAN's LAN scan, Syncthing's local discovery,
    eufy-security-ws's stations and the Omada controller's devices found by
    broadcast, Autoware's ROS 2 nodes; the table with each page is
    `composelint/data/image-requirements.json`).  Nor in a Markdown document
    whose section explains it, naming the host network (`--network host`,
    "host networking").

    Not reported for a one-off network client: `docker run --rm` (podman and
    nerdctl alike) in the foreground, without `-d`, whose command is a
    client (`curl`, `wget`, `psql`, `mysql`, `redis-cli`, `mongosh`, `dig`,
    `grpcurl`, `nc` without `-l`, `iperf3 -c`, `openssl s_client`, ...).  It
    listens on nothing and ends with its command: host networking is how it
    reaches a service on the host's localhost, and it exposes nothing.  A
    detached or kept container, a server command or no command at all, and
    a compose service (which `up` starts too) are still reported.

    ## Why is this bad?
    With host networking the container shares every interface and port of
    the host.  It can reach services bound to `127.0.0.1` on the host and,
    once compromised, scan and attack the host's whole network.  Published
    ports are discarded, so nothing limits what it listens on.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        network_mode: host
    ```

    ## Use instead
    Run on a bridge network and publish only what is needed, on loopback
    unless it must be reachable from other machines:
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports:
          - "127.0.0.1:80:80"
    ```
    """
    for workload in project.workloads:
        evidence = host_network_evidence(project, workload)
        if evidence is None or justified(project, workload, "network_mode", "host"):
            continue
        if _one_off_client(workload):
            continue  # ends with its command and listens on nothing
        mappings = suggested_mappings(workload, options["known-images"])
        help_text = (
            f"Remove host networking so the {noun(workload)} gets its own network namespace "
            "on a bridge network"
        )
        if mappings:
            help_text += ", and publish what it serves with " + ports_hint(workload, mappings)
        own = workload.network_mode is not None and workload.network_mode.span == evidence
        # The fix publishes the ports written (on loopback), or what the help suggests without any.
        published = suggested_mappings(replace(workload, expose=[])) if workload.ports else mappings
        edits = host_to_bridge(project, workload, published) if own else ()
        yield Finding(
            f"{subject(workload)} uses the host network: it shares every host interface, "
            "can reach services bound to localhost, and a compromise can scan and attack the host's network",
            evidence,
            workload.name,
            "network_mode",
            help=help_text,
            fix=workload_fix(
                project,
                workload,
                "unsafe",
                "Leave the host network" + (", publish " + ", ".join(published) if published else ""),
                edits,
            ),
        )


# Commands that only connect out: a container running one listens on nothing.
_CLIENTS = frozenset(
    {"curl", "wget", "psql", "mysql", "mariadb", "redis-cli", "valkey-cli", "mongosh", "dig", "nslookup"}
    | {"host", "ping", "grpcurl", "http", "https"}
)
# Commands that connect out only with one of these arguments (`iperf3 -s` is a server).
_CLIENTS_WITH = {"iperf3": {"-c", "--client"}, "iperf": {"-c", "--client"}, "openssl": {"s_client"}}
# Images named after the client their entrypoint runs (`curlimages/curl -fsS URL`); not `mysql` or
# `mongo`, whose entrypoint given only options starts the server.
_CLIENT_IMAGES = frozenset({"curl", "grpcurl", "iperf3", "iperf"})
_RUN_ORIGINS = frozenset({Origin.DOCKER_RUN, Origin.PODMAN_RUN, Origin.NERDCTL_RUN})


def _one_off_client(workload: Workload) -> bool:
    """`docker run --rm` in the foreground of a network client: it ends with its command, removed,
    and listens on nothing."""
    if workload.origin not in _RUN_ORIGINS or not workload.command:
        return False
    if not (workload.remove and workload.remove.value) or (workload.detach and workload.detach.value):
        return False
    words = [word.value for word in workload.command]
    if words[0].startswith("-") and workload.image and workload.image.value.basename in _CLIENT_IMAGES:
        words.insert(0, workload.image.value.basename)  # only options: the image's client runs
    from pathlib import PurePosixPath  # here: only a `docker run` needs it (4 M instructions to import)

    program, arguments = PurePosixPath(words[0]).name, set(words[1:])  # `/usr/bin/curl` is curl
    if program in ("nc", "ncat"):  # a client unless it listens: `-l`, `-lvp 8080`, `--listen`
        return not any(a == "--listen" or (a[:1] == "-" and a[1:2] != "-" and "l" in a) for a in arguments)
    return program in _CLIENTS or bool(arguments & _CLIENTS_WITH.get(program, set()))


@rule(
    "CL102",
    "shared-network-namespace",
    "warning",
    "network",
    options={"siblings": False},
    reads=NAMESPACE_READS,
)
def shared_network_namespace(project: Project, options: Options):
    """The workload joins another container's network namespace.

    ## What it does
    Reports `network_mode: service:X`, `network_mode: container:X` and
    `--network container:X` whose chain, followed to its end, reaches the
    host network: an error naming the chain (`web -> proxy -> host`).
    Joining a container that has a namespace of its own (a VPN or Tailscale
    sidecar, a client attached to its server, a container in a Podman pod)
    is the sidecar pattern, chosen on purpose: it is reported, as a
    warning, only with the rule option `siblings: true`
    (`rules: {CL102: {siblings: true}}`), and never for a pod's members.

    ## Why is this bad?
    Both containers share interfaces, ports and localhost.  A compromise of
    either reaches everything the other listens on, and the joining workload
    silently inherits the other's exposure, including host networking.

    ## Example
    ```yaml
    services:
      proxy:
        image: traefik:3.1
        network_mode: host
      sidecar:
        image: alpine:3.20
        network_mode: service:proxy
    ```

    ## Use instead
    Put both on a user-defined network and talk over it:
    ```yaml
    services:
      proxy:
        image: traefik:3.1
        networks: [edge]
      sidecar:
        image: alpine:3.20
        networks: [edge]
    networks:
      edge: {}
    ```
    """
    for workload in project.workloads:
        target = shared_target(workload)
        if target is None or workload.network_mode is None:
            continue
        prefix, name = target
        ns = namespace(project, workload)
        if ns.kind == "unknown-service":
            continue  # CL106 reports the missing service
        if ns.is_host:
            chain = " -> ".join(ns.chain + ("host",))
            yield Finding(
                f"{subject(workload)} shares the network namespace of `{name}`, which runs on the host "
                f"network ({chain}): it is effectively in host mode",
                workload.network_mode.span,
                workload.name,
                "network_mode",
                severity=Severity.ERROR,
                related=(ns.evidence,) if ns.evidence else (),
            )
        elif options["siblings"] and not _in_pod(project, name):
            yield Finding(
                f"{subject(workload)} shares the network namespace of {prefix} `{name}`: "
                "both see each other's interfaces, ports and localhost",
                workload.network_mode.span,
                workload.name,
                "network_mode",
            )


def _in_pod(project: Project, name: str) -> bool:
    """The namespace joined is a Podman pod's: its members share it by design."""
    return any(w.name == name and w.origin == Origin.PODMAN_POD_CREATE for w in project.workloads)


@rule("CL103", "build-host-network", "warning", "network", reads=("build.network",))
def build_host_network(project: Project):
    """The image build runs on the host network.

    ## What it does
    Reports `build.network: host`, and `docker build --network host` /
    `docker buildx build --network=host` (podman and nerdctl alike) in a
    script.

    ## Why is this bad?
    Every `RUN` step of the build can reach the host's interfaces and
    services bound to localhost; a malicious dependency fetched during the
    build runs with that reach.

    ## Example
    ```yaml
    services:
      app:
        build:
          context: .
          network: host
    ```

    ## Use instead
    ```yaml
    services:
      app:
        build:
          context: .
    ```
    """
    for workload in project.workloads:
        if workload.build_network is not None and workload.build_network.value == "host":
            yield Finding(
                f"Service `{workload.name}` builds its image on the host network",
                workload.build_network.span,
                workload.name,
                "build.network",
                help="Remove `network: host` from `build:`; the default build network has outbound access",
            )
    for build in project.builds:
        if build.network is not None and build.network.value == "host":
            yield Finding(
                "The image build runs on the host network (`--network host`)",
                build.network.span,
                None,
                "build.network",
                help="Remove `--network host`; the default build network has outbound access",
            )


@rule(
    "CL104",
    "default-bridge",
    "info",
    "network",
    references=("CIS Docker 5.30 [5.29]",),
    options={"implicit": False},
    reads=NAMESPACE_READS,
    fix="unsafe",
)
def default_bridge(project: Project, options: Options):
    """The workload explicitly uses the legacy default bridge `docker0`.

    ## What it does
    Reports `network_mode: bridge` and `network_mode: default` (`--network
    bridge` / `--network default` on the command line) in a project that
    starts more than one workload.  A project of a single workload (a
    one-container app of an app store) has no peer that a network of its
    own would separate it from or let it find by name.  With the
    option `implicit: true`, also a container started from the command line
    (`docker run`, `docker create`) without a network, which lands on the
    default bridge as well.

    ## Why is this bad?
    On the default bridge there is no DNS between containers and traffic
    between all containers of the host is open by default.  A user-defined
    network isolates the project's containers from everybody else's.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        network_mode: bridge
      app:
        image: ghcr.io/example/app:1.4.0
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
      app:
        image: ghcr.io/example/app:1.4.0
    ```
    """
    alone = len(project.workloads) == 1
    for workload in project.workloads:
        mode = workload.network_mode
        if mode is not None and mode.value in ("bridge", "default"):
            if alone:
                continue
            if from_command_line(workload):
                help_text = (
                    "Create a network (`docker network create NAME`) and start it with `--network NAME`"
                )
            else:
                help_text = "Remove `network_mode` to use the project's own network"
            removal = (
                None
                if from_command_line(workload)
                else remove_setting(project, workload, "network_mode", mode.span)
            )
            yield Finding(
                f"{subject(workload)} uses the legacy default bridge "
                f"({setting(workload, 'network_mode', mode.value)}): "
                "no DNS between containers and traffic open to every container on the host",
                mode.span,
                workload.name,
                "network_mode",
                help=help_text,
                fix=workload_fix(
                    project,
                    workload,
                    "unsafe",
                    "Remove `network_mode` to use the project's network",
                    (removal,),
                ),
            )
        elif options["implicit"] and on_default_bridge(workload):
            yield Finding(
                f"{subject(workload)} starts without a network, so it runs on the legacy default "
                "bridge: no DNS between containers and traffic open to every container on the host",
                workload.span,
                workload.name,
                "network_mode",
                help="Create a network (`docker network create NAME`) and start it with `--network NAME`",
            )


_CONFLICTS_WITH_SHARED = (
    "ports",
    "expose",
    "dns",
    "dns_search",
    "extra_hosts",
    "links",
    "hostname",
    "mac_address",
)


@rule("CL105", "network-mode-conflict", "error", "network", reads=NAMESPACE_READS, fix="unsafe")
def network_mode_conflict(project: Project):
    """Network settings that Docker rejects or ignores together.

    ## What it does
    Reports `network_mode` together with `networks`; `network_mode:
    service:X` or `container:X` together with `ports`, `expose`, `dns`,
    `dns_search`, `extra_hosts`, `links`, `hostname` or `mac_address`; and
    host networking together with `links`.  On the command line the same
    settings are `--network container:X` with `-p`, `--expose`, `--dns`,
    `--dns-search`, `--add-host`, `--link`, `--hostname` or
    `--mac-address`; `--network host` with `--link`; and a mode such as
    `--network host` together with a user-defined `--network`.  The
    settings of one workload that conflict with the namespace it shares
    are one finding, at the first of them, naming them all (the others are
    its related locations).

    ## Why is this bad?
    Compose refuses `network_mode` with `networks`, and the Engine refuses
    the others with "conflicting options": the project does not start, or a
    setting the author relies on silently does nothing.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        network_mode: service:db
        ports:
          - "127.0.0.1:8080:8080"
      db:
        image: postgres:17
    ```

    ## Use instead
    Publish the port on the service that owns the namespace:
    ```yaml
    services:
      app:
        image: alpine:3.20
        network_mode: service:db
      db:
        image: postgres:17
        ports:
          - "127.0.0.1:8080:8080"
    ```
    """
    for workload in project.workloads:
        mode = workload.network_mode
        if mode is not None and "networks" in workload.keys and workload.networks:
            if from_command_line(workload):
                both = f"{setting(workload, 'network_mode', mode.value)} and a user-defined `--network`"
            else:
                both = "`network_mode` and `networks`"
            yield Finding(
                f"{subject(workload)} sets both {both}; {rejected_by(workload)} rejects this",
                workload.keys["networks"],
                workload.name,
                "networks",
                related=(mode.span,),
            )
        if mode is not None and shared_target(workload) is not None:
            shares = (
                f" but shares another container's network namespace "
                f"({setting(workload, 'network_mode', mode.value)}); the Engine rejects this"
            )
            for name in _CONFLICTS_WITH_SHARED:
                if name in workload.keys:
                    yield Finding(
                        f"{subject(workload)} sets {setting_name(workload, name)}{shares}",
                        workload.keys[name],
                        workload.name,
                        name,
                        related=(mode.span,),
                        fix=_conflict_removal(project, workload, name),
                        group=Group(
                            workload_group("shared namespace", workload),
                            setting_name(workload, name),
                            f"{subject(workload)} sets ",
                            shares,
                        ),
                    )
            continue
        host = host_network_evidence(project, workload)
        if host is not None and "links" in workload.keys:
            yield Finding(
                f"{subject(workload)} uses {setting_name(workload, 'links')} with host networking; "
                "the Engine rejects this",
                workload.keys["links"],
                workload.name,
                "links",
                related=(host,),
            )


@rule("CL106", "undefined-network", "error", "network", reads=("network_mode", "networks"), fix="safe")
def undefined_network(project: Project):
    """A service refers to a network or service that the project does not define.

    ## What it does
    Reports a service attached to a network missing from top-level
    `networks:` (the implicit `default` excepted), and `network_mode:
    service:X` where no service `X` exists.  Compose files only: a script's
    `--network NAME` may name a network created outside the script.  A
    project that declares no network at all is a fragment meant to be
    merged with a base file that declares them (an app template, an
    override): its attachments are not reported.  Lint the two together
    (`composelint check -f base.yaml -f fragment.yaml`, or `COMPOSE_FILE`
    in the project's `.env`) to check them.  Nor is an attachment to a
    network that a compose-named file with networks and no services
    declares in a directory above the project, inside the directory linted
    (an app store's `apps/docker-compose.common.yml`, merged with every
    `apps/<app>/docker-compose.yml`): a file that starts nothing is only
    ever merged.  An override merged with a base beside it is that base's,
    not the projects' below.  A file or directory named alone (command line, editor,
    pre-commit) is not given the files above it.

    ## Why is this bad?
    Compose refuses to start the project.  When the name was meant to be an
    existing network, say so explicitly with `external: true`.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        networks: [frontent]
    networks:
      frontend: {}
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        networks: [frontend]
    networks:
      frontend: {}
    ```
    """
    fragment = all(network.implicit for network in project.networks.values())
    for workload in project.workloads:
        if from_command_line(workload):
            continue  # a script's `--network NAME` may name a network created elsewhere
        for attachment in workload.networks:
            declared = attachment.name in project.networks or attachment.name in project.base_networks
            if not declared and attachment.name != "default" and not fragment:
                yield Finding(
                    f"Service `{workload.name}` attaches to network `{attachment.name}`, "
                    "which is not declared under top-level `networks:`",
                    attachment.span,
                    workload.name,
                    f"networks.{attachment.name}",
                    help="Declare it (with `external: true` if it is created elsewhere); if a base "
                    "file declares it, lint them together: `composelint check -f base.yaml -f this.yaml`",
                    fix=_declaration(project, attachment.name, attachment.span.path),
                )
        target, mode = shared_target(workload), workload.network_mode
        if target and mode and target[0] == "service" and workload_named(project, target[1]) is None:
            yield Finding(
                f"Service `{workload.name}` uses `network_mode: service:{target[1]}`, "
                f"but the project has no service `{target[1]}`",
                mode.span,
                workload.name,
                "network_mode",
            )


def _declaration(project: Project, name: str, path: str) -> Fix | None:
    edit = add_network(project, name, path)
    return Fix("safe", f"Declare network `{name}` under top-level `networks:`", (edit,)) if edit else None


def _conflict_removal(project: Project, workload: Workload, name: str) -> Fix | None:
    """Remove a compose setting Docker rejects or ignores in another container's namespace."""
    edit = None if from_command_line(workload) else remove_key(project, workload.keys[name])
    return workload_fix(
        project, workload, "unsafe", f"Remove `{name}`: the namespace's owner decides it", (edit,)
    )
