"""Shell scripts end to end through the CLI: the same rules, messages and fixes as compose."""

from __future__ import annotations

from pathlib import Path

from conftest import findings, lint_json

COMPOSE_HOST = """\
services:
  httpd:
    image: httpd:2.4
    network_mode: host
"""
SCRIPT_HOST = """\
#!/bin/sh
set -eu
docker run -d --net=host httpd:2.4
"""


def _one(report: dict, code: str) -> dict:
    matching = [f for f in report["findings"] if f["code"] == code]
    assert len(matching) == 1, report["findings"]
    return matching[0]


def test_host_network_is_the_same_rule_message_and_hint_in_both_syntaxes(tmp_path: Path):
    (tmp_path / "compose.yaml").write_text(COMPOSE_HOST)
    (tmp_path / "start.sh").write_text(SCRIPT_HOST)
    compose = _one(lint_json("--select", "CL101", str(tmp_path / "compose.yaml")), "CL101")
    script = _one(lint_json("--select", "CL101", str(tmp_path / "start.sh")), "CL101")
    assert (compose["code"], compose["name"], compose["severity"]) == (
        script["code"],
        script["name"],
        script["severity"],
    )
    assert script["source_kind"] == "shell" and script["workload"] == "httpd #1"
    assert (script["range"]["start"]["line"], script["range"]["start"]["column"]) == (3, 15)
    # The message: only the way the workload is named differs.
    assert script["message"].replace("Container `httpd #1` (docker run)", "<workload>") == compose[
        "message"
    ].replace("Service `httpd`", "<workload>")
    # The fix: the same advice, the port mapping written as a flag instead of a `ports:` entry.
    assert '`ports:` "127.0.0.1:80:80"' in compose["help"]
    assert "`-p 127.0.0.1:80:80`" in script["help"]
    assert script["help"] == (
        compose["help"]
        .replace("the service", "the container")
        .replace('`ports:` "127.0.0.1:80:80"', "`-p 127.0.0.1:80:80`")
    )


def test_privileged_hint_is_written_as_a_flag():
    report = lint_json(
        "--select", "CL301", "--stdin-filename", "x.sh", "-", input="docker run --privileged alpine\n"
    )
    finding = _one(report, "CL301")
    assert finding["message"].startswith("Container `alpine #1` (docker run) runs privileged")
    assert finding["help"] == "Remove `--privileged`; add only the capabilities needed with `--cap-add`"
    compose = "services:\n  app:\n    image: alpine\n    privileged: true\n"
    report = lint_json("--select", "CL301", "--stdin-filename", "compose.yaml", "-", input=compose)
    assert (
        _one(report, "CL301")["help"]
        == "Remove `privileged: true`; add only the capabilities needed with `cap_add`"
    )


def test_kind_shell_reads_standard_input_as_a_script():
    assert findings("--select", "CL101", "--kind", "shell", "-", input="docker run --net=host nginx\n") == [
        ("CL101", 1, 12, "error")
    ]


def test_finding_on_the_flag_line_of_a_continued_command():
    script = "docker run -d \\\n  --name web \\\n  --privileged \\\n  nginx:1.27\n"
    assert findings("--select", "CL301", "--stdin-filename", "x.sh", "-", input=script) == [
        ("CL301", 3, 3, "error")
    ]


def test_own_line_suppression_covers_the_next_compound_command():
    script = """\
#!/bin/bash
# composelint: ignore=CL101 -- the benchmark measures host networking
if [ -n "${BENCH:-}" ]; then
  docker run --rm --net=host nginx:1.27
fi
docker run --rm --net=host redis:7
"""
    report = lint_json("--select", "CL101", "--stdin-filename", "bench.sh", "-", input=script)
    states = [(f["range"]["start"]["line"], f["suppressed"] is not None) for f in report["findings"]]
    assert states == [(4, True), (6, False)]
    suppressed = report["findings"][0]["suppressed"]
    assert suppressed["reason"] == "the benchmark measures host networking"


def test_trailing_suppression_covers_its_line():
    script = (
        "docker run --net=host nginx  # composelint: ignore=host-network -- load balancer\n"
        "docker run --net=host redis\n"
    )
    assert findings("--select", "CL101", "--stdin-filename", "x.sh", "-", input=script) == [
        ("CL101", 2, 12, "error")
    ]


def test_a_script_is_one_project():
    script = """\
docker network create backend
docker run -d --network backend --name db postgres:17
docker run -d --network backend --name api ghcr.io/acme/api:2.1
docker run -d --name web1 -p 8080:80 nginx:1.27
docker run -d --name web2 -p 8080:80 nginx:1.27
"""
    found = findings("--select", "CL203,CL206", "--stdin-filename", "deploy.sh", "-", input=script)
    assert found == [("CL206", 5, 30, "error")]  # db and api share a network: no CL203


def test_a_script_over_the_size_limit_is_a_limit_warning():
    """4 MiB, as for a YAML file: a 100,000-line deploy script (3.6 MB) is linted, a larger one is
    CL010 at line 1 (not an info that reads like a parse problem)."""
    script = "docker run --net=host alpine\n" * (4 * 1024 * 1024 // 29 + 1)
    report = lint_json("--stdin-filename", "deploy.sh", "-", input=script)
    [finding] = report["findings"]
    assert (finding["code"], finding["severity"], finding["range"]["start"]["line"]) == (
        "CL010",
        "warning",
        1,
    )
    assert "larger than 4 MiB" in finding["message"]


def test_possible_value_is_reported_one_severity_lower_with_the_assignment():
    script = 'docker run -d --network "${NET_MODE:-host}" nginx:1.27\n'
    report = lint_json("--select", "CL101", "--stdin-filename", "x.sh", "-", input=script)
    finding = _one(report, "CL101")
    assert finding["severity"] == "warning"
    assert finding["related"], "the default's position is the related location"


def test_unknown_value_is_cl008_naming_the_rule():
    report = lint_json(
        "--select",
        "CL008,CL101",
        "--stdin-filename",
        "x.sh",
        "-",
        input='docker run -d --network "$MODE" nginx:1.27\n',
    )
    finding = _one(report, "CL008")
    # Only the selected rules are named: the others decide nothing in this run.
    assert (
        finding["message"]
        == '`--network "$MODE"` is only known at run time: CL101 host-network cannot be decided'
    )
    everything = lint_json(
        "--extend-select",
        "CL008",
        "--stdin-filename",
        "x.sh",
        "-",
        input='docker run -d --network "$MODE" nginx:1.27\n',
    )
    assert _one(everything, "CL008")["message"].endswith(
        "CL101 host-network, CL105 network-mode-conflict, CL106 undefined-network and 8 more rules cannot be decided"
    )
    assert finding["severity"] == "info"
    assert not [f for f in report["findings"] if f["code"] == "CL101"]


def test_exec_rules():
    script = "docker exec --privileged -u root web sh\n"
    found = findings("--select", "CL315,CL316", "--stdin-filename", "x.sh", "-", input=script)
    assert found == [("CL315", 1, 13, "warning"), ("CL316", 1, 29, "info")]


def test_compose_run_service_ports_is_not_publish_all():
    script = "docker compose -p shop run -P --rm web\ndocker run -P nginx\n"
    assert findings("--select", "CL204", "--stdin-filename", "x.sh", "-", input=script) == [
        ("CL204", 2, 12, "warning")
    ]


def test_model_of_a_script_shows_workloads_networks_execs_and_builds(tmp_path):
    import json

    from conftest import run_cli

    script = tmp_path / "deploy.sh"
    script.write_text(
        "#!/bin/sh\ndocker network create backend\n"
        "docker run -d --name api --network backend -p 8080:80 nginx:1.27\n"
        "docker exec -u root api sh\ndocker build --network host -t app .\n"
    )
    [project] = json.loads(run_cli("model", str(script)).stdout)["projects"]
    [api] = project["workloads"]
    assert (api["name"], api["networks"], [p["binds"] for p in api["ports"]]) == (
        "api",
        ["backend"],
        ["all interfaces"],
    )
    assert [n["key"] for n in project["networks"]] == ["backend"]
    assert project["execs"][0]["user"]["value"] == "root" and project["execs"][0]["at"]["line"] == 4
    assert project["builds"][0]["network"]["value"] == "host" and project["builds"][0]["at"]["line"] == 5
