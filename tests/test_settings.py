"""The settings table (composelint/settings.py): every spelling of a setting comes from one row."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing

import pytest

from composelint import model
from composelint.rules import all_rules
from composelint.settings import BY_NAME, SETTINGS, setting_at
from composelint.sources.docker_cli.reader import DOCKER_RUN, PODMAN_RUN, SERVICE_CREATE
from tests.conftest import lint_json


def test_names_are_unique():
    assert len(BY_NAME) == len(SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_a_compose_spelling_or_says_why_not(setting):
    assert setting.compose or setting.no_compose


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_model_field_exists(setting):
    for field in setting.fields:
        owner, _, attribute = field.partition(".")
        assert attribute in {f.name for f in dataclasses.fields(getattr(model, owner))}, field


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.parse], ids=lambda s: s.name)
def test_a_parsed_setting_fills_its_model_field_with_the_parser_s_type(setting):
    """The table's parser and the model agree: what the parser returns is what the field holds, so
    every source fills it typed and rules read the type."""
    parsed = typing.get_type_hints(setting.parse)["return"]
    owner, _, attribute = setting.fields[0].partition(".")
    declared = typing.get_type_hints(getattr(model, owner))[attribute]
    located = next(arg for arg in _type_arguments(declared) if typing.get_origin(arg) is model.Located)
    assert typing.get_args(located) == (parsed,)


def _type_arguments(hint) -> list:
    """`list[Located[X]]`, `Located[X] | None` -> [Located[X], ...]."""
    found = [hint]
    for argument in typing.get_args(hint):
        found += _type_arguments(argument)
    return found


def test_every_rule_reads_only_settings_of_the_table():
    for rule in all_rules().values():
        assert rule.reads <= set(BY_NAME), (rule.code, rule.reads - set(BY_NAME))


def test_every_setting_a_rule_reads_says_what_an_unset_variable_does():
    """The hand-kept CL005 list drifted (`user: ${UNSET}` was silent): now a setting a rule reads
    either reports an unset variable or says why its empty value decides nothing."""
    read = {name for rule in all_rules().values() for name in rule.reads}
    for name in read:
        setting = BY_NAME[name]
        if not setting.compose:
            continue  # no Compose spelling, no Compose variable
        assert (setting.if_unset is None) != (not setting.empty_decides_nothing), name


def test_run_flags_come_from_the_table():
    """Each flag a row lists for `docker run` is in the grammar, as a boolean or a value flag."""
    for setting in SETTINGS:
        for flag in setting.flags:
            for table, command, podman in (
                (DOCKER_RUN, "run", False),
                (PODMAN_RUN, "run", True),
                (SERVICE_CREATE, "service-create", False),
            ):
                if command not in flag.commands or (podman and flag.docker_only):
                    continue
                assert table.takes_value(flag.name) is (not flag.boolean), (setting.name, flag.spellings)
                if flag.short and command == "run":
                    assert table.short[flag.short] == flag.name


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (("services", "web", "user"), "user"),
        (("services", "web", "deploy", "resources", "limits", "memory"), "mem_limit"),
        (("services", "web", "deploy", "labels", "x"), None),
        (("services", "web", "ports", 0), "ports"),
        (("services", "web", "healthcheck", "test", 0), "healthcheck"),
        (("services", "web", "healthcheck", "interval"), None),
        (("services", "web", "build", "network"), "build.network"),
        (("services", "web", "build", "args", "X"), "build"),
        (("networks", "front", "driver"), "network.driver"),
        (("networks", "front", "labels"), None),
        (("volumes", "data", "driver"), None),
    ],
)
def test_setting_at_a_compose_path(path, name):
    found = setting_at(path)
    assert (found.name if found else None) == name


def test_every_compose_path_of_the_table_finds_the_first_setting_listing_it():
    """A path below a listed Compose path belongs to the setting of the longest listed path that
    starts it; a path listed twice, to the setting that comes first in the table."""
    for setting in SETTINGS:
        top = "networks" if setting.name.startswith("network.") else "services"
        for compose_path in setting.compose:
            parts = tuple(compose_path.split("."))
            first = next(
                s
                for s in SETTINGS
                if s.name.startswith("network.") == (top == "networks") and compose_path in s.compose
            )
            assert setting_at((top, "x", *parts)) is first
            assert setting_at((top, "x", *parts, "below", 0)) is first  # no setting lists `below`


@pytest.mark.parametrize(
    ("key", "code", "value"),
    [("user", "CL609", '"${USER_UNSET}"'), ("read_only", "CL603", "${READ_ONLY_UNSET}")],
)
def test_unset_variable_in_a_hardening_setting_is_cl005(key, code, value):
    """The bug of issue 9: `user`/`read_only` are read by rules, so an unset variable there is CL005
    when such a rule is selected (issue 10: an unselected rule decides nothing, so is not named)."""
    text = f"services:\n  app:\n    image: alpine:3.20\n    {key}: {value}\n"
    report = lint_json("--select", f"CL005,{code}", "--stdin-filename", "compose.yaml", "-", input=text)
    [finding] = [f for f in report["findings"] if f["code"] == "CL005"]
    assert code in finding["message"]
    alone = lint_json("--select", "CL005", "--stdin-filename", "compose.yaml", "-", input=text)
    assert alone["findings"] == []


def test_cl008_names_only_the_selected_rules_that_read_the_setting():
    script = 'docker run -u "$WHO" alpine:3.20\n'
    found = lint_json("--select", "CL008,CL609", "--stdin-filename", "x.sh", "-", input=script)["findings"]
    assert [f["message"] for f in found if f["code"] == "CL008"] == [
        '`-u "$WHO"` is only known at run time: CL609 runs-as-root cannot be decided'
    ]
    # Without CL609 no selected rule waits for the user: nothing to say.
    assert lint_json("--select", "CL008", "--stdin-filename", "x.sh", "-", input=script)["findings"] == []


_EXTEND_ROW = """
import dataclasses, json, sys
from composelint import settings
if sys.argv[1:] == ["extend"]:
    row = settings.BY_NAME["read_only"]
    extended = dataclasses.replace(row, flags=(*row.flags, settings.boolean("--readonly")))
    settings.SETTINGS = tuple(extended if s is row else s for s in settings.SETTINGS)
    settings.BY_NAME["read_only"] = extended
from composelint import lint
print(json.dumps([f.rule.code for f in lint("run.sh", select=["CL603"], isolated=True).findings]))
"""


@pytest.mark.parametrize(("argument", "codes"), [("", '["CL603"]'), ("extend", "[]")])
def test_a_docker_flag_for_a_setting_is_one_entry_in_its_row(tmp_path, argument, codes):
    """Adding a spelling to a row is all it takes: grammar, reader and rule follow.

    `--readonly` is invented here as a second spelling of `read_only` (in a subprocess, so the
    change stays away from the other tests): without it the container has a writable root
    filesystem (CL603), with it `docker run --readonly` is read-only."""
    (tmp_path / "run.sh").write_text("#!/bin/sh\ndocker run --readonly alpine:3.20 true\n")
    command = [sys.executable, "-c", _EXTEND_ROW, *([argument] if argument else [])]
    out = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == codes, out.stderr
