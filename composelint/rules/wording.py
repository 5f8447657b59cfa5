"""How findings name a workload and its settings, in the syntax they were written in.

One rule, one message: `network_mode: host` in a compose file and `docker run
--net=host` in a script get the same sentence and the same fix, adapted to
how the user writes it ("Service `web`" / "Container `httpd #1` (docker
run)", `ports:` "127.0.0.1:80:80" / `-p 127.0.0.1:80:80`, `privileged: true` /
`--privileged`).  Rules call these helpers instead of spelling either syntax.
"""

from __future__ import annotations

import json
import re

from composelint import settings
from composelint.model import Network, Project, Workload
from composelint.types import Span

COMPOSE = "compose-service"
QUADLET = "quadlet"
DEVCONTAINER = "devcontainer"
# devcontainer.json properties that hold a list (`"capAdd": ["SYS_ADMIN"]`).
LIST_PROPERTIES = frozenset({"capAdd", "securityOpt", "mounts"})
# Settings spelled by several Quadlet keys chosen by the value (`SecurityLabelDisable=true`,
# `SeccompProfile=...`): a value no key stands for is named through `PodmanArgs=`.
VALUE_CHOOSES_KEY = frozenset({"security_opt"})


def from_command_line(workload: Workload) -> bool:
    """Started by a command in a script rather than declared as a compose service."""
    return workload.origin != COMPOSE


def command(workload: Workload) -> str:
    """`docker run`, `podman create`, `docker service create`, `docker compose run`."""
    if workload.origin in ("service-create", "compose-run"):
        return "docker " + workload.origin.replace("-", " ")
    return workload.origin.replace("-", " ")


def noun(workload: Workload) -> str:
    """What the user calls the workload: `service` (compose, swarm) or `container`."""
    return "service" if workload.origin in (COMPOSE, "service-create") else "container"


def workload_phrase(workload: Workload) -> str:
    """The workload inside a sentence: "service `web`", "container `httpd #1` (docker run)",
    "container `systemd-web` (Quadlet unit)", "container `app` (devcontainer.json)",
    "container `nginx #1` (docker run in `ExecStart=`)"."""
    if workload.syntax == QUADLET:
        return f"{noun(workload)} `{workload.name}` (Quadlet unit)"
    if workload.syntax == DEVCONTAINER:
        return f"{noun(workload)} `{workload.name}` (devcontainer.json)"
    if workload.unit_key:
        return f"{noun(workload)} `{workload.name}` ({command(workload)} in `{workload.unit_key}=`)"
    if from_command_line(workload):
        return f"{noun(workload)} `{workload.name}` ({command(workload)})"
    return f"service `{workload.name}`"


def subject(workload: Workload) -> str:
    """The workload at the start of a sentence: "Service `web`", "Container `httpd #1` (docker run)"."""
    text = workload_phrase(workload)
    return text[0].upper() + text[1:]


def others(workload: Workload) -> str:
    """The workload's peers: "another service" / "another container"."""
    return f"another {noun(workload)}"


def flag(workload: Workload, key: str) -> str:
    """The command-line flag for a setting of the settings table (`ports` -> `-p`, `--publish` in
    `docker service create`)."""
    command = {"service-create": settings.SERVICE_CREATE, "compose-run": settings.COMPOSE_RUN}.get(
        workload.origin, settings.RUN
    )
    listed = settings.BY_NAME[key].flag(command)
    return listed.shown if listed else "--" + key.replace("_", "-")


def own_key(syntax: str, name: str) -> str | None:
    """The Quadlet key or devcontainer.json property of a setting, in that syntax, when the setting
    has one (from the table of Docker settings)."""
    row = settings.BY_NAME.get(name)
    if row is None or (syntax == QUADLET and name in VALUE_CHOOSES_KEY):
        return None
    keys = {QUADLET: row.quadlet, DEVCONTAINER: row.devcontainer}.get(syntax, ())
    return keys[0] if keys else None


def _flag_words(workload: Workload, name: str, value: object) -> list[str]:
    """The command-line words of a setting: `--privileged`, `--privileged=false`, `--network host`."""
    if value is True:
        return [flag(workload, name)]
    if value is False:
        return [f"{flag(workload, name)}=false"]
    return [flag(workload, name), str(value)]


def _own_syntax(workload: Workload, name: str, value: object, syntax: str) -> str:
    """A setting as a Quadlet unit or a devcontainer.json writes it, without backticks:
    `Network=host` or `PodmanArgs=--privileged`; `"privileged": true`, `"capAdd": ["SYS_ADMIN"]`
    or `"runArgs": ["--network=host"]` (a setting without a property, or written there)."""
    key = own_key(syntax, name)
    if syntax == QUADLET:
        if key is not None:
            return f"{key}={json.dumps(value) if isinstance(value, bool) else value}"
        if name == "security_opt" and isinstance(value, str) and (option := _quadlet_security_key(value)):
            return option
        return "PodmanArgs=" + " ".join(_flag_words(workload, name, value))
    if key is not None:
        return f'"{key}": ' + json.dumps([value] if key in LIST_PROPERTIES else value)
    words = _flag_words(workload, name, value)
    return '"runArgs": ' + json.dumps(["=".join(words)])


def _quadlet_security_key(value: str) -> str | None:
    """The Quadlet key that writes a security option: `label=disable` -> `SecurityLabelDisable=true`,
    `seccomp:x` -> `SeccompProfile=x`; None for an option no key stands for (`apparmor=...`)."""
    option = re.sub(r"^([\w-]+):", r"\1=", value)  # Docker takes `seccomp:x` for `seccomp=x`
    for key, (shape, spelled) in settings.QUADLET_SECURITY_OPTIONS.items():
        if shape == "switch" and option in (spelled, f"{spelled}=true"):
            return f"{key}=true"
        if shape == "prefix" and option.startswith(spelled) and len(option) > len(spelled):
            return f"{key}={option[len(spelled) :]}"
    return None


def setting_name(workload: Workload, name: str) -> str:
    """A setting's name as written, in backticks: `ports` / `-p` / `PublishPort=` / `"capAdd"`."""
    if workload.syntax:
        key = own_key(workload.syntax, name)
        if key is not None:
            return f"`{key}=`" if workload.syntax == QUADLET else f'`"{key}"`'
        return (
            f"`PodmanArgs={flag(workload, name)}`"
            if workload.syntax == QUADLET
            else f'`"runArgs": ["{flag(workload, name)}"]`'
        )
    return f"`{flag(workload, name)}`" if from_command_line(workload) else f"`{name}`"


def _syntax_at(workload: Workload, at: Span | None) -> str:
    """The syntax the value at `at` is written in: the workload's own, or "runArgs"/"devcontainer"
    where `Workload.written_as` says so (`"runArgs": ["--privileged"]` beside a `"privileged"`
    property; a devcontainer.json's `"privileged": true` on a compose service)."""
    if at is None:
        return workload.syntax
    for area, syntax in workload.written_as:
        if area.contains(at):
            return syntax
    return workload.syntax


def setting(workload: Workload, name: str, value: object = True, at: Span | None = None) -> str:
    """A setting with its value as written (at `at`, when known), in backticks.

    `network_mode: host` / `--network host` / `Network=host` / `"runArgs": ["--network=host"]`;
    `privileged: true` / `--privileged` / `PodmanArgs=--privileged` / `"privileged": true` or
    `"runArgs": ["--privileged"]`.
    """
    syntax = _syntax_at(workload, at)
    if syntax:
        return f"`{_own_syntax(workload, name, value, syntax)}`"
    if from_command_line(workload):
        if value is True:
            return f"`{flag(workload, name)}`"
        if value is False:
            return f"`{flag(workload, name)}=false`"
        return f"`{flag(workload, name)} {value}`"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"`{name}: {value}`"


def ports_hint(workload: Workload, mappings: list[str]) -> str:
    """How to publish `mappings` (`127.0.0.1:80:80` ...) in the workload's syntax.

    compose: `ports:` "127.0.0.1:80:80", "127.0.0.1:443:443"
    command line: `-p 127.0.0.1:80:80 -p 127.0.0.1:443:443`
    Quadlet: `PublishPort=127.0.0.1:80:80` `PublishPort=127.0.0.1:443:443`
    devcontainer.json: `"runArgs": ["-p", "127.0.0.1:80:80"]`
    """
    if workload.syntax == QUADLET:
        return " ".join(f"`PublishPort={m}`" for m in mappings)
    if workload.syntax == DEVCONTAINER:
        option = flag(workload, "ports")
        return '`"runArgs": ' + json.dumps([word for m in mappings for word in (option, m)]) + "`"
    if from_command_line(workload):
        option = flag(workload, "ports")
        return "`" + " ".join(f"{option} {m}" for m in mappings) + "`"
    return "`ports:` " + ", ".join(f'"{m}"' for m in mappings)


def ports_list(workload: Workload, mappings: list[str]) -> str:
    """Like ports_hint, as one compose list: `ports: ["127.0.0.1:80:80"]` / `-p 127.0.0.1:80:80`."""
    if from_command_line(workload) or workload.syntax:
        return ports_hint(workload, mappings)
    return "`ports: [" + ", ".join(f'"{m}"' for m in mappings) + "]`"


def rejected_by(workload: Workload) -> str:
    """Who refuses an invalid combination: Compose for a service, Docker for a command."""
    return "Docker" if from_command_line(workload) else "Compose"


def network_from_command_line(project: Project, network: Network) -> bool:
    """The network was created by `docker network create` in a script."""
    return project.read_as(network.span.path, "shell")


def network_option(project: Project, network: Network, option: str, value: str) -> str:
    """A driver option as written: `driver_opts: {encrypted: "true"}` / `-o encrypted=true`."""
    if network_from_command_line(project, network):
        return f"`-o {option}={value}`"
    return f'`driver_opts: {{{option}: "{value}"}}`'


def list_entry(workload: Workload, name: str, value: str, at: Span | None = None) -> str:
    """One entry of a list setting (written at `at`, when known), in backticks:
    `seccomp:unconfined` / `--security-opt seccomp:unconfined` / `PodmanArgs=--security-opt
    seccomp:unconfined` / `"securityOpt": ["seccomp:unconfined"]` or `"runArgs":
    ["--security-opt=seccomp:unconfined"]`."""
    syntax = _syntax_at(workload, at)
    if syntax:
        return f"`{_own_syntax(workload, name, value, syntax)}`"
    if from_command_line(workload):
        return f"`{flag(workload, name)} {value}`"
    return f"`{value}`"
