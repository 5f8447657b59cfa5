"""CL3xx: namespaces, privileges and security profiles that weaken isolation."""

from __future__ import annotations

from composelint.model import Located, Project, Sysctl, Workload
from composelint.requirements import HOST_WIDE_CAPABILITIES, NAMESPACED_CAPABILITIES, justified
from composelint.rules.base import Edit, Finding, Fix, rule
from composelint.rules.edits import remove_setting, workload_fix
from composelint.rules.wording import list_entry, setting, setting_name, subject

DANGEROUS_CAPABILITIES = HOST_WIDE_CAPABILITIES | NAMESPACED_CAPABILITIES


def _removal(project: Project, workload: Workload, edit: Edit | None, message: str) -> Fix | None:
    return workload_fix(project, workload, "unsafe", message, (edit,))


def _host_namespace(project: Project, attribute: str, name: str, what: str):
    for workload in project.workloads:
        value: Located[str] | None = getattr(workload, attribute)
        if value is not None and value.value == "host" and not justified(project, workload, name, "host"):
            yield Finding(
                f"{subject(workload)} shares the host's {what} ({setting(workload, name, 'host')})",
                value.span,
                workload.name,
                name,
            )


@rule(
    "CL301",
    "privileged",
    "error",
    "isolation",
    references=("CIS Docker 5.5 [5.4]",),
    reads=("privileged", "image"),
    fix="unsafe",
    lasting_hosts_only=True,
)
def privileged(project: Project):
    """The container runs privileged.

    ## What it does
    Reports `privileged: true` and `--privileged` (not `--privileged=false`,
    and not a `--privileged` written after the image: that one is an
    argument of the container's command).  Not reported for an image whose
    own documentation runs it privileged because nothing less works
    (registering QEMU emulators with `tonistiigi/binfmt` or
    `multiarch/qemu-user-static`, cAdvisor, Tracee;
    the table with each page is `composelint/data/image-requirements.json`).
    Nor a command shown in a Markdown document whose section says why it
    runs privileged (names `--privileged` or "privileged"), nor a dev
    container whose docker-in-docker feature declares privileged mode
    itself (removing `--privileged` beside it changes nothing).

    ## Why is this bad?
    A privileged container gets every capability and every host device, and
    runs without seccomp, AppArmor or SELinux confinement: root in the
    container is root on the host.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        privileged: true
    ```

    ## Use instead
    Grant only the capability the workload needs:
    ```yaml
    services:
      app:
        image: alpine:3.20
        cap_add: [CHOWN]
    ```
    """
    for workload in project.workloads:
        if workload.privileged is None or not workload.privileged.value:
            continue
        if not justified(project, workload, "privileged"):
            yield Finding(
                f"{subject(workload)} runs privileged: all capabilities, all host devices and no "
                "seccomp/AppArmor/SELinux confinement",
                workload.privileged.span,
                workload.name,
                "privileged",
                help=f"Remove {setting(workload, 'privileged', True, workload.privileged.span)}; add only the "
                f"capabilities needed with {setting_name(workload, 'cap_add')}",
                fix=_removal(
                    project,
                    workload,
                    remove_setting(project, workload, "privileged", workload.privileged.span),
                    f"Remove {setting(workload, 'privileged', True, workload.privileged.span)}",
                ),
            )


@rule(
    "CL302",
    "host-pid",
    "error",
    "isolation",
    references=("CIS Docker 5.16 [5.15]",),
    reads=("pid", "image"),
    lasting_hosts_only=True,
)
def host_pid(project: Project):
    """The container shares the host's PID namespace.

    ## What it does
    Reports `pid: host` and `--pid=host`, except for an image whose own
    documentation requires it (host monitoring agents and tracers:
    node-exporter, netdata, glances, tracee; the table with each page is
    `composelint/data/image-requirements.json`).  Nor a command shown in a
    Markdown document whose section names it (`--pid`, "PID namespace").

    ## Why is this bad?
    The container sees every process of the host, can signal them and, with
    enough privileges, read their memory and environment (secrets).

    ## Example
    ```yaml
    services:
      monitor:
        image: alpine:3.20
        pid: host
    ```

    ## Use instead
    ```yaml
    services:
      monitor:
        image: alpine:3.20
    ```
    """
    yield from _host_namespace(
        project, "pid", "pid", "PID namespace: it can see and signal every host process"
    )


@rule(
    "CL303",
    "host-ipc",
    "error",
    "isolation",
    references=("CIS Docker 5.17 [5.16]",),
    reads=("ipc",),
    lasting_hosts_only=True,
)
def host_ipc(project: Project):
    """The container shares the host's IPC namespace.

    ## What it does
    Reports `ipc: host` and `--ipc=host`.  Not a command shown in a Markdown document whose
    section names it (`--ipc`, "IPC namespace").

    ## Why is this bad?
    Shared memory segments, semaphores and message queues of host processes
    become readable and writable from the container.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        ipc: host
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        ipc: private
    ```
    """
    yield from _host_namespace(project, "ipc", "ipc", "IPC namespace: host shared memory is reachable")


@rule(
    "CL304",
    "host-uts",
    "warning",
    "isolation",
    references=("CIS Docker 5.21 [5.20]",),
    reads=("uts",),
    lasting_hosts_only=True,
)
def host_uts(project: Project):
    """The container shares the host's UTS namespace.

    ## What it does
    Reports `uts: host` and `--uts=host`.  Not a command shown in a Markdown document whose
    section names it (`--uts`, "UTS namespace").

    ## Why is this bad?
    The container can change the host's hostname and domain name.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        uts: host
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
    ```
    """
    yield from _host_namespace(project, "uts", "uts", "UTS namespace: it can change the host name")


@rule(
    "CL305",
    "host-userns",
    "warning",
    "isolation",
    references=("CIS Docker 5.31 [5.30]",),
    reads=("userns_mode",),
    lasting_hosts_only=True,
)
def host_userns(project: Project):
    """The container opts out of user-namespace remapping.

    ## What it does
    Reports `userns_mode: host` and `--userns=host`.  Not a command shown in a Markdown
    document whose section names it (`--userns`, "user namespace").

    ## Why is this bad?
    On a daemon with user-namespace remapping, this container's root is the
    host's real root again.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        userns_mode: host
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
    ```
    """
    yield from _host_namespace(
        project, "userns", "userns_mode", "user namespace: container root is host root"
    )


@rule("CL306", "host-cgroupns", "warning", "isolation", reads=("cgroup",), lasting_hosts_only=True)
def host_cgroupns(project: Project):
    """The container shares the host's cgroup namespace.

    ## What it does
    Reports `cgroup: host` and `--cgroupns=host`.  Not a command shown in a Markdown
    document whose section names it (`--cgroupns`, "cgroup namespace").

    ## Why is this bad?
    The container sees the host's whole cgroup hierarchy, which leaks
    information about other workloads and widens container-escape paths.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        cgroup: host
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        cgroup: private
    ```
    """
    yield from _host_namespace(project, "cgroupns", "cgroup", "cgroup namespace")


@rule("CL307", "shared-namespace", "warning", "isolation", reads=("pid", "ipc"))
def shared_namespace(project: Project):
    """The container joins another container's PID or IPC namespace.

    ## What it does
    Reports `pid` or `ipc` set to `service:X` or `container:X`.  Not a command shown in a
    Markdown document whose section names it (`--pid`, "PID namespace").

    ## Why is this bad?
    Processes (PID) or shared memory (IPC) of the other container become
    visible and reachable; a compromise of one reaches the other.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
      debug:
        image: alpine:3.20
        pid: service:app
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
      debug:
        image: alpine:3.20
    ```
    """
    for workload in project.workloads:
        for name, value in (("pid", workload.pid), ("ipc", workload.ipc)):
            if value is None or not value.value.startswith(("service:", "container:")):
                continue
            if not justified(project, workload, name):
                yield Finding(
                    f"{subject(workload)} joins the {name.upper()} namespace of `{value.value}`",
                    value.span,
                    workload.name,
                    name,
                )


@rule(
    "CL308",
    "dangerous-capability",
    "error",
    "isolation",
    references=("CIS Docker 5.4 [5.3]",),
    reads=("cap_add", "image"),
    lasting_hosts_only=True,
)
def dangerous_capability(project: Project):
    """A capability that amounts to host root is added.

    ## What it does
    Reports `cap_add` / `--cap-add` of ALL, SYS_ADMIN, SYS_MODULE,
    SYS_RAWIO, SYS_PTRACE, SYS_BOOT, DAC_READ_SEARCH, BPF, PERFMON,
    MAC_ADMIN or MAC_OVERRIDE (case-insensitive, `CAP_` prefix optional).
    Not SYS_PTRACE in a dev container (`devcontainer.json`) that keeps its
    own PID namespace: debuggers (gdb, lldb, delve) need it there, and it
    reaches only the container's own processes; with `--pid=host` it is
    reported.  Nor a command shown in a Markdown document whose section says why:
    it names the capability, `--cap-add` or "capabilities" (a FUSE mount
    explains SYS_ADMIN).

    Not SYS_PTRACE or SYS_ADMIN that the image's own documentation requires
    (Netdata's plugins, NetBird's kernel WireGuard client, Oracle RAC's
    storage server; the table with each page is
    `composelint/data/image-requirements.json`) while the container keeps
    its own PID namespace and is not privileged: ptrace then reaches only
    the container's processes, and SYS_ADMIN's known escapes need the host's
    namespaces or the AppArmor and seccomp confinement that CL310 and CL311
    report when it is turned off.  With `pid: host` or `privileged` they are
    reported, documented or not.  The others (SYS_MODULE, DAC_READ_SEARCH,
    ...) reach the host kernel or its files whatever the namespaces: they
    are reported even for an image that documents them (WireGuard's
    SYS_MODULE).

    ## Why is this bad?
    Each of these has known container-escape paths: mounting file systems,
    loading kernel modules, reading host files by handle, tracing host
    processes.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        cap_add: [SYS_ADMIN]
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        cap_drop: [ALL]
        cap_add: [CHOWN]
    ```
    """
    for workload in project.workloads:
        for capability in workload.cap_add:
            name = capability.value.name
            if name in DANGEROUS_CAPABILITIES and not justified(project, workload, "cap_add", name):
                yield Finding(
                    f"{subject(workload)} adds capability `{capability.value.written}`, which allows "
                    "escaping the container",
                    capability.span,
                    workload.name,
                    f"cap_add[{capability.value.name}]",
                )


@rule("CL309", "network-capability", "warning", "isolation", reads=("cap_add", "image"))
def network_capability(project: Project):
    """NET_ADMIN, or on Podman NET_RAW, is added.

    ## What it does
    Reports `cap_add` / `--cap-add` of NET_ADMIN, and of NET_RAW for Podman
    containers.  Docker grants NET_RAW by default, so adding it there
    changes nothing; Podman's default set leaves it out.  Not reported for
    an image whose own documentation requires that capability (VPN clients
    and servers such as Tailscale, WireGuard, Gluetun; VM images such as
    dockurr/windows; Oracle RAC and its storage server; the table with each page is
    `composelint/data/image-requirements.json`); `privileged` instead is
    still CL301.  Nor a command shown in a Markdown document whose section names the
    capability, `--cap-add` or "capabilities".

    ## Why is this bad?
    NET_ADMIN lets the container reconfigure interfaces, routes and
    firewall rules; NET_RAW lets it sniff and spoof traffic.  Both act on
    every network the container shares, which on the host network means
    the host's.

    ## Example
    ```yaml
    services:
      vpn:
        image: alpine:3.20
        cap_add: [NET_ADMIN]
    ```

    ## Use instead
    ```yaml
    services:
      vpn:
        image: alpine:3.20
        cap_drop: [NET_RAW]
    ```
    """
    for workload in project.workloads:
        for capability in workload.cap_add:
            name = capability.value.name
            if justified(project, workload, "cap_add", name):
                continue
            if name == "NET_ADMIN":
                power = "reconfigure interfaces, routes and firewall rules"
            elif name == "NET_RAW" and workload.origin.startswith("podman"):
                power = "sniff and spoof traffic (Podman does not grant it by default)"
            else:
                continue
            yield Finding(
                f"{subject(workload)} adds `{capability.value.written}`: it can {power} on the networks it shares",
                capability.span,
                workload.name,
                f"cap_add[{name}]",
            )


def _security_options(project: Project, matches, message: str):
    for workload in project.workloads:
        for option in workload.security_opt:
            if matches(option.value) and not justified(project, workload, "security_opt", option.value.key):
                yield Finding(
                    f"{subject(workload)} sets {list_entry(workload, 'security_opt', option.value.written, option.span)}: {message}",
                    option.span,
                    workload.name,
                    f"security_opt[{option.value.key}]",
                    fix=_removal(
                        project,
                        workload,
                        remove_setting(
                            project,
                            workload,
                            "security_opt",
                            option.span,
                            [entry.span for entry in workload.security_opt],
                        ),
                        f"Remove {list_entry(workload, 'security_opt', option.value.written, option.span)}",
                    ),
                )


@rule(
    "CL310",
    "seccomp-unconfined",
    "error",
    "isolation",
    references=("CIS Docker 5.22 [5.21]",),
    reads=("security_opt", "image"),
    fix="unsafe",
    lasting_hosts_only=True,
)
def seccomp_unconfined(project: Project):
    """The seccomp profile is disabled.

    ## What it does
    Reports `seccomp:unconfined` / `seccomp=unconfined` in `security_opt`.
    Options are read as the daemon reads them, case and blanks included:
    `SECCOMP=unconfined` is no option the daemon knows (the container does
    not start) and is not reported.  Nor is it reported in a dev container
    (`devcontainer.json`) in its own PID namespace that adds `SYS_PTRACE`:
    `--cap-add=SYS_PTRACE --security-opt seccomp=unconfined` is the dev
    containers' documented recipe for ptrace-based debuggers (gdb, lldb,
    delve turn off address randomisation, which the default profile
    blocks), and the debugger reaches only the container's processes.
    Nor a command shown in a Markdown document whose section names seccomp
    or `--security-opt`, nor an image whose own documentation turns seccomp
    off (`composelint/data/image-requirements.json`, column `security_opt`).

    ## Why is this bad?
    Docker's default seccomp profile blocks about 50 system calls that are
    used in kernel exploits; without it every syscall is reachable.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["seccomp:unconfined"]
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["no-new-privileges:true"]
    ```
    """
    yield from _security_options(
        project,
        lambda o: o.key == "seccomp" and o.value == "unconfined",
        "all system calls are allowed",
    )


@rule(
    "CL311",
    "apparmor-unconfined",
    "error",
    "isolation",
    references=("CIS Docker 5.2 [5.1]",),
    reads=("security_opt", "image"),
    fix="unsafe",
    lasting_hosts_only=True,
)
def apparmor_unconfined(project: Project):
    """The AppArmor profile is disabled.

    ## What it does
    Reports `apparmor:unconfined` / `apparmor=unconfined`.  Not a command shown in a
    Markdown document whose section names AppArmor or `--security-opt`
    (a FUSE mount explains it: AppArmor's default profile denies mounts).
    Nor for an image whose own documentation turns AppArmor off (JuiceFS's
    FUSE mount, `juicedata/mount`; the table with each page is
    `composelint/data/image-requirements.json`): its `SYS_ADMIN` is still
    CL308's, since without AppArmor that capability escapes the container.

    ## Why is this bad?
    The default AppArmor profile denies writes to `/proc` and `/sys` and
    mounts; without it a root process in the container has them.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["apparmor:unconfined"]
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
    ```
    """
    yield from _security_options(
        project,
        lambda o: o.key == "apparmor" and o.value == "unconfined",
        "AppArmor confinement is off",
    )


@rule(
    "CL312",
    "selinux-disabled",
    "error",
    "isolation",
    references=("CIS Docker 5.3 [5.2]",),
    reads=("security_opt",),
    fix="unsafe",
    lasting_hosts_only=True,
)
def selinux_disabled(project: Project):
    """SELinux labelling is disabled.

    ## What it does
    Reports `label:disable`, `label=disable` and the bare `disable`.  Not a command shown in a
    Markdown document whose section names SELinux, `label` or
    `--security-opt`, nor a dev container whose docker-outside-of-docker
    feature declares `label=disable` itself (removing it beside the feature
    changes nothing).

    ## Why is this bad?
    On SELinux hosts the container's processes are no longer confined to the
    container type and can touch host files their label would forbid.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["label:disable"]
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
    ```
    """
    yield from _security_options(
        project,
        lambda o: o.key == "label" and o.value == "disable",
        "SELinux confinement is off",
    )


@rule(
    "CL313",
    "systempaths-unconfined",
    "error",
    "isolation",
    reads=("security_opt",),
    fix="unsafe",
    lasting_hosts_only=True,
)
def systempaths_unconfined(project: Project):
    """`/proc` and `/sys` paths are no longer masked.

    ## What it does
    Reports `systempaths=unconfined`.  Not a command shown in a Markdown document
    whose section names `systempaths` or `--security-opt`.

    ## Why is this bad?
    Docker masks sensitive kernel interfaces (`/proc/kcore`, `/proc/sysrq-trigger`,
    `/sys/firmware`...) and makes others read-only; unconfined, the
    container can read kernel memory or trigger host actions.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["systempaths=unconfined"]
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
    ```
    """
    yield from _security_options(
        project,
        lambda o: o.key == "systempaths" and o.value == "unconfined",
        "/proc and /sys are no longer masked",
    )


@rule("CL314", "no-new-privileges-disabled", "warning", "isolation", reads=("security_opt",), fix="unsafe")
def no_new_privileges_disabled(project: Project):
    """`no-new-privileges` is explicitly turned off.

    ## What it does
    Reports `no-new-privileges:false` / `no-new-privileges=false`.  Not a command shown in a
    Markdown document whose section names `no-new-privileges` or
    `--security-opt`.

    ## Why is this bad?
    Processes can gain privileges again through setuid binaries; turning the
    protection off explicitly is almost always a mistake.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["no-new-privileges:false"]
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        security_opt: ["no-new-privileges:true"]
    ```
    """
    yield from _security_options(
        project,
        lambda o: o.key == "no-new-privileges" and o.switch is False,
        "setuid binaries can regain privileges",
    )


@rule(
    "CL315",
    "exec-privileged",
    "warning",
    "isolation",
    references=("CIS Docker 5.23 [5.22]",),
    reads=("exec.privileged",),
)
def exec_privileged(project: Project):
    """A command is run in a container with `docker exec --privileged`.

    ## What it does
    Reports `docker exec --privileged` (podman and nerdctl alike) in a
    script.  `--privileged=false` is not reported.

    ## Why is this bad?
    The command gets every capability and runs without seccomp, AppArmor or
    SELinux confinement, even when the container itself was started
    unprivileged: whatever that command runs, or whoever controls the
    container's files it reads, acts with host-level power.

    ## Example
    ```sh
    docker exec --privileged web ip link set eth0 mtu 1400
    ```

    ## Use instead
    Give the container the one capability it needs when it starts, and run
    the command without `--privileged`:
    ```sh
    docker exec web ip link show eth0
    ```
    """
    for run in project.execs:
        if run.privileged is not None and run.privileged.value:
            yield Finding(
                f"`exec --privileged` into container `{run.container}` runs the command with all "
                "capabilities and no seccomp/AppArmor/SELinux confinement",
                run.privileged.span,
                run.container,
                "exec.privileged",
                help="Remove `--privileged`; start the container with only the capabilities it needs "
                "(`--cap-add`)",
            )


@rule(
    "CL316",
    "exec-as-root",
    "info",
    "isolation",
    default_on=False,
    references=("CIS Docker 5.24 [5.23]",),
    reads=("exec.user",),
)
def exec_as_root(project: Project):
    """A command is run in a container as root with `docker exec -u root`.

    ## What it does
    Reports `docker exec -u root`, `-u 0`, `--user root:root`, `--user 0:0`
    (podman and nerdctl alike) in a script, and every other form the runtime
    resolves to UID 0, as CL609 reads `user` (`00`, `:1000`).  Opt-in: on
    real repositories every one was an operator's command written in docs
    or a test (install a package, fix a permission), run by a person who
    chose root for it.

    ## Why is this bad?
    The container was built or started to run as an unprivileged user;
    `exec -u root` sidesteps that, and a command run as root in the
    container is one kernel bug away from root on the host.

    ## Example
    ```sh
    docker exec -u root web apt-get install -y curl
    ```

    ## Use instead
    Run the command as the container's own user, and install tools in the
    image instead:
    ```sh
    docker exec -u app web /app/healthcheck
    ```
    """
    for run in project.execs:
        if run.user is not None and run.user.value.is_root:
            yield Finding(
                f"`exec -u {run.user.value.written}` runs a command as root in container `{run.container}`",
                run.user.span,
                run.container,
                "exec.user",
                help="Run the command as the container's own user (drop `-u`), or as a named "
                "unprivileged user",
            )


def _widens_network(sysctl: Sysctl) -> bool:
    name, value = sysctl.key, sysctl.value
    if name == "net.ipv4.ip_unprivileged_port_start":
        return value == "0"
    if value != "1":
        return False
    if name == "net.ipv4.ip_forward":
        return True
    # net.ipv4.conf.<interface>.forwarding; an interface name may contain dots (eth0.100)
    if not name.startswith(("net.ipv4.conf.", "net.ipv6.conf.")) or name.count(".") < 4:
        return False
    return name.endswith(".forwarding") or (name.startswith("net.ipv4.") and name.endswith(".route_localnet"))


@rule("CL317", "network-sysctl", "warning", "isolation", reads=("sysctls", "image"))
def network_sysctl(project: Project):
    """A sysctl that widens the container's network reach.

    ## What it does
    Reports `sysctls` / `--sysctl` setting `net.ipv4.ip_forward=1`,
    `net.ipv4.conf.*.forwarding=1`, `net.ipv6.conf.*.forwarding=1`,
    `net.ipv4.conf.*.route_localnet=1` or
    `net.ipv4.ip_unprivileged_port_start=0`: one finding per workload,
    naming all of them.  Not those an image's own documentation sets
    (wg-easy's forwarding: a VPN server routes its clients' traffic; the
    table with each page is `composelint/data/image-requirements.json`), nor
    a command shown in a Markdown document whose section names `--sysctl`
    (the `docker run` reference's IP forwarding example).

    ## Why is this bad?
    Forwarding turns the container into a router between the networks it
    is on; `route_localnet` lets traffic reach loopback-bound services.

    ## Example
    ```yaml
    services:
      router:
        image: alpine:3.20
        sysctls:
          net.ipv4.ip_forward: 1
    ```

    ## Use instead
    ```yaml
    services:
      router:
        image: alpine:3.20
    ```
    """
    for workload in project.workloads:
        widening = [
            s
            for s in workload.sysctls
            if _widens_network(s.value) and not justified(project, workload, "sysctls", s.value.key)
        ]
        if widening:
            settings = ", ".join(f"`{s.value.name}={s.value.value}`" for s in widening)
            yield Finding(
                f"{subject(workload)} sets {settings}, which widen{'s' if len(widening) == 1 else ''} "
                "its network reach",
                widening[0].span,
                workload.name,
                f"sysctls[{widening[0].value.name}]",
                related=tuple(s.span for s in widening[1:]),
            )
