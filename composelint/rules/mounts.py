"""CL4xx: host paths, sockets and devices handed to the container."""

from __future__ import annotations

import posixpath

from composelint.model import Mount, Project, Workload
from composelint.patterns import lazy_pattern
from composelint.requirements import justified
from composelint.rules.base import Finding, Group, Severity, rule, workload_group
from composelint.rules.wording import setting, subject

SOCKETS = ("docker.sock", "containerd.sock", "crio.sock", "podman.sock")
SOCKET_DIRECTORIES = ("/var/run", "/run")
# Directories under /run holding a runtime socket; rootless Podman's is /run/user/<uid>/podman.
# /run/user/<uid> itself is the user's session directory (CL402): a rootless socket may be there,
# but so may nothing, and it is never the rootful daemon's.
SOCKET_PARENTS = lazy_pattern(r"(docker|containerd|crio|podman|user/\d+/podman)")
ROOTLESS_SOCKETS = lazy_pattern(r"/(var/)?run/user/\d+/.*")
SENSITIVE_PATHS = (
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/boot",
    "/dev",
    "/root",
    "/lib/modules",
    "/usr",
    "/var/lib/docker",
    "/home",
    "~",
    "/var/run",
    "/run",
    "/var/lib/kubelet",
    "/lib",
    "/bin",
    "/sbin",
)
# Below these, any writable bind mount changes the host's system files.
SYSTEM_TREES = (
    "/etc",
    "/usr",
    "/lib",
    "/bin",
    "/sbin",
    "/boot",
    "/proc",
    "/sys",
    "/var/lib/docker",
    "/var/lib/kubelet",
)
# Below these, even reading exposes secrets or the host's kernel and containers.
SECRET_TREES = (
    "/proc",
    "/sys",
    "/boot",
    "/var/lib/docker",
    "/var/lib/kubelet",
    "/etc/ssh",
    "/etc/kubernetes",
    "/etc/docker",
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/sudoers",
    "/etc/sudoers.d",
)
# Sockets and devices of the users' sessions, and the host's logs: read-only or not.
SESSION_TREES = (
    "/tmp/.X11-unix",  # the X server: keystrokes and screen of every window
    "/run/user",  # per-user sockets: D-Bus session, PulseAudio, Wayland, ssh-agent
    "/var/run/user",
    "/run/dbus",  # the system bus: systemd, NetworkManager, ...
    "/var/run/dbus",
    "/dev/dri",  # GPUs bound as files instead of `devices:`
    "/var/log",  # every service's logs (tokens, addresses), and writable: tampering
)
# root's dotfiles and dot-directories (`.ssh`, `.docker/config.json`, `.kube`, `.bashrc`): keys, and
# code root runs.  A plain directory below /root (`/root/trilium-backups`) is an application's data,
# and /root itself is in SENSITIVE_PATHS.
ROOT_DOTFILES = lazy_pattern(r"/root/\.[^/]+(/.*)?")
RAW_DEVICES = ("/dev/mem", "/dev/kmem", "/dev/port")
RAW_DISK_PREFIXES = (
    "/dev/sd",
    "/dev/nvme",
    "/dev/hd",
    "/dev/vd",
    "/dev/xvd",
    "/dev/mmcblk",
    "/dev/dm-",
    "/dev/md",
    "/dev/disk/",
    "/dev/mapper/",
)


def _normalised(path: str) -> str:
    """`/etc/`, `/var//run/../run` -> `/etc`, `/run`; a leading `//` is `/` on Linux."""
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/") if path.startswith("//") else path


def _host_path(mount: Mount) -> str | None:
    """The bind source as a path; None for a volume, or for a source only known at run time
    (`${SOCK}`, written with a variable that is not set)."""
    if mount.kind != "bind" or not mount.source or mount.source.startswith(("$", "…")):
        return None
    path = mount.source.replace("\\", "/")
    return _normalised(path) if path.startswith(("/", "~")) else path


def _is_socket_path(path: str) -> bool:
    """A runtime socket anywhere under /run or /var/run, or a directory holding one
    (`/` and `/var` hold `/var/run/docker.sock`)."""
    if path in ("/", "/var"):
        return True
    for directory in SOCKET_DIRECTORIES:
        if path == directory:
            return True
        if path.startswith(directory + "/"):
            rest = path[len(directory) + 1 :]
            return posixpath.basename(rest) in SOCKETS or bool(SOCKET_PARENTS.fullmatch(rest))
    return False


@rule(
    "CL401",
    "runtime-socket-mounted",
    "error",
    "isolation",
    references=("CIS Docker 5.32 [5.31]",),
    reads=("volumes", "use_api_socket"),
    lasting_hosts_only=True,
)
def runtime_socket_mounted(project: Project):
    """A container runtime socket is mounted into the container.

    ## What it does
    Reports bind mounts of `docker.sock`, `containerd.sock`, `crio.sock` or
    `podman.sock` anywhere under `/var/run` or `/run` (rootless sockets live
    in `/run/user/<uid>`), or of a directory holding one (`/`, `/var`,
    `/var/run`, `/run/containerd`, ...), read-only or not, a source only
    known at run time (`${DOCKER_SOCK}`) mounted at a runtime socket path
    (the target says what it is), and `use_api_socket: true`.  The socket
    paths one workload mounts (`/`, `/var/run` and `/var/run/docker.sock`
    of a monitoring agent; Docker's and Podman's sockets side by side) give
    it the same control: they are one finding, at the first of them, naming
    them all, the others its related locations.  Not a dev container's
    mount of the socket its docker-outside-of-docker feature already mounts
    (`/var/run/docker.sock`: removing it changes nothing); what the feature
    mounts is not reported either, the host's daemon being what the
    developer installs it for.

    ## Why is this bad?
    Whoever talks to the runtime socket can start a privileged container
    that mounts the host's root file system: it is root on the host.
    A rootless runtime's socket (under `/run/user/<uid>`) gives the account
    of the user it runs as: their files, keys and every container they run.
    A unit's `%t/podman/podman.sock` is either, depending on whether the unit
    runs under the system manager or a user's: the message says both.
    Read-only mounts do not help, a socket is still writable.  The user's
    session directory `/run/user/<uid>` itself is CL402.

    ## Example
    ```yaml
    services:
      ci:
        image: alpine:3.20
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock:ro
    ```

    ## Use instead
    Use a socket proxy that allows only the API calls needed, or rootless
    Docker-in-Docker:
    ```yaml
    services:
      ci:
        image: alpine:3.20
        environment:
          DOCKER_HOST: tcp://socket-proxy:2375
    ```
    """
    for workload in project.workloads:
        sockets = {
            mount: path
            for mount in workload.mounts
            if (path := _host_path(mount))
            and _is_socket_path(path)
            and not workload.explains_value("volumes", path)
        }
        if sockets and all(mount.in_unit_runtime_dir for mount in sockets):
            power = (
                "root on the host for a system unit (`%t` is `/run`), and for a user unit (`%t` is "
                "`/run/user/<uid>`) the account of the user the rootless runtime runs as"
            )
        elif all(ROOTLESS_SOCKETS.fullmatch(path) for path in sockets.values()):
            power = "the account of the host user the rootless runtime runs as"
        else:
            power = "root on the host"
        for mount in workload.mounts:
            path = sockets.get(mount)
            if path:
                shown = _as_written(mount)
                what = (
                    f"the container runtime socket `{shown}`"
                    if posixpath.basename(path) in SOCKETS
                    else f"`{shown}`, which holds the container runtime socket"
                )
                yield Finding(
                    f"{subject(workload)} mounts {what}: control of the runtime is "
                    f"{power} (read-only does not help)",
                    mount.source_span or mount.span,
                    workload.name,
                    f"volumes[{mount.target}]",
                    group=Group(
                        workload_group("runtime socket", workload),
                        f"`{shown}`",
                        f"{subject(workload)} mounts ",
                        ", each the container runtime socket or a directory holding one: control of "
                        f"the runtime is {power} (read-only does not help)",
                    ),
                )
            elif mount.source and mount.source.startswith(("$", "…")) and _socket_target(mount.target):
                yield Finding(
                    f"{subject(workload)} mounts `{mount.source}` at `{mount.target}`: whatever the "
                    "variable holds, the target says it is the container runtime socket, and control "
                    "of the runtime is root on the host",
                    mount.source_span or mount.span,
                    workload.name,
                    f"volumes[{mount.target}]",
                )
        if workload.use_api_socket is not None and workload.use_api_socket.value:
            yield Finding(
                f"{subject(workload)} sets {setting(workload, 'use_api_socket', True)}, "
                "which mounts the Docker socket",
                workload.use_api_socket.span,
                workload.name,
                "use_api_socket",
            )


def _as_written(mount: Mount) -> str | None:
    """The source as the unit writes it: `%t/podman/podman.sock`, not the `/run/...` it stands for."""
    if mount.in_unit_runtime_dir and mount.source:
        return "%t" + mount.source.removeprefix("/run")
    return mount.source


def _socket_target(target: str | None) -> bool:
    if not target:
        return False
    return _is_socket_path(_normalised(target)) and posixpath.basename(target) in SOCKETS


def _below(path: str, trees: tuple[str, ...]) -> bool:
    return any(path == tree or path.startswith(tree + "/") for tree in trees)


def _sensitive(path: str, read_only: bool) -> bool:
    return (
        path in SENSITIVE_PATHS
        or _below(path, SECRET_TREES)
        or _below(path, SESSION_TREES)
        or bool(ROOT_DOTFILES.fullmatch(path))
        or (not read_only and _below(path, SYSTEM_TREES))
    )


def _own_configuration(workload: Workload, path: str) -> bool:
    """`/etc/NAME` or below it, NAME the image's own name (`/etc/pihole` of `pihole/pihole`): where
    that application keeps its configuration when it is installed on the host, so the container
    shares its own files, not the host's.  Never a tree of secrets (`/etc/ssh`, `/etc/docker` of the
    `docker` image)."""
    if workload.image is None or not workload.image.value.repository:
        return False
    return _below(path, (f"/etc/{workload.image.value.basename}",)) and not _below(path, SECRET_TREES)


@rule(
    "CL402",
    "sensitive-host-path",
    "error",
    "isolation",
    references=("CIS Docker 5.6 [5.5]",),
    reads=("volumes", "image"),
    lasting_hosts_only=True,
)
def sensitive_host_path(project: Project):
    """A sensitive host directory is bind-mounted.

    ## What it does
    Reports bind mounts of `/etc`, `/proc`, `/sys`, `/boot`, `/dev`,
    `/root`, `/lib/modules`, `/usr`, `/var/lib/docker`, `/home`, `~` (the
    user's home), `/run`, `/var/run`, `/var/lib/kubelet`, `/lib`, `/bin` or
    `/sbin` (runtime sockets and the directories holding one, `/` and `/var`
    included, are CL401); a writable
    mount of anything below `/etc`, `/usr`, `/lib`, `/bin`, `/sbin`, `/boot`,
    `/proc`, `/sys`, `/var/lib/docker` or `/var/lib/kubelet`; and a
    read-only mount below `/proc`, `/sys`, `/boot`,
    `/var/lib/docker`, `/var/lib/kubelet`, `/etc/ssh`, `/etc/kubernetes`,
    `/etc/docker`, or of `/etc/shadow`, `/etc/gshadow`, `/etc/sudoers`; and,
    read-only or not, root's dotfiles and dot-directories (`/root/.ssh`,
    `/root/.docker`, `/root/.bashrc`, ...): a plain directory below `/root`
    (`/root/app-backups`) is an application's data, not root's home; and,
    read-only or not, the sockets and devices of user sessions and the
    host's logs: `/tmp/.X11-unix`, `/run/user/*`, `/run/dbus`, `/dev/dri`,
    `/var/log`.  Error when writable, warning when read-only.  A read-only
    `/etc/localtime` or `/etc/hosts` is not reported, nor a read-only mount
    of a host path the image's own documentation says it reads (`/proc` and
    `/sys` of node-exporter, `/var/log` of Promtail or CrowdSec; the table
    with each page is `composelint/data/image-requirements.json`): the same
    path mounted writable is still reported, unless the documentation mounts
    it writable too (Pterodactyl Wings' `/var/lib/docker/containers`,
    Portainer agent's `/var/lib/docker/volumes`, linuxserver WireGuard's
    `/lib/modules` and `/usr/src` for building its kernel module, Autoware's
    `/tmp/.X11-unix` for rviz2).  Nor
    `/etc/NAME` or below it where NAME is the image's own name (`/etc/pihole`
    of `pihole/pihole`): that application's configuration, where it keeps it
    when installed on the host, not the host's (`/etc/dnsmasq.d` beside it,
    and `/etc/ssh`, `/etc/docker`, `/etc/kubernetes` whatever the image, are
    still reported).  `/dev` or a device below
    it is not reported for a privileged container, which has every host
    device already (CL301 reports that); nor is a read-only `/proc` or a
    path below `/sys` for a privileged container in the host PID namespace,
    whose own `/proc` lists the host's processes and which may mount sysfs
    itself (CL301 and CL302 report that).

    ## Why is this bad?
    Writing there changes the host: credentials in `/etc`, kernel modules,
    other containers' data; even reading exposes secrets.

    ## Example
    ```yaml
    services:
      agent:
        image: alpine:3.20
        volumes:
          - /etc:/host/etc
    ```

    ## Use instead
    Mount only the file needed, read-only:
    ```yaml
    services:
      agent:
        image: alpine:3.20
        volumes:
          - ./agent.conf:/etc/agent.conf:ro
    ```
    """
    for workload in project.workloads:
        privileged = workload.privileged is not None and workload.privileged.value
        host_pid = workload.pid is not None and workload.pid.value == "host"
        for mount in workload.mounts:
            path = _host_path(mount)
            if not path or _is_socket_path(path) or not _sensitive(path, mount.read_only):
                continue
            if justified(project, workload, "volumes", path, read_only=mount.read_only):
                continue
            if _own_configuration(workload, path):
                continue
            if _below(path, ("/dev",)) and privileged:
                continue  # a privileged container has every host device already (CL301)
            if mount.read_only and privileged and host_pid and _below(path, ("/proc", "/sys")):
                continue  # its own /proc lists the host's processes, and it may mount sysfs (CL301, CL302)
            access = "read-only" if mount.read_only else "writable"
            yield Finding(
                f"{subject(workload)} bind-mounts sensitive host path `{path}` ({access})",
                mount.source_span or mount.span,
                workload.name,
                f"volumes[{mount.target}]",
                severity=Severity.WARNING if mount.read_only else None,
            )


@rule(
    "CL403",
    "host-device",
    "warning",
    "isolation",
    references=("CIS Docker 5.18 [5.17]",),
    reads=("devices", "image"),
    lasting_hosts_only=True,
)
def host_device(project: Project):
    """A host device is passed into the container.

    ## What it does
    Reports `devices` / `--device`; error for `/dev/mem`, `/dev/kmem`,
    `/dev/port` and raw disks (`/dev/sda`, `/dev/nvme0n1`, `/dev/disk/...`,
    `/dev/mapper/...`, ...).  Not reported: a device the image's own
    documentation requires (`/dev/dri` of Jellyfin, Plex or Frigate for
    transcoding, `/dev/net/tun` of a VPN client, `/dev/kvm` of a VM image,
    the disks of Scrutiny; the table with each page is
    `composelint/data/image-requirements.json`).  Any other device of that
    image is still reported.  Nor in a Markdown document whose section says
    why, naming `--device` or the device (an explained example).

    ## Why is this bad?
    Device access bypasses file permissions: a raw disk can be read and
    written block by block, `/dev/mem` is the host's memory.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        devices:
          - /dev/sda:/dev/sda
    ```

    ## Use instead
    Mount the file system that is needed instead of its device:
    ```yaml
    services:
      app:
        image: alpine:3.20
        volumes:
          - ./data:/data
    ```
    """
    for workload in project.workloads:
        for device in workload.devices:
            if device.value.cdi:
                continue  # a CDI device name, managed by its vendor's spec
            path = device.value.path
            if not path:
                continue  # an unset variable: CL005 says what each value would do
            path = _normalised(path) if path.startswith("/") else path
            if justified(project, workload, "devices", path):
                continue
            raw = path in RAW_DEVICES or path.startswith(RAW_DISK_PREFIXES)
            yield Finding(
                f"{subject(workload)} gets host device `{path}`"
                + (": raw access to host memory or disks" if raw else ""),
                device.span,
                workload.name,
                f"devices[{path}]",
                severity=Severity.ERROR if raw else None,
            )


@rule(
    "CL404",
    "shared-mount-propagation",
    "warning",
    "isolation",
    references=("CIS Docker 5.20 [5.19]",),
    reads=("volumes",),
    lasting_hosts_only=True,
)
def shared_mount_propagation(project: Project):
    """A bind mount propagates mounts back to the host.

    ## What it does
    Reports bind propagation `shared` or `rshared` (long syntax
    `bind.propagation`, short-syntax suffix, `--mount bind-propagation=`).

    ## Why is this bad?
    Mounts made inside the container appear on the host, so a container can
    shadow host directories.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        volumes:
          - ./data:/data:rshared
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        volumes:
          - ./data:/data
    ```
    """
    for workload in project.workloads:
        for mount in workload.mounts:
            if mount.propagation in ("shared", "rshared"):
                yield Finding(
                    f"{subject(workload)} mounts `{mount.target}` with `{mount.propagation}` "
                    "propagation: mounts made in the container appear on the host",
                    mount.propagation_span or mount.span,
                    workload.name,
                    f"volumes[{mount.target}]",
                )
