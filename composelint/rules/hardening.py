"""CL6xx: hardening.  A missing protection rather than an actively weakened one.

Every rule here is opt-in (`--select hardening`, `--extend-select CL6`).  They
read the merged model, so a setting inherited through `extends` or an override
file counts, and they treat every spelling Compose and the Engine accept alike.
A missing protection is reported at the service key (or the `docker run`
word); a weakening value (`read_only: false`, `pids_limit: -1`, ...) at that value.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Sequence

from composelint import settings
from composelint.model import (
    ImageRef,
    Limit,
    Located,
    Mount,
    Project,
    RestartPolicy,
    SecurityOption,
    Span,
    Workload,
)
from composelint.rules.base import Finding, Fix, rule
from composelint.rules.edits import add_option, add_setting, append_item, workload_fix
from composelint.rules.wording import (
    command,
    flag,
    from_command_line,
    list_entry,
    setting,
    setting_name,
    subject,
    workload_phrase,
)

MAX_RESTARTS = 5


# -- helpers ---------------------------------------------------------------
def _compose(workload: Workload) -> bool:
    return not from_command_line(workload)


def _judged(workload: Workload, key: str = "") -> bool:
    """Whether a missing setting can be reported for this workload.

    `docker compose run SERVICE` takes these settings from the compose file (linted
    there), so its command line lacking them means nothing; `docker service create`
    has no flag for `security_opt` (nor `cgroup_parent`).
    """
    if workload.origin == "compose-run":
        return False
    return not (workload.origin == "service-create" and key == "security_opt")


def _cli(workload: Workload, key: str, value: str = "") -> str:
    """The flag that sets compose key `key`, with its value, in backticks: `--cpus 1`, `--limit-cpu 1`;
    in a Quadlet unit or a devcontainer.json its own key: `Memory=512m`, `"runArgs": ["--cpus=1"]`."""
    if workload.syntax:
        row = settings.BY_NAME[key].flag(settings.RUN)
        switch = row is not None and row.boolean
        return setting(workload, key, value or True) if value or switch else setting_name(workload, key)
    return f"`{flag(workload, key)}{' ' + value if value else ''}`"


def _hint(workload: Workload, compose: str, cli: str) -> str:
    """The exact text to add: compose syntax for a service, the flag for a command line, the key
    for a Quadlet unit or a devcontainer.json."""
    if _compose(workload):
        return f"Add to {workload_phrase(workload)}: {compose}"
    if workload.syntax == "quadlet":
        return f"Add {cli} to the unit's `[Container]` section"
    if workload.syntax == "devcontainer":
        return f"Add {cli} to the devcontainer.json"
    return f"Add {cli} to the `{command(workload)}` command"


def _key_span(workload: Workload, key: str, values: Sequence[Located] = ()) -> Span:
    """Where `key` is written for this workload (the key, else its first value), else the service key."""
    if key in workload.keys:
        return workload.keys[key]
    if values:
        return values[0].span
    return workload.span


def _mutable_tag(tag: str) -> bool:
    """A tag that names a channel, not a version: no digit at all (`latest`, `stable-slim`, `alpine`)."""
    return not any(ch.isdigit() for ch in tag)


def _no_new_privileges(workload: Workload) -> tuple[bool | None, Located[SecurityOption] | None]:
    """The effective no-new-privileges setting and the entry that decides it: the last entry
    wins, as in the daemon.  A value that is no boolean (the daemon refuses to start the
    container) counts as off."""
    state: tuple[bool | None, Located[SecurityOption] | None] = (None, None)
    for option in workload.security_opt:
        if option.value.key == "no-new-privileges":
            state = (option.value.switch or False, option)
    return state


# -- rules -----------------------------------------------------------------
@rule(
    "CL601",
    "no-new-privileges-not-set",
    "warning",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.26 [5.25]",),
    reads=("security_opt",),
    fix="unsafe",
)
def no_new_privileges_not_set(project: Project):
    """The container may gain privileges through setuid binaries.

    ## What it does
    Reports a workload whose `security_opt` (`--security-opt`) does not turn on
    `no-new-privileges`.  Every spelling the daemon accepts counts:
    `no-new-privileges`, `no-new-privileges:true`, `no-new-privileges=true`
    (and the other Go booleans, `1`, `t`, `True`); when the option is written
    several times the last one wins, as in the daemon.

    An explicit `no-new-privileges:false` is also reported here, at that
    value: the protection is absent, and `--select hardening` alone must list
    every service without it.  CL314 reports the same entry as an active
    weakening; with both selected the line carries both codes.  A value the
    daemon cannot parse (`no-new-privileges:yes`) makes the container fail
    to start; it is reported as not set.  A daemon-wide
    `"no-new-privileges": true` in daemon.json cannot be seen from here.

    ## Why is this bad?
    Without it a process in the container can gain privileges at `execve`
    through setuid/setgid binaries or file capabilities (`su`, `sudo`,
    `ping`, ...): one step of most in-container privilege escalations.

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
        security_opt:
          - no-new-privileges:true
    ```
    """
    for workload in project.workloads:
        state, option = _no_new_privileges(workload)
        if state:
            continue
        if option is not None:
            yield Finding(
                f"{subject(workload)} turns `no-new-privileges` off "
                f"({list_entry(workload, 'security_opt', option.value.written, option.span)}): processes can gain privileges through "
                "setuid binaries",
                option.span,
                workload.name,
                "security_opt[no-new-privileges]",
                help=(
                    f"Write `no-new-privileges:true` instead of `{option.value.written}`"
                    if _compose(workload)
                    else f"Write {_cli(workload, 'security_opt', 'no-new-privileges')} instead"
                ),
            )
            continue
        if not _judged(workload, "security_opt"):
            continue
        if _compose(workload) and workload.security_opt:
            help_text = (
                f"Add `- no-new-privileges:true` to the `security_opt` list of {workload_phrase(workload)}"
            )
        else:
            help_text = _hint(
                workload,
                '`security_opt: ["no-new-privileges:true"]`',
                _cli(workload, "security_opt", "no-new-privileges"),
            )
        yield Finding(
            f"{subject(workload)} does not set `no-new-privileges`: processes can gain privileges "
            "through setuid binaries",
            workload.span,
            workload.name,
            "security_opt",
            help=help_text,
            fix=_addition(
                project,
                workload,
                "security_opt",
                "no-new-privileges:true",
                "--security-opt no-new-privileges",
                [option.span for option in workload.security_opt],
            ),
        )


@rule(
    "CL602",
    "capabilities-not-dropped",
    "warning",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.4 [5.3]",),
    reads=("cap_drop",),
    fix="unsafe",
)
def capabilities_not_dropped(project: Project):
    """The container keeps Docker's default capability set.

    ## What it does
    Reports a workload without `cap_drop: [ALL]` (`--cap-drop ALL`).
    `ALL` is case-insensitive (`all`); `CAP_ALL` is not a capability and
    the Engine refuses it.  Dropping only some capabilities is reported at the
    `cap_drop` key: the rest of the default set stays.  Capabilities added
    back with `cap_add` after `ALL` is dropped are CL308/CL309's business.

    ## Why is this bad?
    Docker's default set still holds 14 capabilities (CHOWN, DAC_OVERRIDE,
    FOWNER, SETUID, SETGID, NET_RAW, MKNOD, ...) that most services never
    use and that an attacker in the container can.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
    ```

    ## Use instead
    Drop everything, add back what the service needs:
    ```yaml
    services:
      web:
        image: nginx:1.27
        cap_drop: [ALL]
        cap_add: [CHOWN, SETUID, SETGID, NET_BIND_SERVICE]
    ```
    """
    for workload in project.workloads:
        if any(c.value.is_all for c in workload.cap_drop) or not _judged(workload):
            continue  # (`CAP_ALL` is no capability: the Engine refuses it)
        if workload.cap_drop:
            dropped = ", ".join(c.value.written for c in workload.cap_drop)
            yield Finding(
                f"{subject(workload)} drops only {dropped}: the rest of Docker's default capabilities stay",
                _key_span(workload, "cap_drop", workload.cap_drop),
                workload.name,
                "cap_drop",
                help=(
                    "Drop `ALL` instead (`cap_drop: [ALL]`) and add back only what is needed with `cap_add`"
                    if _compose(workload)
                    else f"Use {_cli(workload, 'cap_drop', 'ALL')} and add back only what is needed with "
                    f"{_cli(workload, 'cap_add')}"
                ),
            )
            continue
        drop_all = "`cap_drop: [ALL]`" if _compose(workload) else _cli(workload, "cap_drop", "ALL")
        yield Finding(
            f"{subject(workload)} keeps Docker's default capabilities (no {drop_all})",
            workload.span,
            workload.name,
            "cap_drop",
            fix=_addition(project, workload, "cap_drop", "ALL", "--cap-drop ALL", []),
            help=_hint(
                workload,
                "`cap_drop: [ALL]` (then `cap_add` only what it needs)",
                f"{_cli(workload, 'cap_drop', 'ALL')} (then {_cli(workload, 'cap_add')} only what it needs)",
            ),
        )


@rule(
    "CL603",
    "writable-root-filesystem",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.13 [5.12]",),
    reads=("read_only",),
    fix="unsafe",
)
def writable_root_filesystem(project: Project):
    """The container's root filesystem is writable.

    ## What it does
    Reports a workload without `read_only: true` (`--read-only`), at the
    service key, or at `read_only: false`.  Boolean spellings Compose casts
    (`"true"`, `yes`, `on`) count.

    ## Why is this bad?
    An attacker can modify the image's binaries and configuration or drop
    tools into the container; a read-only root with `tmpfs` for the paths
    that must be written makes that impossible.

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
        read_only: true
        tmpfs: [/var/cache/nginx, /var/run]
    ```
    """
    for workload in project.workloads:
        value = workload.read_only
        if (value is not None and value.value) or (value is None and not _judged(workload)):
            continue
        span = value.span if value is not None else workload.span
        tmpfs = "`--mount type=tmpfs,...`" if workload.origin == "service-create" else _cli(workload, "tmpfs")
        yield Finding(
            f"{subject(workload)} has a writable root filesystem",
            span,
            workload.name,
            "read_only",
            fix=_addition(project, workload, "read_only", None, "--read-only", []) if value is None else None,
            help=(
                "Write `read_only: true` (and `tmpfs:` for the paths it must write)"
                if value is not None and _compose(workload)
                else _hint(
                    workload,
                    "`read_only: true` (and `tmpfs:` for the paths it must write)",
                    f"{_cli(workload, 'read_only')} (and {tmpfs} for the paths it must write)",
                )
            ),
        )


def _addition(
    project: Project, workload: Workload, key: str, item: str | None, option: str, entries: list[Span]
) -> Fix | None:
    """Add a hardening setting: `key: true`, or `item` to the compose list `key` (appended when
    the list is written), or the command-line `option`.  Unsafe: the workload may need what it
    takes away."""
    if not _compose(workload):
        edit = add_option(project, workload, option)
        shown = f"`{option}`"
    elif item is None:
        edit = add_setting(project, workload, key, "true")
        shown = f"`{key}: true`"
    elif entries:
        edit = append_item(project, workload, key, entries, item)
        shown = f"`{item}` to `{key}`"
    else:
        edit = add_setting(project, workload, key, None, (item,))
        shown = f"`{key}: [{item}]`"
    return workload_fix(project, workload, "unsafe", f"Add {shown}", (edit,))


def _limit_findings(project: Project, attribute: str, what: str, top: str, deploy: str, value: str, key: str):
    """Findings for a missing or zero limit; the hint uses `deploy.resources.limits` when the service has a
    `deploy` section: Compose refuses a top-level limit that differs from an existing limits block."""
    for workload in project.workloads:
        written: Located[Limit] | None = getattr(workload, attribute)
        if (written is not None and not written.value.unlimited) or (
            written is None and not _judged(workload)
        ):
            continue
        if not _compose(workload):
            hint = _cli(workload, key, value)
        elif "deploy" in workload.keys:
            hint = f"{deploy} under `deploy.resources.limits`"
        else:
            hint = top
        if written is None:
            yield Finding(
                f"{subject(workload)} has no {what} limit",
                workload.span,
                workload.name,
                key,
                help=_hint(workload, hint, hint),
            )
        else:
            yield Finding(
                f"{subject(workload)} sets its {what} limit to `{written.value.written}`, which means unlimited",
                written.span,
                workload.name,
                key,
                help=f"Use a positive value, e.g. {hint}",
            )


@rule(
    "CL604",
    "no-memory-limit",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.11 [5.10]",),
    reads=("mem_limit",),
)
def no_memory_limit(project: Project):
    """The container's memory is not limited.

    ## What it does
    Reports a workload without a memory limit: none of `mem_limit`,
    `deploy.resources.limits.memory` (`-m`/`--memory`), or one that is 0
    bytes (`0`, `0m`, and `0.5`, which Compose truncates to 0 bytes).  Both
    Compose spellings count whether or not the file has a `version:` key
    (Compose ignores `version:`; KICS only looks for limits when it is
    present) and `deploy.resources.limits` applies to plain `docker compose
    up`, not only to Swarm.  A reservation (`mem_reservation`,
    `deploy.resources.reservations.memory`) is not a limit; neither is
    `memswap_limit` alone (the Engine requires a memory limit with it).

    ## Why is this bad?
    One leaking or attacked container can take all the host's memory and get
    other containers, or the daemon, killed by the OOM killer.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        deploy:
          resources:
            reservations:
              memory: 128M
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        deploy:
          resources:
            limits:
              memory: 512M
    ```
    """
    yield from _limit_findings(
        project,
        "memory_limit",
        "memory",
        "`mem_limit: 512m`",
        "`memory: 512M`",
        "512m",
        "mem_limit",
    )


@rule(
    "CL605",
    "no-cpu-limit",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.12 [5.11]",),
    reads=("cpus",),
)
def no_cpu_limit(project: Project):
    """The container's CPU use is not limited.

    ## What it does
    Reports a workload without a CPU limit.  Accepted: `cpus`,
    `deploy.resources.limits.cpus` (`--cpus`), a positive `cpu_quota`
    (`--cpu-quota`) and `cpuset` (`--cpuset-cpus`, which pins the container
    to some CPUs), whether or not the file has a `version:` key.  A zero or
    negative value means unlimited and is reported at that value.
    `cpu_shares` is a relative weight, not a limit: a container with shares
    alone still takes every idle CPU.  `cpu_count`/`cpu_percent` only apply
    to Windows containers.

    ## Why is this bad?
    A busy or compromised container can starve every other workload of the
    host.

    ## Example
    ```yaml
    services:
      worker:
        image: alpine:3.20
        cpu_shares: 512
    ```

    ## Use instead
    ```yaml
    services:
      worker:
        image: alpine:3.20
        cpus: 1
    ```
    """
    yield from _limit_findings(project, "cpu_limit", "CPU", "`cpus: 1`", '`cpus: "1"`', "1", "cpus")


@rule(
    "CL606",
    "no-pids-limit",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.29 [5.28]",),
    reads=("pids_limit",),
)
def no_pids_limit(project: Project):
    """The number of processes in the container is not limited.

    ## What it does
    Reports a workload without `pids_limit` / `deploy.resources.limits.pids`
    (`--pids-limit`), or with 0 or -1 (unlimited), whether or not the file
    has a `version:` key.

    ## Why is this bad?
    A fork bomb, or a runaway worker pool, exhausts the host's process table
    and takes every other workload down with it.

    ## Example
    ```yaml
    services:
      worker:
        image: alpine:3.20
        pids_limit: -1
    ```

    ## Use instead
    ```yaml
    services:
      worker:
        image: alpine:3.20
        pids_limit: 200
    ```
    """
    yield from _limit_findings(
        project, "pids_limit", "PIDs", "`pids_limit: 200`", "`pids: 200`", "200", "pids_limit"
    )


@rule(
    "CL607",
    "no-healthcheck",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.27 [5.26]",),
    reads=("healthcheck",),
)
def no_healthcheck(project: Project):
    """The container has no healthcheck, or it is disabled.

    ## What it does
    Reports a workload without a `healthcheck` (`--health-cmd`) at the
    service key, and a disabled one (`disable: true`, `test: ["NONE"]`,
    `--no-healthcheck`) at that value.  A `healthcheck` that only tunes
    `interval`/`retries` keeps the image's check and is accepted.  An image
    may define a `HEALTHCHECK` itself; that cannot be seen from the file,
    so a service relying on it is reported (suppress with the reason).

    ## Why is this bad?
    Without a healthcheck a hung or half-broken container counts as running:
    `depends_on: condition: service_healthy`, restart policies and
    orchestrators cannot react to it.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        healthcheck:
          disable: true
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        healthcheck:
          test: ["CMD", "curl", "-fsS", "http://localhost/"]
          interval: 30s
    ```
    """
    for workload in project.workloads:
        value = workload.healthcheck
        if (value is not None and value.value) or (value is None and not _judged(workload)):
            continue
        health_cmd = _cli(workload, "healthcheck", "'<command that fails when unhealthy>'")
        if value is None:
            yield Finding(
                f"{subject(workload)} has no healthcheck (unless its image defines one)",
                workload.span,
                workload.name,
                "healthcheck",
                help=_hint(
                    workload,
                    '`healthcheck: {test: ["CMD", "<command that fails when unhealthy>"]}`',
                    health_cmd,
                ),
            )
        else:
            yield Finding(
                f"{subject(workload)} disables its healthcheck",
                value.span,
                workload.name,
                "healthcheck",
                help=(
                    'Replace it with `test: ["CMD", "<command that fails when unhealthy>"]`'
                    if _compose(workload)
                    else f"Replace `--no-healthcheck` with {health_cmd}"
                ),
            )


@rule(
    "CL608",
    "restart-policy-unbounded",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.15 [5.14]",),
    reads=("restart",),
)
def restart_policy_unbounded(project: Project):
    """The container is restarted on failure more than 5 times.

    ## What it does
    Reports an `on-failure` restart policy with more than 5 retries, or with
    no count, `0` or an unparsable count (all mean "retry forever"):
    `restart: on-failure[:N]`, `deploy.restart_policy` with `condition:
    on-failure` and `max_attempts`, `--restart on-failure[:N]`.  When both
    `restart` and `deploy.restart_policy` are written, Compose uses
    `deploy.restart_policy` and ignores `restart`; so does this rule.  Fewer
    than 5 retries is tighter than CIS asks and is not reported (KICS wants
    exactly 5).  `always` and `unless-stopped` are not reported: they are
    the policies of long-running services, not a retry budget.

    ## Why is this bad?
    A container that keeps failing and restarting hides the failure and,
    if the failure is an attack or a crash-on-input, gives it unlimited
    attempts (CIS 5.15 asks for at most 5).

    ## Example
    ```yaml
    services:
      job:
        image: alpine:3.20
        restart: on-failure
    ```

    ## Use instead
    ```yaml
    services:
      job:
        image: alpine:3.20
        restart: on-failure:5
    ```
    """
    for workload in project.workloads:
        value = workload.restart
        if value is None:
            continue
        if value.value.name != "on-failure":
            continue
        retries = value.value.retries
        if (
            retries is None or 0 < retries <= MAX_RESTARTS or retries < 0
        ):  # a negative count is refused by the Engine
            continue
        what = f"{retries} times" if retries > 0 else "forever"
        if workload.origin == "service-create":
            fix = "Use `--restart-condition on-failure --restart-max-attempts 5`"
        elif not _compose(workload):
            fix = f"Use {_cli(workload, 'restart', 'on-failure:5')}"
        elif _from_restart_key(workload, value):
            fix = "Write `restart: on-failure:5`"
        else:
            fix = "Set `max_attempts: 5` under `deploy.restart_policy`"
        yield Finding(
            f"{subject(workload)} is restarted on failure {what} (CIS: at most {MAX_RESTARTS})",
            value.span,
            workload.name,
            "restart",
            help=fix,
        )


def _from_restart_key(workload: Workload, value: Located[RestartPolicy]) -> bool:
    """Whether the policy was written with `restart:` (else `deploy.restart_policy`)."""
    key = workload.keys.get("restart")
    return key is not None and (key.path, key.line) == (value.span.path, value.span.line)


@rule("CL609", "runs-as-root", "warning", "hardening", default_on=False, reads=("user",))
def runs_as_root(project: Project):
    """The container is explicitly set to run as root.

    ## What it does
    Reports `user` (`-u`/`--user`) whose user part is `root` or UID 0, with
    any group: `root`, `0`, `0:0`, `root:root`, `0:1000`, the forms the
    runtime parses as 0 (`00`, `+0`), and a group alone (`:1000`), which
    keeps UID 0.  User names are looked up as written: `ROOT` is no user of
    the image, and the container does not start.  A workload without `user`
    runs as the image's `USER`, which cannot be seen from the file, and is
    not reported.

    ## Why is this bad?
    Root in the container is one kernel or runtime bug away from root on the
    host, and owns every file of the container's filesystem and volumes.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        user: "0:0"
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        user: "1000:1000"
    ```
    """
    for workload in project.workloads:
        value = workload.user
        if value is not None and value.value.is_root:
            yield Finding(
                f"{subject(workload)} runs as root ({setting(workload, 'user', value.value.written, value.span)})",
                value.span,
                workload.name,
                "user",
                help=(
                    'Write `user: "1000:1000"` (a UID the image\'s files allow)'
                    if _compose(workload)
                    else f"Use {_cli(workload, 'user', '1000:1000')} (a UID the image's files allow)"
                ),
            )


def _pulled_image(workload: Workload) -> Located[ImageRef] | None:
    """The image a workload pulls; None when it is built here or a part is empty or only known at
    run time."""
    if workload.image is None or "build" in workload.keys:
        return None
    image = workload.image.value
    if not image.name or image.tag == "" or image.digest == "" or image.name.endswith("/"):
        return None  # an empty part, or one only known at run time (a variable)
    return workload.image


@rule("CL610", "image-not-pinned", "warning", "hardening", default_on=False, reads=("image", "build"))
def image_not_pinned(project: Project):
    """The image has no tag or a tag that moves.

    ## What it does
    Reports a pulled image with no tag (so `latest`) or a channel tag:
    `latest`, `stable`, `edge`, `nightly`, `main`, `lts`, ... and any tag
    without a digit (`alpine`, `bookworm-slim`).  References are parsed, not
    pattern-matched: a registry port (`registry.local:5000/app`) is not a
    tag, a digest (`@sha256:...`) pins the image whatever the tag, and
    `${TAG}` is judged after interpolation from `.env` and defaults.  Images
    of services with `build:` are built here and are not reported.

    ## Why is this bad?
    The same file deploys different software from one day to the next; an
    upstream compromise or breaking release arrives without review.

    ## Example
    ```yaml
    services:
      web:
        image: registry.local:5000/web
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: registry.local:5000/web:2.4.1
    ```
    """
    for workload in project.workloads:
        pulled = _pulled_image(workload)
        if pulled is None:
            continue
        image = pulled.value
        if image.digest is not None:
            continue
        if image.tag is None:
            message = f"Image `{image.written}` has no tag, so `latest` is pulled"
        elif _mutable_tag(image.tag):
            message = f"Image `{image.written}` uses the moving tag `{image.tag}`"
        else:
            continue
        yield Finding(
            message,
            pulled.span,
            workload.name,
            "image",
            help=f"Pin a version tag, e.g. `{image.name}:<version>`, or a digest `{image.name}@sha256:<digest>`",
        )


@rule("CL611", "image-without-digest", "info", "hardening", default_on=False, reads=("image", "build"))
def image_without_digest(project: Project):
    """The image is not pinned by digest.

    ## What it does
    Reports a pulled image without an `@sha256:...` digest, tag or not.
    References are parsed (registry ports, `${TAG}` from `.env`); images of
    services with `build:` are not reported.  Stricter than CL610: a version
    tag can still be re-pushed.

    ## Why is this bad?
    A tag is a mutable pointer: whoever controls the registry (or a
    compromised account) can point it at other content.  A digest names
    exactly one image.

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
        image: nginx:1.27@sha256:0c86dddac19f2ce4fd716ac58c0fd87bf69bfd4edabfd6971fb885bafd12a00b
    ```
    """
    for workload in project.workloads:
        pulled = _pulled_image(workload)
        if pulled is None or pulled.value.digest is not None:
            continue
        image = pulled.value
        yield Finding(
            f"Image `{image.written}` is not pinned by digest",
            pulled.span,
            workload.name,
            "image",
            help=f"Append the digest: `{image.name}:{image.tag or '<tag>'}@sha256:<digest>` "
            "(`docker buildx imagetools inspect` prints it)",
        )


@rule(
    "CL612",
    "security-opt-not-set",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.3 [5.2]",),
    reads=("security_opt",),
)
def security_opt_not_set(project: Project):
    """The workload sets no security option at all.

    ## What it does
    Reports a workload with no `security_opt` (`--security-opt`) entry: it
    runs with the daemon's default seccomp and AppArmor/SELinux profiles and
    without `no-new-privileges`.

    ## Why is this bad?
    The defaults are generic; CIS asks for an explicit decision (an AppArmor
    or SELinux profile, `no-new-privileges`) per container.

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
        security_opt:
          - no-new-privileges:true
          - apparmor=docker-default
    ```
    """
    for workload in project.workloads:
        if workload.security_opt or not _judged(workload, "security_opt"):
            continue
        option = "`security_opt`" if _compose(workload) else _cli(workload, "security_opt")
        yield Finding(
            f"{subject(workload)} sets no {option}",
            workload.span,
            workload.name,
            "security_opt",
            help=_hint(
                workload,
                '`security_opt: ["no-new-privileges:true"]`',
                _cli(workload, "security_opt", "no-new-privileges"),
            ),
        )


@rule(
    "CL613",
    "cgroup-parent-set",
    "info",
    "hardening",
    default_on=False,
    references=("CIS Docker 5.25 [5.24]",),
    reads=("cgroup_parent",),
)
def cgroup_parent_set(project: Project):
    """The container is placed in a custom parent cgroup.

    ## What it does
    Reports `cgroup_parent` (`--cgroup-parent`) set to a non-empty value.

    ## Why is this bad?
    The container leaves the cgroup Docker manages for it: the resource
    limits and accounting of that parent apply instead, which may be
    unlimited or shared with host processes.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        cgroup_parent: system.slice
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
    ```
    """
    for workload in project.workloads:
        value = workload.cgroup_parent
        if value is not None and value.value.strip():
            yield Finding(
                f"{subject(workload)} runs under the parent cgroup `{value.value}`",
                value.span,
                workload.name,
                "cgroup_parent",
                help=f"Remove {setting(workload, 'cgroup_parent', value.value)} unless that cgroup's limits "
                "are managed on purpose",
            )


def _mount_identity(mount: Mount) -> tuple[str, str] | None:
    """What makes two mounts the same storage: a named volume, or a normalised host path."""
    if not mount.source or mount.kind not in ("volume", "bind"):
        return None
    if mount.kind == "volume":
        return "volume", mount.source
    source = mount.source
    if source.startswith("."):
        source = posixpath.join(posixpath.dirname(mount.span.path.replace("\\", "/")), source)
    return "bind", posixpath.normpath(source.replace("\\", "/")).rstrip("/") or "/"


@rule("CL614", "shared-volume", "info", "hardening", default_on=False, reads=("volumes",))
def shared_volume(project: Project):
    """The same volume is mounted by several services.

    ## What it does
    Reports every mount of a named volume, or of a host path, that another
    workload of the project (or script) mounts too, when at least one of them
    can write it.  Host paths are compared after normalisation (`./data` and
    `./data/` are one directory).  Mounts that are read-only everywhere
    (`/etc/localtime:/etc/localtime:ro`) are not reported: no service can
    change what the others see.  Anonymous volumes, tmpfs and `volumes_from`
    are not compared.

    ## Why is this bad?
    Shared writable storage is a channel between containers: a compromise of
    one service can plant files (configuration, scripts, uploads) that the
    other reads or executes, bypassing network isolation.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        volumes: [uploads:/srv/uploads]
      scanner:
        image: alpine:3.20
        volumes: [uploads:/data]
    volumes:
      uploads:
    ```

    ## Use instead
    Give the reader read-only access (or separate volumes):
    ```yaml
    services:
      app:
        image: alpine:3.20
        volumes: [uploads:/srv/uploads:ro]
      scanner:
        image: alpine:3.20
        volumes: [uploads:/data:ro]
    volumes:
      uploads:
    ```
    """
    users: dict[tuple[str, str], list[tuple[Workload, Mount]]] = defaultdict(list)
    for workload in project.workloads:
        for mount in workload.mounts:
            identity = _mount_identity(mount)
            if identity is not None:
                users[identity].append((workload, mount))
    for (kind, source), mounts in users.items():
        if len({id(w) for w, _ in mounts}) < 2 or all(m.read_only for _, m in mounts):
            continue
        for workload, mount in mounts:
            others = sorted({w.name for w, m in mounts if w is not workload})
            if not others:
                continue
            writers = sorted({w.name for w, m in mounts if not m.read_only and w is not workload})
            what = f"Volume `{source}`" if kind == "volume" else f"Host path `{mount.source}`"
            detail = (
                " (writable there)"
                if writers == others
                else " (read-only there)"
                if not writers
                else f" (writable in {', '.join(f'`{w}`' for w in writers)})"
            )
            yield Finding(
                f"{what} is also mounted by {', '.join(f'`{o}`' for o in others)}{detail}",
                mount.span,
                workload.name,
                f"volumes[{source}]",
                related=tuple(m.span for w, m in mounts if w is not workload),
                help="Give each service its own volume, or mount it read-only (`:ro`) where the "
                "service only reads it",
            )


@rule("CL615", "logging-disabled", "info", "hardening", default_on=False, reads=("logging",))
def logging_disabled(project: Project):
    """The container's logs are discarded.

    ## What it does
    Reports `logging.driver: none` (`--log-driver none`).

    ## Why is this bad?
    Nothing the container writes is kept: incidents cannot be investigated
    and attacks leave no trace.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        logging:
          driver: none
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        logging:
          driver: local
          options:
            max-size: 10m
    ```
    """
    for workload in project.workloads:
        value = workload.logging_driver
        if value is not None and value.value.strip().lower() == "none":
            yield Finding(
                f"{subject(workload)} discards its logs (logging driver `none`)",
                value.span,
                workload.name,
                "logging.driver",
                help="Use `driver: local` (rotated) or the host's log driver"
                if _compose(workload)
                else f"Use {_cli(workload, 'logging', 'local')}",
            )


@rule("CL616", "tmpfs-exec", "info", "hardening", default_on=False, reads=("tmpfs",))
def tmpfs_exec(project: Project):
    """A tmpfs mount gives back exec, suid or dev.

    ## What it does
    Reports a `tmpfs` (`--tmpfs`) entry whose options contain `exec`, `suid`
    or `dev` as whole words (`noexec` is fine).  Docker mounts every tmpfs
    `noexec,nosuid,nodev` and appends the written options, so these words
    turn the defaults off; of `exec` and `noexec` (`suid`, `dev`) the last
    one written wins, as in Docker.  `dev` is reported for completeness, though the
    device cgroup still refuses device nodes the container was not given.

    ## Why is this bad?
    A writable, executable tmpfs is where an attacker drops and runs a
    payload, defeating `read_only: true`; `suid` lets a planted setuid binary
    escalate.

    ## Example
    ```yaml
    services:
      app:
        image: alpine:3.20
        read_only: true
        tmpfs:
          - /tmp:exec,size=64m
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: alpine:3.20
        read_only: true
        tmpfs:
          - /tmp:size=64m
    ```
    """
    for workload in project.workloads:
        for entry in workload.tmpfs:
            target, weakened = entry.value.target, entry.value.allows
            if not weakened:
                continue
            kept = ",".join(o for o in entry.value.options if o and o not in weakened)
            fixed = f"{target}:{kept}" if kept else target
            yield Finding(
                f"tmpfs `{target}` of {workload_phrase(workload)} is mounted with {', '.join(f'`{w}`' for w in weakened)}",
                entry.span,
                workload.name,
                f"tmpfs[{target}]",
                help=f"Write `{fixed}`" if _compose(workload) else f"Use {_cli(workload, 'tmpfs', fixed)}",
            )
