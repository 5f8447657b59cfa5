"""The rule catalog: one module per family, each rule a function over the model."""

from __future__ import annotations

from composelint.rules.base import REGISTRY, Rule

_FAMILIES = (
    "input",
    "network_namespace",
    "ports",
    "isolation",
    "mounts",
    "network_definitions",
    "hardening",
    "secrets",
    "suppressions",
)


def all_rules() -> dict[str, Rule]:
    """Every rule, by code, in code order (imports the family modules on first use; one family
    imported on its own before, by a test say, does not stand for all of them)."""
    from importlib import import_module

    for family in _FAMILIES:
        import_module(f"composelint.rules.{family}")
    return dict(sorted(REGISTRY.items()))
