"""What an image's own documentation requires of the container that runs it.

The table is data, `data/image-requirements.json`, one row per image family with the page that
documents it: a VPN client's NET_ADMIN and /dev/net/tun, a host monitoring agent's host PID
namespace, a media server's GPU.  Rules ask `justified(project, workload, setting, value)` and
leave out a setting the row covers exactly; anything beyond it (privileged instead of the
capability, another device) is still theirs to report.  The same question also asks the other
places a setting is justified: the prose of the Markdown section showing the command or a dev
container feature declaring the setting (`Workload.explains`), and the dev containers' recipe for
ptrace debuggers.
"""

from __future__ import annotations

import fnmatch
import json
import pkgutil
from functools import cache

from composelint.model import Project, Workload
from composelint.records import record
from composelint.values import parse_expose

TABLE_FILE = "data/image-requirements.json"


@record(frozen=True)
class Requirement:
    """The settings an image documents as required, and where it says so."""

    cap_add: frozenset[str]
    devices: tuple[str, ...]  # fnmatch patterns of host device paths
    network: str | None  # "host" when the image needs the host network
    pid: str | None  # "host" when it needs the host PID namespace
    privileged: bool  # the documented way to run it is privileged (binfmt registration, BuildKit)
    read_only_paths: tuple[str, ...]  # fnmatch patterns of host paths it reads, mounted read-only
    writable_paths: tuple[str, ...]  # fnmatch patterns of host paths it writes (Wings' container logs)
    port_ranges: tuple[tuple[range, str], ...]  # container port ranges it serves, with their protocol
    public_ports: tuple[tuple[range, str], ...]  # container ports it serves to the network on purpose
    security_opt: frozenset[str]  # confinement it turns off, by kind (`apparmor`: a FUSE mount)
    sysctls: frozenset[str]  # kernel parameters it sets in its own namespaces (a VPN server's forwarding)
    reason: str

    def covers_device(self, path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.devices)

    def covers_ports(self, ports: range, protocol: str) -> bool:
        """Whether the documentation publishes these container ports: within one of its ranges."""
        return _within(self.port_ranges, ports, protocol)

    def serves_publicly(self, ports: range, protocol: str) -> bool:
        """Whether the documentation says these container ports are meant for the network (GPS
        devices, mail clients, game players connect to them), on whatever host port."""
        return _within(self.public_ports, ports, protocol)

    def covers_path(self, path: str, read_only: bool) -> bool:
        """Whether the documentation mounts this host path so: a path it reads is covered read-only
        only, a path it writes either way."""
        patterns = self.writable_paths + (self.read_only_paths if read_only else ())
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


@cache
def _table() -> dict[str, Requirement]:
    # pkgutil, not importlib.resources: that imports tempfile, shutil and the archive modules
    # (about 8 M instructions of a one-file run).
    data = pkgutil.get_data("composelint", TABLE_FILE)
    assert data is not None  # a regular package always has a loader that reads its files
    text = data.decode("utf-8")
    table: dict[str, Requirement] = {}
    for row in json.loads(text)["rows"]:
        requirement = Requirement(
            frozenset(row.get("cap_add", ())),
            tuple(row.get("devices", ())),
            row.get("network"),
            row.get("pid"),
            row.get("privileged", False),
            tuple(row.get("read_only_paths", ())),
            tuple(row.get("writable_paths", ())),
            tuple(_port_range(written) for written in row.get("port_ranges", ())),
            tuple(_port_range(written) for written in row.get("public_ports", ())),
            frozenset(row.get("security_opt", ())),
            frozenset(row.get("sysctls", ())),
            row["reason"],
        )
        if requirement.security_opt and requirement.cap_add & NAMESPACED_CAPABILITIES:
            # CL308 leaves a documented SYS_ADMIN or SYS_PTRACE out because the confinement bounding
            # it is still reported when off (`_contained`): a row documenting both would hide both.
            raise ValueError(
                f"{TABLE_FILE}: {row['images'][0]} turns confinement off beside a capability it bounds"
            )
        table.update(dict.fromkeys(row["images"], requirement))
    return table


def _within(documented: tuple[tuple[range, str], ...], ports: range, protocol: str) -> bool:
    return any(
        protocol == served and ports.start in written and ports.stop - 1 in written
        for written, served in documented
    )


def _port_range(written: str) -> tuple[range, str]:
    """`50000-50100/udp` -> (range(50000, 50101), "udp"), read as `expose` is (tcp when no protocol
    is written); a range Docker would refuse is an error in the table."""
    exposed = parse_expose(written)
    if exposed.ports is None:
        raise ValueError(f"{TABLE_FILE}: port range `{written}` is not one Docker accepts")
    return exposed.ports, exposed.protocol


def documented(workload: Workload) -> Requirement | None:
    """The requirement the workload's image documents: its repository, or the same repository on
    another registry (`lscr.io/linuxserver/wireguard`, `ghcr.io/...`, `localhost/...`, one in a
    variable); None for an unknown image or one whose repository is in a variable."""
    if workload.image is None or not workload.image.value.repository:
        return None
    repository = workload.image.value.repository
    table = _table()
    if repository in table:
        return table[repository]
    registry, _, rest = repository.partition("/")
    on_registry = registry == "localhost" or "." in registry or ":" in registry
    return table.get(rest) if on_registry else None


# Bind mounts and published ports are named in the prose of nearly every guide: naming them there
# explains no particular host path or port.
_NAMED_IN_EVERY_GUIDE = frozenset({"volumes", "ports"})


def justified(
    project: Project, workload: Workload, setting: str, value: str | None = None, read_only: bool = False
) -> bool:
    """Whether the workload's `setting` (`value` of it, written as the setting writes it: a
    capability's name, a device or host path, `host` for a namespace, a container port range
    `first-last/protocol`, a security option's kind: `apparmor`, a sysctl's dotted name) is
    justified where the workload stands:

    - its image's documentation requires it (the table; `read_only`: a host path mounted so), and
      for a capability that escapes the container (CL308's), the container still bounds it;
    - the document showing it names the setting or the value in its prose (an explained example),
      for all but bind mounts and published ports, or a dev container feature it installs declares
      the setting (docker-in-docker's `privileged`);
    - it is the dev containers' recipe for ptrace debuggers: SYS_PTRACE, and seccomp off beside
      it, in a dev container that keeps its own PID namespace (gdb, lldb and delve trace only the
      container's own processes there).
    """
    if setting not in _NAMED_IN_EVERY_GUIDE and workload.explains(setting, value):
        return True
    if _ptrace_debugger(project, workload, setting, value):
        return True
    required = documented(workload)
    if required is None:
        return False
    if setting == "privileged":
        return required.privileged
    if setting == "pid":
        return value == "host" and required.pid == "host"
    if setting == "network_mode":
        return value == "host" and required.network == "host"
    if setting == "cap_add":
        return value in required.cap_add and _contained(workload, value)
    if setting == "devices":
        return value is not None and required.covers_device(value)
    if setting == "security_opt":
        return value in required.security_opt
    if setting == "sysctls":
        return value in required.sysctls
    if setting == "volumes":
        return value is not None and required.covers_path(value, read_only)
    if setting == "ports" and value is not None:
        exposed = parse_expose(value)
        return exposed.ports is not None and required.covers_ports(exposed.ports, exposed.protocol)
    return False


# What a documented capability may still reach.  SYS_PTRACE and SYS_ADMIN stay inside the
# container while it keeps its own PID namespace and is not privileged: ptrace then reaches only
# the container's own processes, and SYS_ADMIN's known escapes need the host's namespaces (nsenter
# through /proc/1) or the AppArmor and seccomp confinement that CL310/CL311 report when it is off.
# The others of CL308 reach the host kernel or the host's files whatever the namespaces: a row may
# list them (WireGuard's SYS_MODULE), and they are still reported.
NAMESPACED_CAPABILITIES = frozenset({"SYS_PTRACE", "SYS_ADMIN"})
HOST_WIDE_CAPABILITIES = frozenset(
    {
        "ALL",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_BOOT",
        "DAC_READ_SEARCH",
        "BPF",
        "PERFMON",
        "MAC_ADMIN",
        "MAC_OVERRIDE",
    }
)


def _contained(workload: Workload, capability: str) -> bool:
    """Whether a capability the image documents stays inside the container (comment above)."""
    if capability in HOST_WIDE_CAPABILITIES:
        return False
    if capability in NAMESPACED_CAPABILITIES:
        host_pid = workload.pid is not None and workload.pid.value == "host"
        privileged = workload.privileged is not None and workload.privileged.value
        return not host_pid and not privileged
    return True


def _ptrace_debugger(project: Project, workload: Workload, setting: str, value: str | None) -> bool:
    """SYS_PTRACE, or seccomp off beside it, in a dev container (`devcontainer.json`) in its own PID
    namespace: `--cap-add=SYS_PTRACE --security-opt seccomp=unconfined` is the dev containers'
    documented recipe for debuggers (they turn off address randomisation, which the default
    seccomp profile blocks)."""
    if (setting, value) == ("cap_add", "SYS_PTRACE"):
        tracing = True
    elif (setting, value) == ("security_opt", "seccomp"):
        tracing = any(capability.value.name == "SYS_PTRACE" for capability in workload.cap_add)
    else:
        return False
    in_own_pid_namespace = not (workload.pid and workload.pid.value == "host")
    return tracing and in_own_pid_namespace and project.read_as(workload.span.path, "devcontainer")
