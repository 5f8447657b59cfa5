"""Messages that say what is true (issue 10): which part is a variable, which rule cannot
decide, what each outcome would be; no value from .env in any output."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, lint_json, run_cli


def _messages(*args: str) -> dict[tuple[str, int], str]:
    report = lint_json(*args)
    return {(f["code"], f["range"]["start"]["line"]): f["message"] for f in report["findings"]}


def test_cl202_names_the_variable_host_ip_and_only_it():
    messages = _messages("--select", "CL202", str(FIXTURES / "rules/CL202/positive_variable_parts.yaml"))
    assert "its host IP `${COMPOSELINT_FIXTURE_UNSET_BIND_IP}` is empty" in messages[("CL202", 6)]
    assert "variable" not in messages[("CL202", 7)] and "${" not in messages[("CL202", 7)].split("`")[2]


def test_cl202_never_prints_the_value_of_a_variable_host_ip(tmp_path: Path):
    (tmp_path / ".env").write_text("BIND_IP=0.0.0.0\nSECRET_PORT=18443\n")
    (tmp_path / "compose.yaml").write_text(
        'services:\n  web:\n    image: ghcr.io/example/web:2\n    ports:\n      - "${BIND_IP}:${SECRET_PORT}:443"\n'
    )
    report = lint_json("--select", "CL202", str(tmp_path))
    [finding] = report["findings"]
    assert "`${BIND_IP}`" in finding["message"] and "18443" not in str(finding)


def test_cl005_says_which_rule_cannot_decide_and_both_outcomes():
    # CL005 names the selected rules that cannot decide: the default ones run beside it.
    messages = _messages("--extend-select", "CL005", str(FIXTURES / "rules/CL005/positive.yaml"))
    message = messages[("CL005", 6)]
    assert "CL301 cannot decide" in message
    assert "empty, the container is not privileged" in message and "`true`" in message


def test_cl210_guess_from_the_port_alone_says_whose_default_it_is():
    report = lint_json("--select", "CL210", str(FIXTURES / "rules/CL210/positive_image.yaml"))
    ocis = next(f for f in report["findings"] if f["workload"] == "ocis")
    assert "(Elasticsearch's default)" in ocis["message"] and ocis["severity"] == "warning"
    assert "exposes Elasticsearch" not in ocis["message"]


def test_ssh_options_after_the_host_are_not_the_remote_command():
    from composelint.sources.shell import parse_script

    script = parse_script("deploy.sh", "ssh deploy@host -p 2222 -i key docker run --net=host alpine:3.20\n")
    [invocation] = script.invocations
    assert invocation.via == "ssh" and [w.text for w in invocation.words][:3] == [
        "docker",
        "run",
        "--net=host",
    ]
    assert not script.diagnostics


def test_cl007_says_the_parser_could_not_read_not_that_the_script_is_wrong():
    report = lint_json("--select", "CL007", str(FIXTURES / "rules/CL007/positive_unclosed_quote.sh"))
    [finding] = report["findings"]
    assert finding["message"].startswith("the shell parser could not read this script")
    assert "syntax error at" not in finding["message"]


def test_credentials_are_never_printed_in_any_format():
    from composelint.report.formats import FORMATS

    files = [str(FIXTURES / "rules" / code / "positive.yaml") for code in ("CL701", "CL702")]
    secrets = ("wJalrXUtnFEMI", "ghp_16C7e42F", "hunter22", "8f2k!x", "Zx81-spectrum", "rabbit-pass-1")
    for name in FORMATS:
        output = run_cli("check", "--select", "CL7", "--output-format", name, *files).output
        assert "CL70" in output, name
        assert not [s for s in secrets if s in output], name


def test_a_line_shared_through_extends_or_an_anchor_is_one_finding_naming_every_workload():
    report = lint_json("--select", "CL401,CL702", str(FIXTURES / "projects" / "shared-line"))
    located = [(f["code"], f["range"]["start"]["line"]) for f in report["findings"]]
    assert sorted(located) == [("CL401", 10), ("CL702", 4)]
    for finding in report["findings"]:
        assert finding["workload"] == "base"
        assert "(also `scheduler` and `runner`, which share this line)" in finding["message"]


def test_cl206_between_two_entries_of_one_container_names_no_second_container():
    report = lint_json("--select", "CL206", str(FIXTURES / "rules/CL206/positive_same_service.yaml"))
    [finding] = report["findings"]
    assert finding["message"].endswith("by its own entry `53:53/udp`: the container fails to start")


def test_cl401_says_a_rootless_socket_gives_the_users_account_not_root():
    messages = _messages("--select", "CL401", str(FIXTURES / "rules/CL401/positive_runtimes.yaml"))
    assert "root on the host" in messages[("CL401", 5)]
    for line in (17, 31):
        assert "the account of the host user" in messages[("CL401", line)]
        assert "root on the host" not in messages[("CL401", line)]


def test_cl401_says_a_units_runtime_directory_socket_is_root_or_the_users_account():
    """`%t` is `/run` under the system manager and `/run/user/<uid>` under a user's (rootless
    Podman): the message gives both; a socket path written out is what it says."""
    report = lint_json("--select", "CL401", str(FIXTURES / "quadlet/runtime-dir"))
    found = {Path(f["path"]).name: f["message"] for f in report["findings"]}
    for unit in ("dozzle.container", "updater.container"):  # Volume= and Mount=
        assert (
            "socket `%t/podman/podman.sock`: control of the runtime is root on the host for a " in found[unit]
        )
        assert "for a user unit (`%t` is `/run/user/<uid>`) the account of the user" in found[unit]
    assert found["agent.container"].endswith(
        "control of the runtime is root on the host (read-only does not help)"
    )


def test_cl401_is_one_finding_per_workload_naming_every_socket_path():
    """`/`, `/var/run` and the socket of one service give the same control: one finding at the
    first, the others related; a rootful socket beside a rootless one makes it root on the host."""
    path = FIXTURES / "rules/CL401/positive_one_per_workload.yaml"
    report = lint_json("--select", "CL401", str(path))
    found = {f["range"]["start"]["line"]: f for f in report["findings"]}
    assert sorted(found) == [7, 15, 20]
    assert found[7]["message"] == (
        "Service `cadvisor` mounts `/`, `/var/run` and `/var/run/docker.sock`, each the container "
        "runtime socket or a directory holding one: control of the runtime is root on the host "
        "(read-only does not help)"
    )
    assert [r["range"]["start"]["line"] for r in found[7]["related"]] == [8, 10]
    assert "`/run/user/1000/podman/podman.sock`" in found[15]["message"]
    assert "root on the host" in found[15]["message"]
    assert "the account of the host user" in found[20]["message"]
    # Two containers of a script that each mount the socket are two findings.
    script = "docker run -d -v /var/run/docker.sock:/s a:1\ndocker run -d -v /var/run:/r:ro b:1\n"
    report = lint_json("--select", "CL401", "--stdin-filename", "run.sh", "-", input=script)
    assert [f["range"]["start"]["line"] for f in report["findings"]] == [1, 2]


def test_cl105_is_one_finding_per_workload_naming_every_setting_the_shared_namespace_refuses():
    report = lint_json("--select", "CL105", str(FIXTURES / "rules/CL105/positive.yaml"))
    found = {f["range"]["start"]["line"]: f for f in report["findings"]}
    assert sorted(found) == [12, 28, 29]  # agent's two conflicts are different facts
    assert found[12]["message"] == (
        "Service `pgbouncer` sets `ports`, `expose`, `hostname`, `dns`, `dns_search`, `extra_hosts`, "
        "`mac_address` and `links` but shares another container's network namespace "
        "(`network_mode: service:db`); the Engine rejects this"
    )
    assert [r["range"]["start"]["line"] for r in found[12]["related"]] == [10, 14, 16, 17, 19, 20, 22, 23]


def test_cl210_is_one_finding_per_workload_and_service_naming_every_port():
    report = lint_json("--select", "CL210", str(FIXTURES / "rules/CL210/positive.yaml"))
    found = {f["range"]["start"]["line"]: f for f in report["findings"]}
    assert (
        "Ports `0.0.0.0:6379:6379` and `[::]:6380:6379` of service `cache` expose Redis"
        in found[12]["message"]
    )
    assert [r["range"]["start"]["line"] for r in found[12]["related"]] == [13]
    assert found[29]["message"].endswith(
        "and `9300-9301:9300-9301` of service `search` expose Elasticsearch on all host interfaces"
    )
    assert 13 not in found and 32 not in found
    assert len(found[12]["fix"]["edits"]) == 2  # the loopback fix binds both


def test_corpus_artefacts_left_out_of_the_precision_pool_are_files_the_selection_left_out(shared: Path):
    # bench/precision_sample.py drops these keys: each must be a CL006 whose missing compose file
    # is absent from the corpus only (the repository holds it at the recorded commit, column 4).
    lines = (Path(__file__).parent.parent / "bench/corpus_artefacts.tsv").read_text().splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert rows
    for key, repository, commit, path in rows:
        where, _line, _column, code = key.rsplit(":", 3)
        folder = shared / "corpus" / where.split("/", 2)[0] / where.split("/", 2)[1]
        assert code == "CL006" and where.startswith("runconfigs/") and len(commit) == 40
        assert (shared / "corpus" / where).is_file() and not (folder / path).exists(), key
        assert folder.name == repository.replace("/", "+"), key
