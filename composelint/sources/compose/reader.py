"""Compose front end: a merged, interpolated compose tree -> the network-config model.

Fields are read as Compose v2 reads them (YAML 1.2 typing, strings cast for
boolean fields, short and long syntax).  Loading, interpolation and merging
happen before (sources/compose/project.py); every value keeps the span of the file
and line where it was written.
"""

from __future__ import annotations

import shlex

from composelint import settings
from composelint.model import (
    Device,
    Diagnostic,
    ExtraHost,
    ImageRef,
    Located,
    Mount,
    Network,
    NetworkAttachment,
    Origin,
    PortError,
    Project,
    Span,
    Sysctl,
    Tmpfs,
    Variable,
    Workload,
)
from composelint.patterns import lazy_pattern
from composelint.records import replace
from composelint.settings import Setting
from composelint.sources.compose.interpolation import starts_unset
from composelint.sources.compose.merge import MergeNotes
from composelint.sources.compose.yaml_tree import YMap, YNode, YScalar, YSeq
from composelint.sources.ports import host_ip_variable, parse_long, parse_short
from composelint.values import limits_nothing, number_past_bound, parse_image

_TRUE = {"true", "yes", "on", "y", "1"}
_FALSE = {"false", "no", "off", "n", "0"}
_VOLUME_OPTIONS = {
    "ro",
    "rw",
    "z",
    "Z",
    "nocopy",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "private",
    "rprivate",
    "cached",
    "delegated",
    "consistent",
}
_DRIVE = lazy_pattern(r"^[A-Za-z]:[\\/]")

# Settings read as they are written: one scalar, or a string-or-list of scalars.
_PLAIN_SETTINGS = (
    "network_mode",
    "pid",
    "ipc",
    "uts",
    "userns_mode",
    "cgroup",
    "hostname",
    "mac_address",
    "cap_add",
    "cap_drop",
    "security_opt",
    "links",
    "external_links",
    "dns",
    "dns_search",
    "expose",
)


def read_model(project: Project, root: YNode, notes: MergeNotes | None = None) -> None:
    """Fill `project` with the workloads and networks of a merged compose tree."""
    reader = _ComposeReader(project, notes or MergeNotes())
    reader.read_root(root)
    reader.attach_implicit_default()


class _ComposeReader:
    def __init__(self, project: Project, notes: MergeNotes):
        self.project = project
        self.notes = notes

    # -- scalars ---------------------------------------------------------
    def text(self, node: YNode | None) -> Located[str] | None:
        """A scalar's (interpolated) text; None for null and collections."""
        if not isinstance(node, YScalar) or node.value is None:
            return None
        if node.tag.endswith(":int"):
            return Located(str(node.value), node.span)
        return Located(node.text, node.span)

    def flag(self, node: YNode | None) -> Located[bool] | None:
        located = self.text(node)
        if located is None:
            return None
        word = located.value.strip().lower()
        if word in _TRUE:
            return Located(True, located.span)
        if word in _FALSE or word == "":
            return Located(False, located.span)
        return None

    def texts(self, node: YNode | None) -> list[Located[str]]:
        """A list of scalars, or a single scalar (Compose's string-or-list fields)."""
        items = node.items if isinstance(node, YSeq) else [node] if node is not None else []
        return [value for value in (self.text(item) for item in items) if value is not None]

    def typed(self, setting: Setting, located: Located[str] | None) -> Located | None:
        """The value as the setting's parser types it (text stays text when the setting has none);
        a number past the integer bound in it is CL010, and the parser reads no amount from it."""
        if located is None:
            return None
        self.past_bound(setting, located)
        return located if setting.parse is None else Located(setting.parse(located.value), located.span)

    def typed_each(self, name: str, entries: list[Located[str]]) -> list[Located]:
        """Each entry of list setting `name`, typed by its parser; an entry with a number past the
        integer bound is CL010 and not read."""
        setting = settings.BY_NAME[name]
        return [
            Located(setting.parse(entry.value), entry.span) if setting.parse else entry
            for entry in entries
            if not self.past_bound(setting, entry)
        ]

    def past_bound(self, setting: Setting, located: Located[str]) -> bool:
        """CL010 where a setting that holds numbers has one past the integer bound."""
        message = number_past_bound(located.value) if setting.numbers else None
        if message:
            self.project.diagnostics.append(Diagnostic("CL010", message, located.span))
        return message is not None

    # -- document ----------------------------------------------------------
    def read_root(self, root: YNode) -> None:
        if not isinstance(root, YMap):
            return
        networks = root.get("networks")
        if isinstance(networks, YMap):
            for key, value in networks.items:
                self.project.networks[key.text] = self.read_network(key, value)
        services = root.get("services")
        if isinstance(services, YMap):
            for key, value in services.items:
                self.project.workloads.append(self.read_service(key, value))

    def read_network(self, key: YScalar, node: YNode) -> Network:
        network = Network(key=key.text, span=key.span)
        if not isinstance(node, YMap):
            return network
        network.name = self.text(node.get("name"))
        network.driver = self.text(node.get("driver"))
        network.internal = self.flag(node.get("internal"))
        external = node.get("external")
        if isinstance(external, YMap):  # legacy `external: {name: x}`
            network.external = Located(True, external.span)
            network.name = network.name or self.text(external.get("name"))
        else:
            network.external = self.flag(external)
        network.enable_ipv6 = self.flag(node.get("enable_ipv6"))
        network.attachable = self.flag(node.get("attachable"))
        options = node.get("driver_opts")
        if isinstance(options, YMap):
            for option, value in options.items:
                located = self.text(value)
                if located is not None:
                    network.driver_opts[option.text] = located
        return network

    def read_service(self, key: YScalar, node: YNode) -> Workload:
        workload = Workload(name=key.text, origin=Origin.COMPOSE_SERVICE, span=key.span)
        if not isinstance(node, YMap):
            return workload
        workload.keys = {k.text: k.span for k, _ in node.items}
        for name in _PLAIN_SETTINGS:
            setting = settings.BY_NAME[name]
            attribute = setting.fields[0].partition(".")[2]
            if isinstance(getattr(workload, attribute), list):
                setattr(workload, attribute, self.typed_each(name, self.texts(node.get(name))))
            else:
                setattr(workload, attribute, self.typed(setting, self.text(node.get(name))))
        workload.image = self.read_image(node.get("image"))
        workload.privileged = self.flag(node.get("privileged"))
        workload.use_api_socket = self.flag(node.get("use_api_socket"))
        workload.networks = self.read_attachments(node.get("networks"))
        self.read_ports(workload, node.get("ports"))
        workload.devices = self.read_devices(node.get("devices"))
        workload.mounts = [m for m in (self.read_volume(item) for item in _items(node.get("volumes"))) if m]
        workload.sysctls = self.read_sysctls(node.get("sysctls"))
        workload.extra_hosts = self.read_extra_hosts(node.get("extra_hosts"))
        build = node.get("build")
        if isinstance(build, YMap):
            workload.build_network = self.text(build.get("network"))
        workload.profiles = tuple(p.value for p in self.texts(node.get("profiles")))
        workload.command = self.read_command(node.get("command"))
        workload.environment = self.read_variables(node.get("environment"))
        workload.labels = self.read_variables(node.get("labels"))
        self.read_hardening(workload, node)
        return workload

    # -- hardening settings (CL6xx) ----------------------------------------
    def read_hardening(self, workload: Workload, node: YMap) -> None:
        """The settings the hardening rules read, in every spelling Compose accepts.

        Where two keys set the same thing, the value the Engine gets wins
        (docker compose `getDeployResources`/`getRestartPolicy`): a non-zero
        `deploy.resources.limits.*` over the top-level key, `deploy.restart_policy`
        over `restart`.  A zero ("unlimited") value is kept when nothing else
        limits, so a rule can point at it.
        """
        workload.user = self.typed(settings.BY_NAME["user"], self.text(node.get("user")))
        workload.read_only = self.flag(node.get("read_only"))
        limits = _child(node, "deploy", "resources", "limits")
        workload.memory_limit = self.typed(
            settings.BY_NAME["mem_limit"],
            _effective_limit(
                [self.text(limits.get("memory")) if limits else None, self.text(node.get("mem_limit"))]
            ),
        )
        cpuset = self.text(node.get("cpuset"))
        if cpuset is not None and cpuset.value.strip():
            cpuset = Located(f"cpuset {cpuset.value.strip()}", cpuset.span)  # CPUs it may use: a limit
        workload.cpu_limit = self.typed(
            settings.BY_NAME["cpus"],
            _effective_limit(
                [
                    self.text(limits.get("cpus")) if limits else None,
                    self.text(node.get("cpus")),
                    self.text(node.get("cpu_quota")),
                    cpuset,
                ]
            ),
        )
        workload.pids_limit = self.typed(
            settings.BY_NAME["pids_limit"],
            _effective_limit(
                [self.text(limits.get("pids")) if limits else None, self.text(node.get("pids_limit"))]
            ),
        )
        workload.healthcheck = self.read_healthcheck(node)
        workload.restart = self.typed(settings.BY_NAME["restart"], self.read_restart(node))
        workload.cgroup_parent = self.text(node.get("cgroup_parent"))
        logging = node.get("logging")
        if isinstance(logging, YMap):
            workload.logging_driver = self.text(logging.get("driver"))
        workload.tmpfs = self.typed_each("tmpfs", self.texts(node.get("tmpfs")))
        for item in _items(node.get("volumes")):  # long syntax `type: tmpfs` (no exec/suid/dev option there)
            if isinstance(item, YMap):
                kind, target = self.text(item.get("type")), self.text(item.get("target"))
                if kind is not None and kind.value == "tmpfs" and target is not None:
                    workload.tmpfs.append(Located(Tmpfs(target.value, target.value, (), ()), item.span))

    def read_healthcheck(self, node: YMap) -> Located[bool] | None:
        """True when a healthcheck is configured, False when it is disabled
        (`disable: true` or `test: ["NONE"]`), None when there is none."""
        healthcheck = node.get("healthcheck")
        if not isinstance(healthcheck, YMap):
            return None
        disable = self.flag(healthcheck.get("disable"))
        if disable is not None and disable.value:
            return Located(False, disable.span)
        test = healthcheck.get("test")
        if isinstance(test, YSeq) and test.items:
            first = self.text(test.items[0])
            if first is not None and first.value.strip().upper() == "NONE":
                return Located(False, test.span)
        key = node.key_node("healthcheck")
        return Located(True, key.span if key is not None else healthcheck.span)

    def read_restart(self, node: YMap) -> Located[str] | None:
        """The restart policy the Engine gets, as `--restart` writes it (`on-failure:5`).

        `deploy.restart_policy` replaces `restart` (docker compose getRestartPolicy);
        its conditions map to engine names (`any` -> always, `none` -> no).
        """
        policy = _child(node, "deploy", "restart_policy")
        if policy is None:
            return self.text(node.get("restart"))
        condition = self.text(policy.get("condition"))
        name = condition.value.strip() if condition else ""
        name = {"any": "always", "none": "no", "": "no"}.get(name, name)
        attempts = self.text(policy.get("max_attempts"))
        if name == "on-failure" and attempts is not None:
            return Located(f"on-failure:{attempts.value.strip()}", attempts.span)
        deploy = node.get("deploy")
        key = deploy.key_node("restart_policy") if isinstance(deploy, YMap) else None
        span = condition.span if condition else key.span if key else policy.span
        return Located(name, span)

    def read_attachments(self, node: YNode | None) -> list[NetworkAttachment]:
        if isinstance(node, YSeq):
            return [
                NetworkAttachment(item.text, item.span)
                for item in node.items
                if isinstance(item, YScalar) and item.value is not None
            ]
        if isinstance(node, YMap):
            return [NetworkAttachment(key.text, key.span) for key, _ in node.items]
        return []

    def read_ports(self, workload: Workload, node: YNode | None) -> None:
        ports = settings.BY_NAME["ports"]
        for item in _items(node):
            texts = (
                [self.text(value) for _, value in item.items] if isinstance(item, YMap) else [self.text(item)]
            )
            if self.past_bound(ports, Located(" ".join(text.value for text in texts if text), item.span)):
                continue
            if isinstance(item, YMap):
                fields = {}
                for key, value in item.items:
                    located = self.text(value)
                    fields[key.text] = located.value if located else None
                raw = ", ".join(f"{k}: {v}" for k, v in fields.items())
                nested = next((k.text for k, v in item.items if not isinstance(v, YScalar)), None)
                result = (
                    PortError(raw, f"`{nested}` must be a string or a number", item.span)
                    if nested
                    else parse_long(fields, raw, item.span)
                )
            elif isinstance(item, YScalar):
                located = self.text(item)
                if located is None:
                    continue
                result = parse_short(
                    located.value,
                    item.span,
                    "short",
                    plain=item.plain and item.tag.endswith((":str", ":int")),
                )
                written = getattr(item, "written", None)
                if written is not None:  # show the text as written, reason about its value
                    if isinstance(result, PortError):
                        if getattr(item, "unset", ()) or getattr(item, "invalid", False):
                            continue  # CL005 / CL004 already say why the value is missing
                        result = replace(result, raw=written)
                    else:
                        result = replace(
                            result,
                            raw=written,
                            from_variable=True,
                            host_ip_variable=host_ip_variable(written),
                        )
            else:
                result = PortError(
                    "<collection>", "a port entry must be a string, a number or a mapping", item.span
                )
            if isinstance(result, PortError):
                workload.port_errors.append(result)
            else:
                workload.ports.append(replace(result, kept_beside=self.notes.kept_beside.get(id(item))))

    def read_image(self, node: YNode | None) -> Located[ImageRef] | None:
        """The image.  Its unset variables are parts only known at run time, not empty ones:
        `${REGISTRY}/app:1` is `app` on some registry, not `/app` (parse_image)."""
        located = self.text(node)
        if located is None:
            return None
        return Located(parse_image(getattr(node, "at_run_time", "") or located.value), located.span)

    def read_devices(self, node: YNode | None) -> list[Located[Device]]:
        devices = []
        for item in _items(node):
            if isinstance(item, YMap):  # long syntax: `source` is the host path
                source = self.text(item.get("source"))
                if source is not None:
                    devices.append(Located(Device(source.value, source.value, False), source.span))
            else:
                devices += self.typed_each("devices", [text] if (text := self.text(item)) else [])
        return devices

    def read_volume(self, item: YNode) -> Mount | None:
        if isinstance(item, YMap):
            kind = self.text(item.get("type"))
            source = self.text(item.get("source"))
            written = getattr(item.get("source"), "written", "")
            if source is not None and starts_unset(written, getattr(item.get("source"), "unset", ())):
                source = Located(written, source.span)  # the host path is unknown: keep it as written
            target = self.text(item.get("target"))
            read_only = self.flag(item.get("read_only"))
            bind = item.get("bind")
            propagation = self.text(bind.get("propagation")) if isinstance(bind, YMap) else None
            return Mount(
                kind=kind.value if kind else "volume",
                source=source.value if source else None,
                target=target.value if target else None,
                read_only=bool(read_only and read_only.value),
                propagation=propagation.value if propagation else None,
                span=item.span,
                source_span=source.span if source else None,
                propagation_span=propagation.span if propagation else None,
            )
        located = self.text(item)
        if located is None:
            return None
        mount = parse_volume_short(located.value, located.span)
        written = getattr(item, "written", "")
        rest = located.value[len(mount.source or "") :]
        if (
            mount.source is not None
            and starts_unset(written, getattr(item, "unset", ()))
            and written.endswith(rest)
        ):
            # `${DATA}/etc/x` with DATA unset is not `/etc/x`: the host path is unknown, keep it as written
            return replace(mount, source=written[: len(written) - len(rest)])
        return mount

    def read_command(self, node: YNode | None) -> list[Located[str]]:
        """The command's words: a list as written, a string split as Compose splits it (shell words)."""
        if isinstance(node, YSeq):
            return self.texts(node)
        located = self.text(node)
        if located is None:
            return []
        try:
            words = shlex.split(located.value)
        except ValueError:
            words = located.value.split()
        return [Located(word, located.span) for word in words]

    def read_variables(self, node: YNode | None) -> list[Variable]:
        """`environment` / `labels` entries, as a mapping or as a list of `KEY=VALUE`."""
        variables = []
        if isinstance(node, YMap):
            for key, value in node.items:
                located = self.text(value)
                span = Span(
                    key.span.path, key.span.line, key.span.column, value.span.end_line, value.span.end_column
                )
                literal = getattr(value, "written", None) is None
                variables.append(Variable(key.text, located.value if located else None, span, literal))
        for item in _items(node):
            located = self.text(item)
            if located is not None:
                name, equals, text = located.value.partition("=")
                literal = "$" not in getattr(item, "written", "").partition("=")[2]
                variables.append(Variable(name.strip(), text if equals else None, located.span, literal))
        return variables

    def read_sysctls(self, node: YNode | None) -> list[Located[Sysctl]]:
        return self.typed_each("sysctls", self.key_values(node, whole_entry=True))

    def read_extra_hosts(self, node: YNode | None) -> list[Located[ExtraHost]]:
        return self.typed_each("extra_hosts", self.key_values(node))

    def key_values(self, node: YNode | None, whole_entry: bool = False) -> list[Located[str]]:
        """A list of `KEY=VALUE` strings, or a mapping written as one (at the key, or at the whole
        entry when `whole_entry`)."""
        if not isinstance(node, YMap):
            return self.texts(node)
        entries = []
        for key, value in node.items:
            located = self.text(value)
            span = key.span
            if whole_entry:
                span = Span(span.path, span.line, span.column, value.span.end_line, value.span.end_column)
            entries.append(Located(f"{key.text}={located.value if located else ''}", span))
        return entries

    def attach_implicit_default(self) -> None:
        """Compose puts every service without `network_mode` or `networks` on `default`."""
        for workload in self.project.workloads:
            if workload.network_mode is None and not workload.networks:
                workload.networks = [NetworkAttachment("default", workload.span)]
                if "default" not in self.project.networks:
                    self.project.networks["default"] = Network("default", workload.span, implicit=True)


def _items(node: YNode | None) -> list[YNode]:
    return node.items if isinstance(node, YSeq) else []


def _child(node: YNode | None, *path: str) -> YMap | None:
    """The mapping at `path` below `node`, or None."""
    for key in path:
        node = node.get(key) if isinstance(node, YMap) else None
    return node if isinstance(node, YMap) else None


def _effective_limit(candidates: list[Located[str] | None]) -> Located[str] | None:
    """The first candidate that limits something (they are in the Engine's order of
    precedence), else the first one written (an explicit "unlimited"), else None."""
    written = [c for c in candidates if c is not None]
    return next((c for c in written if not limits_nothing(c.value)), written[0] if written else None)


def parse_volume_short(value: str, span: Span) -> Mount:
    """`SRC:DST[:OPTS]` or a bare container path; SRC is a bind iff it looks like a path."""
    prefix = ""
    rest = value
    if _DRIVE.match(value):
        prefix, rest = value[:2], value[2:]
    parts = rest.split(":")
    parts[0] = prefix + parts[0]
    options: list[str] = []
    if (
        len(parts) >= 3 or (len(parts) == 2 and set(parts[1].split(",")) <= _VOLUME_OPTIONS and parts[1])
    ) and set(parts[-1].split(",")) <= _VOLUME_OPTIONS:
        options = parts.pop().split(",")
    if len(parts) == 1:
        return Mount("volume", None, parts[0], "ro" in options, None, span)
    source, target = parts[0], ":".join(parts[1:])
    is_bind = source.startswith((".", "/", "~", "\\")) or bool(_DRIVE.match(source))
    propagation = next(
        (o for o in options if o in {"shared", "rshared", "slave", "rslave", "private", "rprivate"}), None
    )
    return Mount(
        "bind" if is_bind else "volume",
        source,
        target,
        "ro" in options,
        propagation,
        span,
        source_span=span,
        propagation_span=span if propagation else None,
    )
