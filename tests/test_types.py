"""The shared vocabulary: severity order, origins, immutable findings, rule registration."""

from __future__ import annotations

import dataclasses

import pytest

from composelint.types import Finding, Origin, Severity, Span


def test_severity_orders_by_severity_not_by_spelling():
    assert Severity.ERROR > Severity.WARNING > Severity.INFO > Severity.STYLE
    assert sorted(Severity) == [Severity.STYLE, Severity.INFO, Severity.WARNING, Severity.ERROR]
    assert Severity.INFO >= "info" and Severity.ERROR >= "warning" and not Severity.STYLE >= "info"
    assert [s.weaker() for s in Severity] == [Severity.WARNING, Severity.INFO, Severity.STYLE, Severity.STYLE]
    assert f"{Severity.ERROR:<8}|" == "error   |"


def test_origin_of_a_command_line():
    assert Origin.of_command("podman", "create") is Origin.PODMAN_CREATE
    assert Origin.of_command("docker", "service-create") is Origin.SERVICE_CREATE
    assert Origin.DOCKER_RUN.joins_default_bridge and not Origin.COMPOSE_RUN.joins_default_bridge
    assert not Origin.COMPOSE_SERVICE.from_command_line and Origin.NERDCTL_RUN.from_command_line


def test_finding_is_immutable():
    finding = Finding("message", Span("a.yaml", 1, 1, 1, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "changed"  # type: ignore[misc]


def test_rule_registration_checks_the_signature():
    from composelint.rules import all_rules
    from composelint.rules.base import REGISTRY, rule

    all_rules()  # the catalog loads once, when the registry is empty: load it before adding to it

    def check(project):
        """Reports nothing.

        More text."""
        return ()

    try:
        rule("CL999", "nothing", "info", "meta", reads=["ports"])(check)
        registered = REGISTRY["CL999"]
        assert (registered.severity, registered.summary, registered.reads) == (
            Severity.INFO,
            "Reports nothing.",
            frozenset({"ports"}),
        )
        with pytest.raises(TypeError, match="CL998"):
            rule("CL998", "nothing", "info", "meta", options={"a": 1})(check)
        with pytest.raises(ValueError):
            rule("CL997", "nothing", "fatal", "meta")(check)
    finally:
        REGISTRY.pop("CL999", None)
