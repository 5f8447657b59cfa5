"""What a rule is: metadata, documentation and a check over the model."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from composelint.model import Project, Span

SEVERITIES = ("error", "warning", "info", "style")
DOCS_URL = "https://composelint.readthedocs.io/en/latest/rules/{name}/"


@dataclass(frozen=True)
class Edit:
    span: Span
    text: str


@dataclass(frozen=True)
class Fix:
    applicability: str  # safe | unsafe
    message: str
    edits: tuple[Edit, ...] = ()


@dataclass
class Finding:
    """One problem, as a rule reports it.  The engine fills `code` and `severity`."""

    message: str
    span: Span
    workload: str | None = None
    field: str = ""  # logical location (for fingerprints): "ports[127.0.0.1:80:80]"
    severity: str | None = None  # only when the rule escalates or lowers its default
    help: str | None = None
    related: tuple[Span, ...] = ()
    fix: Fix | None = None
    code: str = ""
    name: str = ""


Check = Callable[..., Iterable[Finding]]  # (project) or, for a rule with options, (project, options)
Options = Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    group: str
    default_on: bool
    references: tuple[str, ...]
    doc: str
    check: Check | None  # None: produced by the engine (suppression meta rules)
    family: str = ""
    options: dict = field(default_factory=dict)

    def run(self, project: Project, configured: Mapping[str, Any] | None = None) -> Iterable[Finding]:
        """The rule's findings.  A rule that declares options gets them as its second
        argument: a read-only mapping of the declared defaults, overridden by `configured`."""
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
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()

    @property
    def url(self) -> str:
        return DOCS_URL.format(name=self.name)


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    group: str,
    *,
    default_on: bool = True,
    references: tuple[str, ...] = (),
    options: dict | None = None,
    engine: bool = False,
):
    """Register the decorated function as rule `code`; its docstring is the rule's documentation.

    A rule with `options` (name -> default value) is called as `check(project, options)`;
    configuration (`rules:` in .composelint.yaml) can change the values, never the names."""
    assert severity in SEVERITIES, severity

    def register(function: Check) -> Check:
        assert engine or len(inspect.signature(function).parameters) == (2 if options else 1), (
            f"{code}: a rule takes (project) or, when it declares options, (project, options)"
        )
        module = inspect.getmodule(function)
        REGISTRY[code] = Rule(
            code,
            name,
            severity,
            group,
            default_on,
            references,
            inspect.cleandoc(function.__doc__ or ""),
            None if engine else function,
            family=module.__name__.rsplit(".", 1)[-1] if module else "",
            options=options or {},
        )
        return function

    return register
