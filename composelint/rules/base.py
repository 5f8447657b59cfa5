"""What a rule module uses: the `@rule` registration and the types a check yields."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from composelint.types import Check, Edit, Finding, Fix, Options, Rule, Severity

__all__ = ["REGISTRY", "Edit", "Finding", "Fix", "Options", "Rule", "Severity", "rule"]

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
):
    """Register the decorated function as rule `code`; its docstring is the rule's documentation.

    A rule with `options` (name -> default value) is called as `check(project, options)`;
    configuration (`rules:` in .composelint.yaml) can change the values, never the names.
    `reads` names the settings of the model the check reads."""

    def register(function: Check) -> Check:
        if not engine and len(inspect.signature(function).parameters) != (2 if options else 1):
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
            inspect.cleandoc(function.__doc__ or ""),
            None if engine else function,
            options=options or {},
            reads=frozenset(reads),
        )
        return function

    return register
