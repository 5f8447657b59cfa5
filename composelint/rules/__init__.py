"""The rule catalog: one module per family, each rule a function over the model."""

from __future__ import annotations

from functools import lru_cache

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
    _import_families()
    return dict(sorted(REGISTRY.items()))


@lru_cache(maxsize=1)
def _import_families() -> None:
    from importlib import import_module

    for family in _FAMILIES:
        import_module(f"composelint.rules.{family}")
