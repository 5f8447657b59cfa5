"""What a rule is: metadata, documentation and a check over the model."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable, Iterable

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


Check = Callable[[Project], Iterable[Finding]]


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

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()

    @property
    def url(self) -> str:
        return DOCS_URL.format(name=self.name)


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, group: str, *, default_on: bool = True,
         references: tuple[str, ...] = (), options: dict | None = None, engine: bool = False):
    """Register the decorated function as rule `code`; its docstring is the rule's documentation."""
    assert severity in SEVERITIES, severity

    def register(function: Check) -> Check:
        module = inspect.getmodule(function)
        REGISTRY[code] = Rule(code, name, severity, group, default_on, references,
                              inspect.cleandoc(function.__doc__ or ""),
                              None if engine else function,
                              family=module.__name__.rsplit(".", 1)[-1] if module else "",
                              options=options or {})
        return function

    return register
