"""Podman Quadlet units (`*.container`, `*.pod`, `*.network`, `*.volume`, `*.kube`).

Quadlet turns each unit into a `podman run` (`podman pod create`, `podman
kube play`) command line: every key stands for a podman flag
(podman-systemd.unit(5)).  So does this front end: the keys of `[Container]`,
`[Pod]` and `[Kube]` become podman words, each with the span of the key
(flag) and of its value, and go through the podman grammar of
sources/docker_cli/reader.py; `PodmanArgs=` is split with systemd's quoting and
added as written.  Findings land on the key's value, e.g. `Network=host` at
`host`.

The files of one directory form one project, as Quadlet reads them
together: `Network=db.network` joins the network that `db.network` defines
(named by its `NetworkName=`, else `systemd-db`), with its `Internal=`,
`Driver=`, `Options=` and `IPv6=`; `Pod=web.pod` puts the container into the
pod's network namespace (`Network=` and `PublishPort=` of the pod);
`Network=db.container` joins that container's namespace.  A container is
named by `ContainerName=`, else `systemd-<unit name>`, as Quadlet names it.
Files without their kind's section (`[Container]`, ...) are not Quadlet units
(a Perl `.pod`, a systemd-networkd `.network` with `[Match]`) and are ignored.
`%` specifiers are expanded as in a systemd unit (`%h`, `%t`: only known at
run time); `Environment=` does not reach these keys (Quadlet does not
substitute variables in them).  `.volume` files define named volumes, which
no rule reads; `.kube` files publish ports and join networks.
"""

from __future__ import annotations

import os

from composelint.limits import MAX_UNIT_BYTES
from composelint.model import Located, Network, Project, SourceFile, Span
from composelint.records import record
from composelint.settings import QUADLET_SECURITY_OPTIONS, RUN, SETTINGS
from composelint.sources.directives import scan_directives
from composelint.sources.docker_cli.reader import read_invocations
from composelint.sources.docker_cli.words import Invocation, Word
from composelint.sources.units.systemd import UnitReader
from composelint.sources.units.unit_file import Entry, Text, UnitFile, socket_activated, split_words
from composelint.types import Origin

QUADLET_EXTENSIONS = (".container", ".pod", ".network", ".volume", ".kube")
SECTIONS = {
    ".container": "Container",
    ".pod": "Pod",
    ".kube": "Kube",
    ".network": "Network",
    ".volume": "Volume",
}

# How a Quadlet key's value is written, where it is not simply one value of its setting's `podman
# run` flag (the flag comes from the table of Docker settings, composelint/settings.py): `split`, a
# blank-separated list; `switch`, a boolean that adds the spelled option when true; `prefix`, the
# value of the spelled option; `boolean`, the flag's own `=true|false`; `network`, a name or a
# `.network`/`.container`/`.pod` reference; `device`, `-` before an optional device; `skip`: read
# with another key (`Group=` belongs to `User=`).
QUADLET_VALUES: dict[str, tuple[str, str | None]] = {
    "Network": ("network", None),
    "AddCapability": ("split", None),
    "DropCapability": ("split", None),
    "Sysctl": ("split", None),
    "Environment": ("split", None),
    "Label": ("split", None),
    **{key: (shape, "--security-opt=" + option) for key, (shape, option) in QUADLET_SECURITY_OPTIONS.items()},
    "ReadOnly": ("boolean", None),
    "AddDevice": ("device", None),
    "Mount": ("value", "--mount"),
    "Group": ("skip", None),
}


def quadlet_flags() -> dict[str, tuple[str, str]]:
    """Quadlet key -> (the podman flag it stands for, how its value is written), from the table."""
    flags = {"PodmanArgs": ("", "arguments")}
    for setting in SETTINGS:
        flag = setting.flag(RUN)
        if flag is None or setting.name.startswith("network."):
            continue
        for key in setting.quadlet:
            shape, spelling = QUADLET_VALUES.get(key, ("value", None))
            flags[key] = (spelling or "--" + flag.name, shape)
    return flags


QUADLET_FLAGS = quadlet_flags()
_TRUE = ("1", "yes", "y", "true", "t", "on")  # systemd's parse_boolean
_FALSE = ("0", "no", "n", "false", "f", "off")


@record
class QuadletFile:
    """One parsed unit with what other units refer to it by."""

    path: str
    shown: str
    unit: UnitFile
    extension: str
    stem: str

    @property
    def is_quadlet(self) -> bool:
        """It has its kind's section (a Perl `.pod`, a systemd-networkd `.network` with `[Match]` do not count)."""
        return SECTIONS[self.extension] in self.unit.sections and "Match" not in self.unit.sections

    @property
    def section(self) -> list[Entry]:
        return self.unit.entries_in(SECTIONS[self.extension])

    def last(self, key: str) -> Entry | None:
        return next((e for e in reversed(self.section) if e.key == key), None)

    def resource_name(self) -> str:
        """The podman name Quadlet gives the container, pod or network."""
        key = {".container": "ContainerName", ".pod": "PodName", ".network": "NetworkName"}.get(
            self.extension
        )
        entry = self.last(key) if key else None
        return entry.value.chars if entry is not None and entry.value.chars else f"systemd-{self.stem}"


class QuadletReader:
    """Reads the units of one directory into one project."""

    def __init__(self, files: list[QuadletFile], project: Project):
        self.files = {os.path.basename(f.path): f for f in files if f.is_quadlet}
        self.project = project

    def read(self) -> None:
        for quadlet in self.files.values():
            if quadlet.extension == ".network":
                self.read_network(quadlet)
        for quadlet in self.files.values():
            if quadlet.extension in (".container", ".pod", ".kube"):
                self.read_workload(quadlet)

    def read_network(self, quadlet: QuadletFile) -> None:
        name = quadlet.resource_name()
        network = Network(key=name, span=quadlet.unit.span(0, 1), name=Located(name, quadlet.unit.span(0, 1)))
        for entry in quadlet.section:
            value = entry.value.chars
            span = quadlet.unit.value_span(entry)
            if entry.key == "Driver" and value:
                network.driver = Located(value, span)
            elif entry.key in ("Internal", "IPv6") and value.lower() in (*_TRUE, *_FALSE):
                attribute = "internal" if entry.key == "Internal" else "enable_ipv6"
                setattr(network, attribute, Located(value.lower() in _TRUE, span))
            elif entry.key == "Options":
                for word in split_words(entry.value):
                    for option in word.text.chars.split(","):
                        key, _, setting = option.partition("=")
                        network.driver_opts[key] = Located(setting, quadlet.unit.span(word.start, word.end))
        self.project.networks.setdefault(name, network)

    def read_workload(self, quadlet: QuadletFile) -> None:
        unit = quadlet.unit
        reader = UnitReader(unit, os.path.basename(quadlet.path), ("podman",))
        section = quadlet.section
        header = self.header_span(quadlet)
        words = [Word("podman", header, "podman"), Word("run", header, SECTIONS[quadlet.extension])]
        pod: Located[str] | None = None
        for entry in section:
            if entry.key == "Pod" and quadlet.extension == ".container":
                pod = Located(self.reference(entry.value.chars), unit.value_span(entry))
            elif entry.key in QUADLET_FLAGS:
                words.extend(self.flag_words(quadlet, reader, entry))
        image = quadlet.last("Image") if quadlet.extension == ".container" else None
        if image is not None and image.value.offsets:
            value = image.value
            words.append(self.value_word(quadlet, reader, value, value.offsets[0], value.offsets[-1] + 1))
        else:
            words.append(
                Word(quadlet.resource_name(), header, "")
            )  # the pod / kube stands where the image would
        before = len(self.project.workloads)
        read_invocations(self.project, [Invocation("podman", words, unit.span(0, max(len(unit.text), 1)))])
        for workload in self.project.workloads[before:]:
            workload.name = quadlet.resource_name()
            workload.syntax = "quadlet"
            workload.socket_activated = socket_activated(unit, quadlet.path, workload.environment)
            if quadlet.extension != ".container":
                workload.image = None
                workload.origin = {".pod": Origin.PODMAN_POD_CREATE, ".kube": Origin.PODMAN_KUBE_PLAY}[
                    quadlet.extension
                ]
            if pod is not None and workload.network_mode is None and not workload.networks:
                workload.network_mode = Located(f"container:{pod.value}", pod.span)
                workload.keys.setdefault("network_mode", pod.span)

    def header_span(self, quadlet: QuadletFile) -> Span:
        """The `[Container]` (...) header: where a unit without the key in question is reported."""
        header = f"[{SECTIONS[quadlet.extension]}]"
        at = quadlet.unit.text.find(header)
        return quadlet.unit.span(max(at, 0), max(at, 0) + (len(header) if at >= 0 else 1))

    def flag_words(self, quadlet: QuadletFile, reader: UnitReader, entry: Entry) -> list[Word]:
        flag, shape = QUADLET_FLAGS[entry.key]
        unit = quadlet.unit
        key_span = unit.span(entry.key_start, entry.key_start + len(entry.key))
        value = entry.value
        if shape == "skip":
            return []
        if shape == "arguments":
            return [self.value_word(quadlet, reader, w.text, w.start, w.end) for w in split_words(value)]
        if shape in ("switch", "boolean"):
            lowered = value.chars.lower()
            if lowered not in (*_TRUE, *_FALSE):
                return []
            if shape == "switch":
                return [Word(flag, unit.value_span(entry), entry.key)] if lowered in _TRUE else []
            text = "true" if lowered in _TRUE else "false"
            return [Word(f"{flag}={text}", unit.value_span(entry), f"{entry.key}={value.chars}")]
        if shape == "prefix":
            return [Word(flag + reader.specifiers(value).chars, unit.value_span(entry), value.chars)]
        if shape == "split":
            items = [(w.text, w.start, w.end) for w in split_words(value)]
        else:
            items = [(value, value.offsets[0], value.offsets[-1] + 1)] if value.offsets else []
        words = []
        for item, start, end in items:
            if shape == "network":
                item = Text(self.reference(item.chars), item.offsets)
            elif shape == "device":
                item = Text(item.chars.removeprefix("-"), item.offsets[item.chars.startswith("-") :])
            words += [Word(flag, key_span, entry.key), self.value_word(quadlet, reader, item, start, end)]
        return words

    def value_word(self, quadlet: QuadletFile, reader: UnitReader, text: Text, start: int, end: int) -> Word:
        """A value as podman gets it (specifiers expanded), with the span of where it is written."""
        return Word(
            reader.specifiers(text).chars, quadlet.unit.span(start, end), quadlet.unit.text[start:end]
        )

    def reference(self, value: str) -> str:
        """`db.network` -> the network's name; `web.pod` -> the pod's; `db.container` -> `container:NAME`."""
        target, colon, options = value.partition(":")
        for extension in (".network", ".pod", ".container"):
            if target.endswith(extension):
                quadlet = self.files.get(target)
                name = quadlet.resource_name() if quadlet else f"systemd-{target[: -len(extension)]}"
                if extension == ".container":
                    return f"container:{name}"
                return name + colon + options
        return value


def load_quadlets(paths: list[str], *, display=None, texts: dict[str, str] | None = None) -> Project:
    """The units at `paths` (one directory's Quadlet files) as one project."""
    from composelint.sources.files import read_text, too_large

    files = []
    project = Project(name="")
    for path in paths:
        shown = display(path) if display else path
        text = (texts[path] if texts and path in texts else read_text(path)).removeprefix("\ufeff")
        project.sources.append(SourceFile(shown, "base", "quadlet", text))
        if len(text) > MAX_UNIT_BYTES:
            project.diagnostics.append(too_large(shown, "Unit file", MAX_UNIT_BYTES))
            continue
        name = os.path.basename(path)
        stem, extension = os.path.splitext(name)
        unit = UnitFile(shown, text)
        files.append(
            QuadletFile(path, shown, unit, extension if extension in SECTIONS else ".container", stem)
        )
        project.directives += scan_directives(
            shown,
            text,
            [(*unit.position(e.start), unit.position(e.end - 1)[0]) for e in unit.entries],
            [unit.value_span(e) for e in unit.entries if "composelint" in e.value.chars],
        )
    if not files:  # each too large
        project.name = project.sources[0].path
        return project
    project.name = files[0].shown if len(files) == 1 else os.path.dirname(files[0].shown) or "."
    QuadletReader(files, project).read()
    return project


def load_set(paths: list[str], options, *, display, texts: dict[str, str]) -> list[Project]:
    """One directory's units as one project (the front-end interface of sources.kinds; Quadlet
    units take no compose options)."""
    return [load_quadlets(paths, display=display, texts=texts)]
