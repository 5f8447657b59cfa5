"""The vocabulary every layer shares: spans, severities, origins, findings and rules.

This module imports nothing from the rest of the package but its dataclass decorator
(composelint.records), so sources, the model, rules, the engine and reports can all use it
without depending on each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from composelint.records import field, record

DOCS_SITE = "https://composelint.readthedocs.io/en/latest/"  # the default of `docs-url`

# Stands in a value's text for the part that is only known at run time (`--network=$MODE` with
# MODE unknown -> "--network=\x00"; an image `$REGISTRY/app:1` with REGISTRY unset -> "\x00/app:1").
UNKNOWN = "\x00"


class Span(NamedTuple):
    """A range in a source file: 1-based lines and columns (code points), end exclusive.

    A named tuple rather than a dataclass: the YAML front end makes one per
    node, and tuples are several times cheaper to create (and sort the same)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, other: Span) -> bool:
        """`other` lies inside this range of the same file (its ends included)."""
        return (
            other.path == self.path
            and (self.line, self.column) <= (other.line, other.column)
            and (other.end_line, other.end_column) <= (self.end_line, self.end_column)
        )


class Severity(StrEnum):
    """How much a finding asks of a person; ordered `error > warning > info > style`.

    The value is the spelling used in configuration and every report."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return _RANKS[self]

    def weaker(self) -> Severity:
        """One step less severe (`style` stays `style`)."""
        return _SEVERITY_ORDER[min(self.rank + 1, len(_SEVERITY_ORDER) - 1)]

    # Comparisons follow severity, not the alphabetical order a `str` would give.
    def __lt__(self, other: str) -> bool:
        return _RANKS[self] > _rank(other)

    def __le__(self, other: str) -> bool:
        return _RANKS[self] >= _rank(other)

    def __gt__(self, other: str) -> bool:
        return _RANKS[self] < _rank(other)

    def __ge__(self, other: str) -> bool:
        return _RANKS[self] <= _rank(other)


_SEVERITY_ORDER = tuple(Severity)
# By member or by its spelling (a member hashes and compares as its string): asked for every finding.
_RANKS: dict[str, int] = {severity: rank for rank, severity in enumerate(_SEVERITY_ORDER)}


def _rank(severity: str) -> int:
    """The rank of a severity or of its spelling; ValueError for any other text, as Severity(...)."""
    rank = _RANKS.get(severity)
    return Severity(severity).rank if rank is None else rank


class Origin(StrEnum):
    """What declares or starts a workload.  The value is the spelling the model report shows.

    A new input kind (a systemd unit, a Quadlet file, a CI job) adds its member here."""

    COMPOSE_SERVICE = "compose-service"
    COMPOSE_RUN = "compose-run"  # `docker compose run SERVICE`
    SERVICE_CREATE = "service-create"  # `docker service create` (swarm)
    DOCKER_RUN = "docker-run"
    DOCKER_CREATE = "docker-create"
    PODMAN_RUN = "podman-run"
    PODMAN_CREATE = "podman-create"
    NERDCTL_RUN = "nerdctl-run"
    NERDCTL_CREATE = "nerdctl-create"
    PODMAN_POD_CREATE = "podman-pod-create"  # a Quadlet `.pod` unit
    PODMAN_KUBE_PLAY = "podman-kube-play"  # a Quadlet `.kube` unit

    @classmethod
    def of_command(cls, tool: str, command: str) -> Origin:
        """The origin of `TOOL COMMAND` in a script: ("podman", "run") -> PODMAN_RUN."""
        value = command if command in ("compose-run", "service-create") else f"{tool}-{command}"
        return _ORIGINS.get(value) or cls(value)  # the member by its value, without Enum's call

    @property
    def from_command_line(self) -> bool:
        """Started by a command in a script rather than declared in a compose file."""
        return self is not Origin.COMPOSE_SERVICE

    @property
    def joins_default_bridge(self) -> bool:
        """Without a network option the workload joins the engine's default bridge: a plain
        `run`/`create`.  `compose run` joins the project's network, `service create` the swarm's."""
        return self in _DEFAULT_BRIDGE_ORIGINS


_ORIGINS = {origin.value: origin for origin in Origin}
_DEFAULT_BRIDGE_ORIGINS = frozenset(
    {
        Origin.DOCKER_RUN,
        Origin.DOCKER_CREATE,
        Origin.PODMAN_RUN,
        Origin.PODMAN_CREATE,
        Origin.NERDCTL_RUN,
        Origin.NERDCTL_CREATE,
        Origin.PODMAN_POD_CREATE,
    }
)


@record(frozen=True, slots=True)
class Edit:
    """Replace the text at `span` of the file as it was read by `text` (an empty span inserts)."""

    span: Span
    text: str


@record(frozen=True, slots=True)
class Fix:
    """Edits that remove a finding's problem, applied all together or not at all.

    `applicability` is `safe` (nothing changes for the running containers, or only what Docker
    ignores anyway: `--fix` applies it) or `unsafe` (behaviour changes: `--unsafe-fixes`)."""

    applicability: str  # safe | unsafe
    message: str
    edits: tuple[Edit, ...] = ()

    @property
    def paths(self) -> frozenset[str]:
        """The files the fix edits."""
        return frozenset(edit.span.path for edit in self.edits)


@record(frozen=True, slots=True)
class Group:
    """Findings of one rule that make one claim (the ports a reverse proxy serves to the network on
    purpose): the engine reports those with the same `key` in one file set once, at the first
    location, with the message `opening` + the list of each one's `item` (a port: "`80:80`") +
    `closing`; the other locations become its related locations."""

    key: str
    item: str
    opening: str
    closing: str


@record(frozen=True, slots=True)
class Finding:
    """One problem, as a rule reports it.  The engine never changes it: what configuration,
    suppressions and certainty decide goes into the engine's own record."""

    message: str
    span: Span
    workload: str | None = None
    field: str = ""  # logical location (for fingerprints): "ports[127.0.0.1:80:80]"
    severity: Severity | None = None  # only when the rule escalates or lowers its default
    help: str | None = None
    related: tuple[Span, ...] = ()
    fix: Fix | None = None
    group: Group | None = None  # reported once with the rule's other findings of this group


Check = Callable[..., Iterable[Finding]]  # (project) or, for a rule with options, (project, options)
Options = Mapping[str, Any]


@record(frozen=True)
class Rule:
    """A rule's metadata and its check; the check's docstring is the rule's documentation."""

    code: str
    name: str
    severity: Severity
    group: str
    default_on: bool
    references: tuple[str, ...]
    docstring: str  # the check's, as written (`doc` is the documentation)
    check: Check | None  # None: produced by the engine (suppression meta rules)
    options: dict[str, Any] = field(default_factory=dict)
    reads: frozenset[str] = frozenset()  # the settings of the model the check reads
    fix: str | None = None  # the applicability of the fixes its findings carry: safe | unsafe
    fix_always: bool = False  # every finding carries one (else fixes are withheld in some cases)
    lasting_hosts_only: bool = False  # sees only the workloads of `Project.on_lasting_hosts`

    def run(self, project: Any, configured: Mapping[str, Any] | None = None) -> Iterable[Finding]:
        """The rule's findings on `project` (a composelint.model.Project).  A rule that declares
        options gets them as its second argument: a read-only mapping of the declared defaults,
        overridden by `configured`."""
        if self.check is None:
            return ()
        if not self.options:
            return self.check(project)
        values = {**self.options, **(configured or {})}
        return self.check(
            project,
            MappingProxyType(
                {
                    key: MappingProxyType(value) if isinstance(value, dict) else value
                    for key, value in values.items()
                }
            ),
        )

    @property
    def doc(self) -> str:
        """The rule's documentation: its docstring without the indentation of the source (cleaned
        when it is read: inspect, 40 M instructions to import, is not needed to lint)."""
        import inspect

        return inspect.cleandoc(self.docstring)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()

    @property
    def url(self) -> str:
        """The rule's page on the project's documentation site."""
        return self.url_on(DOCS_SITE)

    def url_on(self, site: str) -> str:
        """The rule's page on a documentation site: the project's, or a copy (`docs-url`)."""
        return f"{site.rstrip('/')}/rules/{self.name}/"
