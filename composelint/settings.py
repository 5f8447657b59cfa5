"""The one table of Docker settings: how each setting the model knows is spelled in every input.

One row per setting: the model attribute it fills, its Compose key(s), its
docker/podman command-line flags (per command, with short letters, aliases,
boolean or value), its Podman Quadlet key(s) and devcontainer.json property,
and the parser that turns its text into the model's typed value.  Which
rules read a setting is declared by the rules themselves (`@rule(...,
reads=...)`).

Everything that spells a setting comes from here: the command-line grammar
of sources/docker_cli/reader.py (which flags take a value), the Compose reader's
plain fields, the fields where an unset variable is reported (CL005), and
the wording of messages (`network_mode: host` / `--network host`).  A new
input kind adds a column; a new flag for a setting a rule already reads is
one more entry in its row.
"""

from __future__ import annotations

from collections.abc import Callable

from composelint.records import record
from composelint.values import (
    parse_byte_size,
    parse_capability,
    parse_device,
    parse_expose,
    parse_extra_host,
    parse_image,
    parse_quantity,
    parse_restart_policy,
    parse_security_option,
    parse_sysctl,
    parse_tmpfs,
    parse_user,
)

# Commands whose flags the table lists.  `run` stands for docker/podman/nerdctl
# `run` and `create` (and `container run|create`).
RUN = "run"
SERVICE_CREATE = "service-create"
COMPOSE_RUN = "compose-run"
EXEC = "exec"
BUILD = "build"
NETWORK_CREATE = "network-create"


@record(frozen=True)
class Flag:
    """One command-line flag.  `spellings[0]` is how messages show it (`-p`, `--user`)."""

    spellings: tuple[str, ...]
    commands: tuple[str, ...]
    boolean: bool = False
    docker_only: bool = False  # podman's `run` does not know it

    @property
    def name(self) -> str:
        """The canonical long name, as pflag reports it: `publish`."""
        return next(s[2:] for s in self.spellings if s.startswith("--"))

    @property
    def short(self) -> str | None:
        return next((s[1:] for s in self.spellings if len(s) == 2), None)

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other long names pflag normalises to `name` (`--net` for `--network`)."""
        return tuple(s[2:] for s in self.spellings if s.startswith("--") and s[2:] != self.name)

    @property
    def shown(self) -> str:
        return self.spellings[0]


def value(*spellings: str, on: tuple[str, ...] = (RUN,), docker_only: bool = False) -> Flag:
    """A flag that takes a value (`--pid host`, `-p 80:80`)."""
    return Flag(spellings, on, boolean=False, docker_only=docker_only)


def boolean(*spellings: str, on: tuple[str, ...] = (RUN,), docker_only: bool = False) -> Flag:
    """A flag that takes no value (`--privileged`, `--privileged=false`)."""
    return Flag(spellings, on, boolean=True, docker_only=docker_only)


@record(frozen=True)
class IfUnset:
    """What an unset variable in a setting does to the rules that read it (CL005).

    Compose substitutes an empty string: `empty` says what that gives, `other`
    what a value could give instead (`true` would give it full access to the host)."""

    empty: str
    other: str


_NAMESPACE = "the container keeps its own {} namespace"
_HOST_NAMESPACE = "`host` would share the host's"


@record(frozen=True)
class Setting:
    """One setting as the model knows it.

    A setting some rule reads has `if_unset` (an unset variable there is
    reported, CL005) or says in `empty_decides_nothing` why it is not.

    `name` is how rules (`reads=`), messages and finding fields call it: the
    Compose key for a service setting, `network.<key>` and `exec.<flag>` for
    the settings of `networks:` entries and `docker exec`.  `compose` lists
    dotted paths below the service (or network) mapping; `no_compose` says
    why a setting has none.  `quadlet` and `devcontainer` are the keys of
    Podman Quadlet `[Container]`/`[Network]` units and of devcontainer.json
    (empty: only through `PodmanArgs=` / `runArgs`, which use the flags);
    `github_actions` those of a workflow job's containers, `gitlab_ci` those of a GitLab CI job
    and its `services:` entries.
    """

    name: str
    fields: tuple[str, ...]  # model attributes it fills: "Workload.network_mode"
    compose: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    quadlet: tuple[str, ...] = ()
    devcontainer: tuple[str, ...] = ()
    parse: Callable[[str], object] | None = None
    # Its text holds numbers (ports, sizes, counts): one of more than MAX_INTEGER_DIGITS digits there
    # is CL010 where it is written, and no number is read from it.
    numbers: bool = False
    no_compose: str = ""
    # CL005: what an unset variable decides, or why an empty value decides nothing.
    if_unset: IfUnset | None = None
    empty_decides_nothing: str = ""
    # How a document's sentences name its risky use, beside its own flags (lower case, matched as
    # words: `pid namespace`); a command a document shows next to such a sentence is explained
    # there (sources/embedded/prose.py).
    prose: tuple[str, ...] = ()
    # Keys of a GitHub Actions job's `container:` and `services.<id>:` mappings, which the runner
    # passes to `docker create` as this setting's flag (`image` and `options` are read as such).
    github_actions: tuple[str, ...] = ()
    # Keys of a GitLab CI job (and the file's top level) and of its `services:` entries, which the
    # runner passes to each service container as this setting's flag.
    gitlab_ci: tuple[str, ...] = ()

    def flag(self, command: str) -> Flag | None:
        """The flag that sets it in `command`, else in `docker run`."""
        return next((f for f in self.flags if command in f.commands), None) or next(
            (f for f in self.flags if RUN in f.commands), None
        )


def _w(*attributes: str) -> tuple[str, ...]:
    return tuple(f"Workload.{a}" for a in attributes)


_PUBLISH = (RUN, COMPOSE_RUN)
# One flag for both: a mode (`host`, `container:x`) is `network_mode`, a name joins `networks`.
_NETWORK_FLAGS = (value("--network", "--net"), value("--network", on=(SERVICE_CREATE,)))
_EVERY = (RUN, COMPOSE_RUN, SERVICE_CREATE)

SETTINGS: tuple[Setting, ...] = (
    # -- what runs
    Setting(
        "image",
        _w("image"),
        ("image",),
        quadlet=("Image",),
        devcontainer=("image",),
        parse=parse_image,
        empty_decides_nothing="an empty tag or image name is not judged",
    ),
    Setting(
        "build", (), ("build",), empty_decides_nothing="only whether `build` is written matters"
    ),  # written: the image is built here, not pulled
    Setting(
        "command",
        _w("command"),
        ("command",),
        quadlet=("Exec",),
        empty_decides_nothing="an unset variable in a URL leaves no password written in it",
    ),  # on a command line: the words after IMAGE
    Setting(
        "remove",
        _w("remove"),
        flags=(boolean("--rm", on=(RUN, COMPOSE_RUN)),),
        no_compose="a service is kept when it stops; only a command line removes its container",
        empty_decides_nothing="an empty `--rm=` value is refused by the CLI",
    ),
    Setting(
        "detach",
        _w("detach"),
        flags=(boolean("--detach", "-d", on=(RUN, COMPOSE_RUN)),),
        no_compose="`docker compose up --detach` decides it for every service at once",
        empty_decides_nothing="an empty `--detach=` value is refused by the CLI",
    ),
    Setting(
        "profiles",
        _w("profiles"),
        ("profiles",),
        empty_decides_nothing="profiles only choose which services start",
    ),
    Setting(
        "container_name",
        _w("name"),
        ("container_name",),
        (value("--name", on=_EVERY),),
        quadlet=("ContainerName",),
    ),
    Setting(
        "environment",
        _w("environment"),
        ("environment",),
        (value("--env", "-e", on=_EVERY),),
        ("Environment",),
        ("containerEnv",),
        empty_decides_nothing="a value from a variable is not written in the file: not a literal credential",
        github_actions=("env",),
        gitlab_ci=("variables",),
    ),
    Setting(
        "labels",
        _w("labels"),
        ("labels",),
        (value("--label", "-l", on=_EVERY),),
        ("Label",),
        empty_decides_nothing="a value from a variable is not written in the file: not a literal credential",
    ),
    # -- network namespace and networks
    Setting(
        "network_mode",
        _w("network_mode"),
        ("network_mode",),
        _NETWORK_FLAGS,
        ("Network",),
        if_unset=IfUnset(
            "the service joins the project's default network",
            "`host` or `service:...` would share another network namespace",
        ),
        prose=(
            "host network",
            "host networking",
            "host's network",
            "network stack of the host",
            "--network host",
            "--net host",
            "network_mode: host",
        ),
    ),
    Setting(
        "networks",
        _w("networks"),
        ("networks",),
        _NETWORK_FLAGS,
        ("Network",),
        empty_decides_nothing="Compose refuses an empty network name",
    ),
    Setting(
        "ports",
        _w("ports", "port_errors"),
        ("ports",),
        (value("-p", "--publish", on=_PUBLISH), value("--publish", "-p", on=(SERVICE_CREATE,))),
        ("PublishPort",),
        ("appPort",),
        # A port entry that is only variables: Compose refuses it empty, so whoever deploys sets it
        # (a template's `${APP_PORT}`); a variable host IP is named by CL202 itself.
        empty_decides_nothing="Compose refuses an empty port entry: whoever deploys must set it",
        numbers=True,
        github_actions=("ports",),
    ),
    Setting(
        "expose",
        _w("expose"),
        ("expose",),
        (value("--expose"),),
        ("ExposeHostPort",),
        parse=parse_expose,
        empty_decides_nothing="an exposed port binds nothing on the host",
        numbers=True,
    ),
    Setting(
        "publish_all",
        _w("publish_all"),
        flags=(boolean("-P", "--publish-all"),),
        no_compose="Compose has no publish-all: a service lists its `ports`",
    ),
    Setting(
        "extra_hosts",
        _w("extra_hosts"),
        ("extra_hosts",),
        (value("--add-host"), value("--host", on=(SERVICE_CREATE,))),
        ("AddHost",),
        parse=parse_extra_host,
        empty_decides_nothing="Compose refuses a host entry without an address",
    ),
    Setting(
        "links",
        _w("links"),
        ("links",),
        (value("--link"),),
        empty_decides_nothing="only whether a service links matters",
    ),
    Setting(
        "external_links",
        _w("external_links"),
        ("external_links",),
        empty_decides_nothing="only whether a service links matters",
    ),  # `--link` names any container
    Setting("dns", _w("dns"), ("dns",), (value("--dns", on=(RUN, SERVICE_CREATE)),), ("DNS",)),
    Setting(
        "dns_search",
        _w("dns_search"),
        ("dns_search",),
        (value("--dns-search", on=(RUN, SERVICE_CREATE)),),
        ("DNSSearch",),
    ),
    Setting(
        "hostname",
        _w("hostname"),
        ("hostname",),
        (value("--hostname", "-h"), value("--hostname", on=(SERVICE_CREATE,))),
        ("HostName",),
    ),
    Setting("mac_address", _w("mac_address"), ("mac_address",), (value("--mac-address"),)),
    Setting(
        "build.network",
        ("Workload.build_network", "Build.network"),
        ("build.network",),
        (value("--network", on=(BUILD,)),),
        if_unset=IfUnset("the build uses the default network", "`host` would build on the host's network"),
    ),
    # -- isolation
    Setting(
        "privileged",
        _w("privileged"),
        ("privileged",),
        (boolean("--privileged"),),
        devcontainer=("privileged",),
        if_unset=IfUnset("the container is not privileged", "`true` would give it full access to the host"),
        prose=("privileged",),
    ),
    Setting(
        "pid",
        _w("pid"),
        ("pid",),
        (value("--pid"),),
        if_unset=IfUnset(_NAMESPACE.format("process"), _HOST_NAMESPACE),
        prose=("pid namespace", "process namespace"),
    ),
    Setting(
        "ipc",
        _w("ipc"),
        ("ipc",),
        (value("--ipc"),),
        if_unset=IfUnset(_NAMESPACE.format("IPC"), _HOST_NAMESPACE),
        prose=("ipc namespace",),
    ),
    Setting(
        "uts",
        _w("uts"),
        ("uts",),
        (value("--uts"),),
        if_unset=IfUnset(_NAMESPACE.format("UTS"), _HOST_NAMESPACE),
        prose=("uts namespace",),
    ),
    Setting(
        "userns_mode",
        _w("userns"),
        ("userns_mode",),
        (value("--userns"),),
        ("UserNS",),
        if_unset=IfUnset(_NAMESPACE.format("user"), _HOST_NAMESPACE),
        prose=("user namespace", "user namespaces"),
    ),
    Setting(
        "cgroup",
        _w("cgroupns"),
        ("cgroup",),
        (value("--cgroupns"),),
        if_unset=IfUnset(_NAMESPACE.format("cgroup"), _HOST_NAMESPACE),
        prose=("cgroup namespace",),
    ),
    Setting(
        "cap_add",
        _w("cap_add"),
        ("cap_add",),
        (value("--cap-add", on=_EVERY),),
        ("AddCapability",),
        ("capAdd",),
        parse_capability,
        if_unset=IfUnset("no capability is added", "`SYS_ADMIN` or `NET_ADMIN` would weaken isolation"),
        prose=("capabilities",),  # a set named by its kind; one capability by its name
    ),
    Setting(
        "cap_drop",
        _w("cap_drop"),
        ("cap_drop",),
        (value("--cap-drop", on=_EVERY),),
        ("DropCapability",),
        parse=parse_capability,
        empty_decides_nothing="an empty entry drops nothing, which the rule reports as it would without the entry",
    ),
    Setting(
        "security_opt",
        _w("security_opt"),
        ("security_opt",),
        (value("--security-opt"),),
        # Quadlet has one key per option kind instead of a list of `k=v`.
        ("NoNewPrivileges", "SeccompProfile", "SecurityLabelDisable", "SecurityLabelType", "Unmask"),
        ("securityOpt",),
        parse_security_option,
        if_unset=IfUnset(
            "no option is set", "`seccomp:unconfined` or `apparmor:unconfined` would turn a protection off"
        ),
    ),
    Setting(
        "devices",
        _w("devices"),
        ("devices",),
        (value("--device"),),
        ("AddDevice",),
        parse=parse_device,
        if_unset=IfUnset(
            "no device is passed", "a disk or `/dev/mem` would give access to the host's hardware"
        ),
    ),
    Setting(
        "volumes",
        _w("mounts"),
        ("volumes",),
        (value("-v", "--volume", on=_PUBLISH), value("--mount", on=(SERVICE_CREATE,)), value("--mount")),
        ("Volume", "Mount"),
        ("mounts", "workspaceMount"),
        empty_decides_nothing="a bind source that starts with an unset variable is a host path the mount rules do not guess",
        github_actions=("volumes",),
    ),
    Setting(
        "use_api_socket",
        _w("use_api_socket"),
        ("use_api_socket",),
        (boolean("--use-api-socket", docker_only=True),),
        if_unset=IfUnset("the API socket is not mounted", "`true` would give control of the Docker daemon"),
    ),
    Setting(
        "sysctls",
        _w("sysctls"),
        ("sysctls",),
        (value("--sysctl", on=(RUN, SERVICE_CREATE)),),
        ("Sysctl",),
        parse=parse_sysctl,
        empty_decides_nothing="a sysctl without a value changes no kernel setting",
        numbers=True,
    ),
    # -- hardening
    Setting(
        "user",
        _w("user"),
        ("user",),
        (value("--user", "-u", on=_EVERY),),
        ("User", "Group"),
        ("containerUser",),
        parse_user,
        if_unset=IfUnset(
            "the container runs as the image's user, or as root where a group is left (`:1000`)",
            "`root` or `0` would run it as root",
        ),
    ),
    Setting(
        "read_only",
        _w("read_only"),
        ("read_only",),
        (boolean("--read-only", on=(RUN, SERVICE_CREATE)),),
        ("ReadOnly",),
        if_unset=IfUnset("the root filesystem is writable", "`true` would make it read-only"),
    ),
    Setting(
        "mem_limit",
        _w("memory_limit"),
        ("mem_limit", "deploy.resources.limits.memory"),
        (value("--memory", "-m"), value("--limit-memory", on=(SERVICE_CREATE,))),
        ("Memory",),
        parse=parse_byte_size,
        empty_decides_nothing="an empty limit is reported as unlimited by the limit rule itself",
        numbers=True,
    ),
    Setting(
        "cpus",
        _w("cpu_limit"),
        ("cpus", "deploy.resources.limits.cpus", "cpu_quota", "cpuset"),
        (value("--cpus"), value("--limit-cpu", on=(SERVICE_CREATE,))),
        parse=parse_quantity,
        empty_decides_nothing="an empty limit is reported as unlimited by the limit rule itself",
        numbers=True,
    ),
    Setting(
        "pids_limit",
        _w("pids_limit"),
        ("pids_limit", "deploy.resources.limits.pids"),
        (value("--pids-limit"), value("--limit-pids", on=(SERVICE_CREATE,))),
        ("PidsLimit",),
        parse=parse_quantity,
        empty_decides_nothing="an empty limit is reported as unlimited by the limit rule itself",
        numbers=True,
    ),
    Setting(
        "healthcheck",
        _w("healthcheck"),
        ("healthcheck.test.0", "healthcheck.disable"),
        (
            value("--health-cmd", on=(RUN, SERVICE_CREATE)),
            boolean("--no-healthcheck", on=(RUN, SERVICE_CREATE)),
        ),
        ("HealthCmd",),
        empty_decides_nothing="an empty test word is not `NONE`: the healthcheck stays defined",
    ),
    Setting(
        "restart",
        _w("restart"),
        ("restart", "deploy.restart_policy.condition", "deploy.restart_policy.max_attempts"),
        (value("--restart"),),
        parse=parse_restart_policy,
        empty_decides_nothing="an empty policy is `no`, which retries nothing",
        numbers=True,
    ),
    Setting(
        "cgroup_parent",
        _w("cgroup_parent"),
        ("cgroup_parent",),
        (value("--cgroup-parent"),),
        empty_decides_nothing="an empty parent is Docker's own cgroup",
    ),
    Setting(
        "logging",
        _w("logging_driver"),
        ("logging.driver",),
        (value("--log-driver", on=(RUN, SERVICE_CREATE)),),
        ("LogDriver",),
        empty_decides_nothing="an empty driver is the daemon's default, which keeps logs",
    ),
    Setting(
        "tmpfs",
        _w("tmpfs"),
        ("tmpfs",),
        (value("--tmpfs"),),
        ("Tmpfs",),
        parse=parse_tmpfs,
        empty_decides_nothing="an empty option keeps Docker's noexec, nosuid, nodev defaults",
    ),
    # -- `docker exec`: a command line only
    Setting(
        "exec.privileged",
        ("Exec.privileged",),
        flags=(boolean("--privileged", on=(EXEC,)),),
        no_compose="a compose file declares no `exec`",
    ),
    Setting(
        "exec.user",
        ("Exec.user",),
        flags=(value("--user", "-u", on=(EXEC,)),),
        parse=parse_user,
        no_compose="a compose file declares no `exec`",
    ),
    # -- networks (`networks:` entries, `docker network create`)
    Setting(
        "network.driver",
        ("Network.driver",),
        ("driver",),
        (value("--driver", "-d", on=(NETWORK_CREATE,)),),
        ("Driver",),
        if_unset=IfUnset(
            "the network uses the bridge driver", "`host` would put the services on the host's network"
        ),
    ),
    Setting(
        "network.driver_opts",
        ("Network.driver_opts",),
        ("driver_opts",),
        (value("--opt", "-o", on=(NETWORK_CREATE,)),),
        ("Options",),
        empty_decides_nothing="an empty driver option is the driver's default",
    ),
    Setting(
        "network.internal",
        ("Network.internal",),
        ("internal",),
        (boolean("--internal", on=(NETWORK_CREATE,)),),
        ("Internal",),
        if_unset=IfUnset("the network is not internal", "`true` would cut it off from the outside"),
    ),
    Setting(
        "network.enable_ipv6",
        ("Network.enable_ipv6",),
        ("enable_ipv6",),
        (boolean("--ipv6", on=(NETWORK_CREATE,)),),
        ("IPv6",),
    ),
    Setting(
        "network.attachable",
        ("Network.attachable",),
        ("attachable",),
        (boolean("--attachable", on=(NETWORK_CREATE,)),),
    ),
    Setting(
        "network.external",
        ("Network.external",),
        ("external",),
        if_unset=IfUnset(
            "the network is created by the project", "an external `host` network would be the host's"
        ),
    ),
    Setting(
        "network.name",
        ("Network.name",),
        ("name",),
        quadlet=("NetworkName",),
        empty_decides_nothing="an empty name is the network's key",
    ),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}

# Each Quadlet key of `security_opt` stands for one `--security-opt` option: a switch
# (`SecurityLabelDisable=true` is `label=disable`) or a prefix of the key's value (`SeccompProfile=x`
# is `seccomp=x`).  sources/quadlet.py reads units with it, findings write the key with it.
QUADLET_SECURITY_OPTIONS: dict[str, tuple[str, str]] = {
    "SecurityLabelDisable": ("switch", "label=disable"),
    "NoNewPrivileges": ("switch", "no-new-privileges"),
    "SeccompProfile": ("prefix", "seccomp="),
    "SecurityLabelType": ("prefix", "label=type:"),
    "Unmask": ("prefix", "unmask="),
}


def flags_of(command: str) -> list[tuple[Flag, Setting]]:
    """Every flag the table lists for `command`, with the setting it sets."""
    return [(flag, setting) for setting in SETTINGS for flag in setting.flags if command in flag.commands]


def run_flags_by_key(column: str) -> dict[str, Flag]:
    """The keys of one input kind's column of the table (`devcontainer`, `github_actions`, `gitlab_ci`) -> the
    `docker run` flag of the setting each key sets."""
    return {
        key: flag
        for setting in SETTINGS
        if (flag := setting.flag(RUN)) is not None
        for key in getattr(setting, column)
    }


def setting_at(path: tuple[str | int, ...]) -> Setting | None:
    """The setting a Compose tree path belongs to: ("services", "web", "deploy", "resources", "limits",
    "memory", ...) -> mem_limit; ("networks", "front", "driver") -> network.driver; None for a key no
    setting lists.  The longest Compose path of a setting that starts the path wins (the first
    setting of the table when two list it)."""
    if len(path) < 3 or path[0] not in ("services", "networks"):
        return None
    below = tuple(str(part) for part in path[2:])
    by_path = _BY_COMPOSE_PATH[path[0] == "networks"]
    for length in range(min(len(below), _LONGEST_COMPOSE_PATH), 0, -1):
        setting = by_path.get(below[:length])
        if setting is not None:
            return setting
    return None


def _by_compose_path(of_networks: bool) -> dict[tuple[str, ...], Setting]:
    found: dict[tuple[str, ...], Setting] = {}
    for setting in SETTINGS:
        if setting.name.startswith("network.") == of_networks:
            for compose_path in setting.compose:
                found.setdefault(tuple(compose_path.split(".")), setting)
    return found


# The settings of services (False) and of networks (True) by their Compose paths below the name.
_BY_COMPOSE_PATH = {False: _by_compose_path(False), True: _by_compose_path(True)}
_LONGEST_COMPOSE_PATH = max(len(key) for paths in _BY_COMPOSE_PATH.values() for key in paths)
