"""The network-config model: what will run, independent of the input format.

Compose services and (later) shell `docker run` invocations both become
`Workload` values here.  Every value a rule can point at carries the `Span`
where it was written, so a finding lands on the exact file, line and column.
This module imports only the shared vocabulary (composelint.types) and its dataclass decorator.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from composelint.records import field, record
from composelint.types import Origin, Span

T = TypeVar("T")


@record(frozen=True, slots=True)
class Located(Generic[T]):
    """A value together with the span of the text it came from."""

    value: T
    span: Span


@record(frozen=True)
class ImageRef:
    """An image reference, parsed: `written` as in the file, `name` without tag and digest.

    `repository` is the name as Docker Hub users know it (`docker.io/library/`
    removed, lower case: `nginx`, `grafana/grafana`, `ghcr.io/a/b`);
    `basename` is its last path component (`api`)."""

    written: str
    name: str
    tag: str | None
    digest: str | None
    repository: str
    basename: str


@record(frozen=True)
class Capability:
    """A Linux capability as written, and its name without `CAP_` in upper case (`SYS_ADMIN`).

    `is_all` is the Engine's `ALL` (any case); `CAP_ALL` is not it."""

    written: str
    name: str
    is_all: bool


@record(frozen=True)
class Limit:
    """A resource limit: its text and its amount (bytes of memory, CPUs, a CPU quota, PIDs).

    `amount` is None when the text is no amount Docker accepts (`12x`, `cpuset 0-1`)."""

    written: str
    amount: float | None

    @property
    def unlimited(self) -> bool:
        """Zero or negative (empty text counts as 0): the Engine sets no limit."""
        return self.amount is not None and self.amount <= 0


@record(frozen=True)
class RestartPolicy:
    """`on-failure:5` -> name `on-failure`, retries 5; retries 0 means no count was given, None a
    count past the integer bound (unknown)."""

    written: str
    name: str
    retries: int | None


@record(frozen=True, slots=True)
class PortBinding:
    """One published port entry, normalised from any syntax.

    `host_start is None` means Docker picks a random host port.  `host_ip is
    None` means no address was written (the network default applies: all
    interfaces unless the network says otherwise).
    """

    raw: str
    span: Span
    container_start: int
    container_end: int
    protocol: str = "tcp"
    host_ip: str | None = None
    host_start: int | None = None
    host_end: int | None = None
    syntax: str = "short"  # short | long | cli
    plain_scalar: bool = False  # written as an unquoted YAML scalar
    from_variable: bool = False
    # The variable reference written as the host IP (`${BIND_IP}:80:80` -> `${BIND_IP}`).
    host_ip_variable: str | None = None
    # An earlier all-interfaces binding of the same port that Compose keeps
    # beside this one (an override "narrowing" a port only appends to the list).
    kept_beside: Span | None = None

    @property
    def host_range(self) -> range | None:
        if self.host_start is None:
            return None
        return range(self.host_start, (self.host_end or self.host_start) + 1)

    @property
    def container_ports(self) -> range:
        return range(self.container_start, self.container_end + 1)


@record(frozen=True)
class Exposed:
    """An `expose` / `--expose` entry (`80`, `80/udp`, `8000-8010`): its container ports, None when
    Docker rejects the entry, and its protocol in lower case (`tcp` when none is written)."""

    written: str
    ports: range | None
    protocol: str


@record(frozen=True)
class PortError:
    """A port entry Docker would reject, with the reason."""

    raw: str
    reason: str
    span: Span


@record(frozen=True)
class Mount:
    """A volume or bind mount.  `kind` is bind, volume, tmpfs, npipe, cluster or image.
    `in_unit_runtime_dir`: the source is written below a unit's `%t`, which is `/run` for the
    system manager and `/run/user/<uid>` for a user's: `source` says `/run`, and which of the two
    it is depends on where the unit is installed."""

    kind: str
    source: str | None
    target: str | None
    read_only: bool
    propagation: str | None
    span: Span
    source_span: Span | None = None
    propagation_span: Span | None = None
    in_unit_runtime_dir: bool = False


@record(frozen=True)
class Sysctl:
    """`net.ipv4.ip_forward=1`: the name and value as written (blanks around them dropped) and `key`,
    the name with `.` separators (the runtime accepts `net/ipv4/ip_forward` alike)."""

    written: str
    name: str
    value: str
    key: str


@record(frozen=True)
class Device:
    """A `devices` / `--device` entry: `path` is its host side (`/dev/sda` of `/dev/sda:/dev/xvda:rwm`),
    or the whole name of a CDI device (`nvidia.com/gpu=all`, `cdi` true)."""

    written: str
    path: str
    cdi: bool


@record(frozen=True)
class SecurityOption:
    """One `security_opt` / `--security-opt` entry as the daemon splits it.

    `key` and `value` are cut at the first `=` (or, deprecated, `:`): `seccomp:unconfined` ->
    seccomp, unconfined; the bare `no-new-privileges` has no value, the bare `disable` is
    `label=disable`.  `switch` is the value as a Go boolean (the bare `no-new-privileges` is
    true); None when it is no boolean."""

    written: str
    key: str
    value: str | None
    switch: bool | None


@record(frozen=True)
class User:
    """`user` / `--user` / `exec -u`: `name` (a name or a UID) and `group` (None when not written).

    `is_root` says the runtime resolves it to UID 0: the name `root`, a UID that reads as 0
    (`0`, `00`, `+0`), or no user part before the group (`:1000` keeps UID 0)."""

    written: str
    name: str
    group: str | None
    is_root: bool


@record(frozen=True)
class Tmpfs:
    """A tmpfs mount: its target, the options as written and `allows`, which of `exec`, `suid`
    and `dev` are on once the options are merged onto Docker's `noexec,nosuid,nodev` (the
    last of `exec`/`noexec` wins)."""

    written: str
    target: str
    options: tuple[str, ...]
    allows: tuple[str, ...]


@record(frozen=True)
class ExtraHost:
    """An `extra_hosts` / `--add-host` entry: `name=address` or `name:address` (cut at the first `=`,
    else the first `:`, so an IPv6 address keeps its colons); `address` may be `host-gateway`."""

    written: str
    name: str
    address: str


@record(frozen=True)
class Variable:
    """One `KEY=VALUE` entry of a workload's environment or labels.

    `value` is None for a bare `KEY` (passed through from the caller's
    environment); `literal` is False when the value came from a `${VAR}`
    reference or a shell variable, so it is not written in the file."""

    name: str
    value: str | None
    span: Span
    literal: bool = True


@record(frozen=True, slots=True)
class NetworkAttachment:
    """A workload's membership in a (project-level) network."""

    name: str
    span: Span


@record
class Network:
    """A network definition (compose top-level `networks:` or `docker network create`)."""

    key: str
    span: Span
    name: Located[str] | None = None
    driver: Located[str] | None = None
    driver_opts: dict[str, Located[str]] = field(default_factory=dict)
    internal: Located[bool] | None = None
    external: Located[bool] | None = None
    enable_ipv6: Located[bool] | None = None
    attachable: Located[bool] | None = None
    implicit: bool = False  # compose's implicit `default` network

    @property
    def driver_name(self) -> str:
        return self.driver.value if self.driver else "bridge"

    @property
    def effective_name(self) -> str:
        return self.name.value if self.name else self.key


# Slots: rules walk every workload's settings many times over; without a __dict__ per workload the
# model is smaller and each setting is read directly (the rules of a 33,000-container script: -17%).
@record(slots=True)
class Workload:
    """A container-to-be: a compose service, or one `docker run` invocation."""

    name: str
    origin: Origin
    span: Span  # where the workload is declared (the service key)
    image: Located[ImageRef] | None = None
    network_mode: Located[str] | None = None
    networks: list[NetworkAttachment] = field(default_factory=list)
    ports: list[PortBinding] = field(default_factory=list)
    port_errors: list[PortError] = field(default_factory=list)
    expose: list[Located[Exposed]] = field(default_factory=list)
    publish_all: Located[bool] | None = None
    privileged: Located[bool] | None = None
    pid: Located[str] | None = None
    ipc: Located[str] | None = None
    uts: Located[str] | None = None
    userns: Located[str] | None = None
    cgroupns: Located[str] | None = None
    cap_add: list[Located[Capability]] = field(default_factory=list)
    cap_drop: list[Located[Capability]] = field(default_factory=list)
    security_opt: list[Located[SecurityOption]] = field(default_factory=list)
    devices: list[Located[Device]] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    use_api_socket: Located[bool] | None = None
    sysctls: list[Located[Sysctl]] = field(default_factory=list)
    extra_hosts: list[Located[ExtraHost]] = field(default_factory=list)
    links: list[Located[str]] = field(default_factory=list)
    external_links: list[Located[str]] = field(default_factory=list)
    dns: list[Located[str]] = field(default_factory=list)
    dns_search: list[Located[str]] = field(default_factory=list)
    hostname: Located[str] | None = None
    mac_address: Located[str] | None = None
    build_network: Located[str] | None = None
    profiles: tuple[str, ...] = ()  # Compose profiles; empty: started with every profile
    command: list[Located[str]] = field(default_factory=list)  # the command's words
    # A container started by a command line: removed when it ends (`--rm`), started in the background
    # (`--detach`, `-d`).  With neither of them written: None.
    remove: Located[bool] | None = None
    detach: Located[bool] | None = None
    environment: list[Variable] = field(default_factory=list)
    labels: list[Variable] = field(default_factory=list)
    # Hardening settings (CL6xx): present when written, None when absent.
    user: Located[User] | None = None
    read_only: Located[bool] | None = None
    memory_limit: Located[Limit] | None = None
    cpu_limit: Located[Limit] | None = None
    pids_limit: Located[Limit] | None = None
    healthcheck: Located[bool] | None = None  # True: one is defined; False: explicitly disabled
    restart: Located[RestartPolicy] | None = None
    cgroup_parent: Located[str] | None = None
    logging_driver: Located[str] | None = None
    tmpfs: list[Located[Tmpfs]] = field(default_factory=list)
    # Span of every key written for this workload (`ports` -> span of the key;
    # for a command line: the flag's word).
    keys: dict[str, Span] = field(default_factory=dict)
    # How its settings are spelled when they are not a compose file's keys nor a command line's
    # flags: "quadlet" (a Quadlet unit's keys) or "devcontainer" (devcontainer.json properties).
    syntax: str = ""
    # Where some of its settings are written in another syntax than `syntax`: "runArgs" (a
    # devcontainer.json's `runArgs`, command-line flags) or "devcontainer" (the devcontainer.json that
    # adds `privileged`, `capAdd`, ... to the compose service it names).  A setting written inside
    # one is named as it is written there.
    written_as: tuple[tuple[Span, str], ...] = ()
    # The systemd unit key whose command line starts it (`ExecStart`), if any.
    unit_key: str = ""
    # systemd listens on its ports and hands the sockets over (a `.socket` unit activates it).
    socket_activated: bool = False
    # When a script's container runs; `None`: together with every other workload (compose).
    runs: Run | None = None
    # Started on another machine than the one running the commands: through `ssh`, or against a
    # named daemon (`docker --context prod`, `-H ssh://...`, podman `--connection`/`--url`).
    remote: bool = False
    # A service container a CI job starts for itself (GitHub Actions `services:`): a server that
    # lives for the job, on the job's network.
    job_service: bool = False
    # The container a CI job's steps run in (GitHub Actions `container:`): the job's own client,
    # whatever its credentials reach, not a server started for the job.
    job_container: bool = False
    # What the prose of the document showing it names (a Markdown section around its code block), or
    # what a dev container feature it installs declares of it (docker-in-docker: `privileged`;
    # docker-outside-of-docker: `volumes=/var/run/docker.sock`, `security_opt=label`):
    # setting names of composelint/settings.py (`privileged`, `cap_add`) and `setting=value` for a
    # value named by itself (`cap_add=SYS_ADMIN`, `security_opt=apparmor`, `devices=/dev/fuse`).
    explained: frozenset[str] = frozenset()

    def explains(self, setting: str, value: str | None = None) -> bool:
        """The document showing this command names the setting, or this value of it, in its prose
        (an explained example of a reference page, lab or guide), or a dev container feature it
        installs declares it."""
        return setting in self.explained or (value is not None and self.explains_value(setting, value))

    def explains_value(self, setting: str, value: str) -> bool:
        """This value of the setting is named by itself (`volumes=/var/run/docker.sock`, which a
        dev container feature mounts), not only the setting (prose naming `-v` in any guide)."""
        return f"{setting}={value}" in self.explained


@record
class Run:
    """When a script's container runs, as positions in the order of the script's commands: from its
    own command until the one that stops or removes it (`docker stop NAME`), or only during its own
    when it runs in the foreground (the script waits for it to exit)."""

    start: int
    end: int | None  # None: still running when the script ends
    names: frozenset[str] = frozenset()  # what a `docker stop` may call it (`--name` as written too)

    def in_background(self) -> bool:
        """The script goes on while the container runs (`--detach`, `&`, `docker create`): a server
        it starts for its later commands, not a command it waits for."""
        return self.end != self.start


@record
class Exec:
    """`docker exec` in a script: a command run inside an existing container."""

    container: str
    span: Span  # the `exec` word
    privileged: Located[bool] | None = None
    user: Located[User] | None = None


@record
class Build:
    """An image build in a script (`docker build`, `docker buildx build`)."""

    span: Span  # the `build` word
    network: Located[str] | None = None


@record(frozen=True)
class Diagnostic:
    """An input problem found by a front end (codes CL0xx), turned into a finding by its rule.

    `settings` names the settings (composelint/settings.py) whose value is unknown (CL005,
    CL008): the front end does not know the rules, so their rule reports it only when a
    rule reads one of them, and names those rules."""

    code: str
    message: str
    span: Span
    related: tuple[Span, ...] = ()
    settings: tuple[str, ...] = ()


@record(frozen=True)
class Directive:
    """A `# composelint:` comment.

    `verb` is ignore, disable, enable or disable-file; `scope` is the span
    whose findings it covers (that line, the next node, or the rest of the
    file); `error` is set when the comment could not be parsed.
    """

    verb: str
    rules: tuple[str, ...]
    reason: str | None
    span: Span
    scope: Span
    error: str | None = None


@record(frozen=True)
class SourceFile:
    path: str
    role: str  # base | override | extends | include | env | script
    kind: str  # compose | shell | markdown | devcontainer | ... (the kinds of `--kind`)
    text: str


@record
class Project:
    """The unit of linting: what one `docker compose up` (or one script) starts."""

    name: str
    sources: list[SourceFile] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    networks: dict[str, Network] = field(default_factory=dict)
    # Networks declared for the project by a compose file with networks and no services in a
    # directory above it (inside the linted directory), which is merged with it at run time.
    base_networks: frozenset[str] = frozenset()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    execs: list[Exec] = field(default_factory=list)
    builds: list[Build] = field(default_factory=list)
    # Values that may differ at run time (a conditional assignment, a default
    # the environment can override): span of the value -> span of where it was
    # assigned.  Findings on such a value are reported one severity lower.
    possible_values: dict[Span, Span] = field(default_factory=dict)
    # Values substituted from variables (env files, the process environment): value -> variable
    # name.  They may be secrets, so every output shows `${NAME}` in their place.
    variable_values: dict[str, str] = field(default_factory=dict)
    # Why a possible value may not hold, when it is not a default or a conditional
    # assignment (`$CONTAINER_CLI` taken to be docker): span of the value -> reason.
    possible_reasons: dict[Span, str] = field(default_factory=dict)
    # A Makefile recipe's references to a variable the Makefile assigns once: span of `$(VAR)` ->
    # span of the assignment's line.  A finding on a word of the value is the same at every use,
    # and the engine reports it once per file.
    expansions: dict[Span, Span] = field(default_factory=dict)
    # The codes of the rules this run selects, set by the engine: a rule that names the rules
    # an unknown value leaves undecided (CL005, CL008) names only these.
    selected_rules: frozenset[str] = frozenset()
    # The containers run on a machine that exists for one CI job and accepts no inbound
    # connections (a GitHub-hosted runner, a GitLab Docker-in-Docker daemon): a port published
    # there reaches nobody, a server started there lives for the job (`on_ephemeral_host`), and a
    # container reaching that host gains nothing the job lacks (`on_lasting_hosts`).
    ephemeral_host: bool = False

    def holds_nothing(self) -> bool:
        """Nothing a rule reads: no container, network, build, exec, input problem or `# composelint:`
        comment (a Markdown file or a CI job without container commands)."""
        return not (
            self.workloads
            or self.networks
            or self.builds
            or self.execs
            or self.diagnostics
            or self.directives
        )

    def on_ephemeral_host(self, workload: Workload) -> bool:
        """The workload runs on the project's ephemeral host (made for one CI job), not through
        `ssh` or another daemon on some lasting machine."""
        return self.ephemeral_host and not workload.remote

    def on_lasting_hosts(self) -> list[Workload]:
        """The workloads whose escape to their host matters (host network, privileges, host paths):
        all but those on the project's ephemeral host.  That one is a VM made for one CI job whose
        user already has passwordless sudo and the runtime socket, destroyed after the job: a
        container reaching it gains nothing the job does not have.  The engine gives the rules
        declared `lasting_hosts_only` only these."""
        return [workload for workload in self.workloads if not self.on_ephemeral_host(workload)]

    def read_as(self, path: str, kind: str) -> bool:
        """The file at `path` is a source of this project of this kind (`markdown`, `devcontainer`...)."""
        return any(source.kind == kind and source.path == path for source in self.sources)

    def shown_in_document(self, workload: Workload) -> bool:
        """The workload is a command shown in a Markdown document (a code block of a tutorial)."""
        return self.read_as(workload.span.path, "markdown")

    def workload(self, name: str) -> Workload | None:
        for workload in self.workloads:
            if workload.name == name:
                return workload
        return None
