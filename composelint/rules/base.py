"""What a rule module uses: the `@rule` registration and the types a check yields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from composelint.model import Workload
from composelint.types import Check, Edit, Finding, Fix, Group, Options, Rule, Severity

__all__ = [
    "REGISTRY",
    "Edit",
    "Finding",
    "Fix",
    "Group",
    "Options",
    "Rule",
    "Severity",
    "rule",
    "workload_group",
]

REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity | str,
    group: str,
    *,
    default_on: bool = True,
    references: tuple[str, ...] = (),
    options: dict[str, Any] | None = None,
    reads: Iterable[str] = (),
    engine: bool = False,
    fix: str | None = None,
    fix_always: bool = False,
    lasting_hosts_only: bool = False,
):
    """Register the decorated function as rule `code`; its docstring is the rule's documentation.

    A rule with `options` (name -> default value) is called as `check(project, options)`;
    configuration (`rules:` in .composelint.yaml) can change the values, never the names.
    `reads` names the settings of the model the check reads.  `fix` is the applicability (`safe`
    or `unsafe`) of the fixes the findings carry, `fix_always` that every finding carries one
    (tests/test_fix_availability.py holds the rules to both).  `lasting_hosts_only`: the check
    sees only the workloads whose escape to their host matters (`Project.on_lasting_hosts`), not
    those on a CI job's ephemeral host; the engine applies it and the rule's page says so."""

    def register(function: Check) -> Check:
        if fix not in (None, "safe", "unsafe") or (fix_always and fix is None):
            raise ValueError(f"{code}: fix is `safe`, `unsafe` or None, and `fix_always` needs one")
        # The code object's count of positional parameters: inspect.signature costs about 0.1 M
        # instructions a rule at every start.
        if not engine and function.__code__.co_argcount != (2 if options else 1):
            raise TypeError(
                f"{code}: a rule takes (project) or, when it declares options, (project, options)"
            )
        REGISTRY[code] = Rule(
            code,
            name,
            Severity(severity),
            group,
            default_on,
            references,
            function.__doc__ or "",
            None if engine else function,
            options=options or {},
            reads=frozenset(reads),
            fix=fix,
            fix_always=fix_always,
            lasting_hosts_only=lasting_hosts_only,
        )
        return function

    return register


def workload_group(claim: str, workload: Workload) -> str:
    """A `Group.key` for the findings of one claim (`runtime socket`) on one workload: the
    workload's place tells two workloads of one name apart."""
    span = workload.span
    return f"{claim}: {span.path}:{span.line}:{span.column}"
