"""CL6xx hardening rules: opt-in, merged projects, image references, fix hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import findings, lint_json

from composelint.rules import all_rules

HARDENING = [code for code, rule in all_rules().items() if rule.group == "hardening"]

HARDENED = """\
    image: ghcr.io/example/api:1.4.2@sha256:0c86dddac19f2ce4fd716ac58c0fd87bf69bfd4edabfd6971fb885bafd12a00b
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    mem_limit: 512m
    cpus: 1
    pids_limit: 200
    restart: on-failure:5
    healthcheck:
      test: ["CMD", "/app/healthcheck"]
    tmpfs: [/tmp]
"""


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _codes(*args: str, input: str | None = None) -> list[tuple[str, int, int]]:
    return [
        (code, line, column)
        for code, line, column, _ in findings(*args, input=input)
        if code.startswith("CL6")
    ]


def test_the_group_is_complete_and_opt_in():
    assert [f"CL6{n:02d}" for n in range(1, 17)] == HARDENING
    rules = all_rules()
    assert not any(rules[code].default_on for code in HARDENING)
    bare = "services:\n  web:\n    image: nginx\n    user: root\n"
    assert _codes("--stdin-filename", "compose.yaml", "-", input=bare) == []
    selected = {
        code
        for code, *_ in _codes("--select", "hardening", "--stdin-filename", "compose.yaml", "-", input=bare)
    }
    assert {
        "CL601",
        "CL602",
        "CL603",
        "CL604",
        "CL605",
        "CL606",
        "CL607",
        "CL609",
        "CL610",
        "CL611",
        "CL612",
    } == selected
    assert {
        c for c, *_ in _codes("--extend-select", "CL6", "--stdin-filename", "compose.yaml", "-", input=bare)
    } == selected


def test_a_hardened_service_has_no_finding():
    text = "services:\n  api:\n" + HARDENED
    assert _codes("--select", "hardening", "--stdin-filename", "compose.yaml", "-", input=text) == []


def test_settings_inherited_through_extends_are_not_reported(tmp_path: Path):
    _write(
        tmp_path,
        {
            "common/base.yaml": "services:\n  hardened:\n" + HARDENED,
            "compose.yaml": (
                "services:\n"
                "  api:\n"
                "    extends:\n"
                "      file: common/base.yaml\n"
                "      service: hardened\n"
                "    command: [serve]\n"
                "  worker:\n"
                "    extends: api\n"
                "    command: [work]\n"
            ),
        },
    )
    assert _codes("--select", "hardening", str(tmp_path)) == []


def test_settings_from_an_override_file_are_not_reported(tmp_path: Path):
    _write(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/example/api:1.4.2\n",
            "compose.override.yaml": "services:\n  api:\n" + HARDENED,
        },
    )
    assert _codes("--select", "hardening", str(tmp_path)) == []


def test_an_override_can_still_weaken_what_the_base_sets(tmp_path: Path):
    _write(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n" + HARDENED,
            "compose.override.yaml": "services:\n  api:\n    read_only: false\n    pids_limit: -1\n",
        },
    )
    report = lint_json("--select", "hardening", str(tmp_path))
    found = {(f["code"], Path(f["path"]).name, f["range"]["start"]["line"]) for f in report["findings"]}
    assert found == {("CL603", "compose.override.yaml", 3), ("CL606", "compose.override.yaml", 4)}


def test_image_tag_from_env_file(tmp_path: Path):
    _write(
        tmp_path,
        {
            ".env": "APP_TAG=latest\nDB_TAG=16.4\n",
            "compose.yaml": (
                "services:\n"
                "  app:\n"
                "    image: registry.local:5000/app:${APP_TAG}\n"
                "  db:\n"
                "    image: postgres:${DB_TAG}\n"
            ),
        },
    )
    assert _codes("--select", "CL610", str(tmp_path)) == [("CL610", 3, 12)]


def _help(code: str, text: str, path: str = "compose.yaml") -> list[str]:
    report = lint_json("--select", code, "--stdin-filename", path, "-", input=text)
    return [f["help"] for f in report["findings"] if f["code"] == code]


@pytest.mark.parametrize(
    ("code", "text", "hint"),
    [
        ("CL601", "services:\n  web:\n    image: nginx:1.27\n", '`security_opt: ["no-new-privileges:true"]`'),
        (
            "CL601",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [label=type:svirt_apache_t]\n",
            "`- no-new-privileges:true`",
        ),
        ("CL602", "services:\n  web:\n    image: nginx:1.27\n", "`cap_drop: [ALL]`"),
        ("CL603", "services:\n  web:\n    image: nginx:1.27\n", "`read_only: true`"),
        ("CL604", "services:\n  web:\n    image: nginx:1.27\n", "`mem_limit: 512m`"),
        ("CL605", "services:\n  web:\n    image: nginx:1.27\n", "`cpus: 1`"),
        ("CL606", "services:\n  web:\n    image: nginx:1.27\n", "`pids_limit: 200`"),
        ("CL607", "services:\n  web:\n    image: nginx:1.27\n", "`healthcheck: {test:"),
        (
            "CL608",
            "services:\n  web:\n    image: nginx:1.27\n    restart: on-failure\n",
            "`restart: on-failure:5`",
        ),
        (
            "CL608",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n"
            "        condition: on-failure\n        max_attempts: 9\n",
            "`max_attempts: 5`",
        ),
        ("CL609", "services:\n  web:\n    image: nginx:1.27\n    user: root\n", '`user: "1000:1000"`'),
        (
            "CL616",
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs: ['/tmp:exec,size=1m']\n",
            "`/tmp:size=1m`",
        ),
    ],
)
def test_compose_fix_hints_show_the_lines_to_add(code, text, hint):
    [help_text] = _help(code, text)
    assert hint in help_text


def test_mount_shared_by_a_reader_and_a_writer_names_the_writer():
    text = (
        "services:\n  app:\n    image: a:1\n    volumes: [data:/d]\n"
        "  reader:\n    image: b:1\n    volumes: [data:/d:ro]\nvolumes:\n  data:\n"
    )
    report = lint_json("--select", "CL614", "--stdin-filename", "compose.yaml", "-", input=text)
    messages = {f["workload"]: f["message"] for f in report["findings"]}
    assert messages == {
        "app": "Volume `data` is also mounted by `reader` (read-only there)",
        "reader": "Volume `data` is also mounted by `app` (writable there)",
    }


def _check(workload) -> dict[str, list[str]]:
    from composelint.model import Project

    rules = all_rules()
    project = Project(name="scripts", workloads=[workload])
    return {code: [f.help for f in rules[code].check(project)] for code in HARDENING}


def _run_workload(origin: str, **fields):
    """A workload as the command-line front end builds it: values typed by the settings table's parsers."""
    from composelint.model import Located, Origin, Span, Workload
    from composelint.settings import SETTINGS

    parsers = {f.partition(".")[2]: s.parse for s in SETTINGS for f in s.fields if s.parse}
    span = Span("run.sh", 1, 8, 1, 11)

    def typed(attribute: str, text: str):
        return Located(parsers[attribute](text) if attribute in parsers else text, span)

    located = {k: [typed(k, x) for x in v] if isinstance(v, list) else typed(k, v) for k, v in fields.items()}
    return Workload(name="nginx #1", origin=Origin(origin), span=span, **located)


def test_command_line_workloads_get_flag_hints():
    """A `docker run` workload (from a script) gets the flag to add, not compose syntax."""
    hints = _check(
        _run_workload(
            "docker-run", image="nginx:1.27", user="0", restart="on-failure:10", tmpfs=["/tmp:exec"]
        )
    )
    expected = {
        "CL601": "`--security-opt no-new-privileges`",
        "CL602": "`--cap-drop ALL`",
        "CL603": "`--read-only`",
        "CL604": "`--memory 512m`",
        "CL605": "`--cpus 1`",
        "CL606": "`--pids-limit 200`",
        "CL607": "`--health-cmd",
        "CL608": "`--restart on-failure:5`",
        "CL609": "`--user 1000:1000`",
        "CL612": "`--security-opt no-new-privileges`",
        "CL616": "`--tmpfs /tmp`",
    }
    for code, hint in expected.items():
        assert len(hints[code]) == 1 and hint in hints[code][0], (code, hints[code])
        assert "`docker run` command" in hints[code][0] or not hints[code][0].startswith("Add"), hints[code]
    assert all("services" not in h and "compose" not in h for found in hints.values() for h in found if h)


def test_swarm_services_get_swarm_flags_and_no_security_opt_finding():
    hints = _check(_run_workload("service-create", image="nginx:1.27", restart="on-failure"))
    assert hints["CL601"] == [] and hints["CL612"] == []  # `docker service create` has no --security-opt
    assert "`--limit-memory 512m`" in hints["CL604"][0] and "`--limit-cpu 1`" in hints["CL605"][0]
    assert "--restart-max-attempts 5" in hints["CL608"][0]


def test_compose_run_takes_its_settings_from_the_compose_file():
    """`docker compose run web` lacks nothing the compose file sets; only what it writes is judged."""
    hints = _check(_run_workload("compose-run", user="root"))
    assert {code for code, found in hints.items() if found} == {"CL609"}
