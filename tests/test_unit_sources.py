"""systemd units, Podman Quadlet units and devcontainer.json: real fixtures through the real parsers.

Findings are checked at exact line:column of the key's value (fixtures/systemd, fixtures/quadlet,
fixtures/devcontainer); negative fixtures have none; no input crashes a front end."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, findings, lint_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composelint.engine import lint, select_rules
from composelint.sources.devcontainer import load_devcontainer
from composelint.sources.docker_cli.words import UNKNOWN
from composelint.sources.units.quadlet import load_quadlets
from composelint.sources.units.systemd import load_unit
from composelint.sources.units.unit_file import Text, UnitFile, split_words


def words(value: str) -> list[str]:
    return [w.text.chars for w in split_words(Text(value, tuple(range(len(value)))))]


def default_findings(project, *extend: str) -> list[tuple[str, int, int]]:
    result = lint([project], select_rules(None, list(extend), []))
    return sorted((r.rule.code, r.finding.span.line, r.finding.span.column) for r in result.reported)


# -- unit-file syntax ----------------------------------------------------------------


def test_systemd_quoting_and_escapes():
    assert words("a 'b c' \"d e\" f\\sg \\x41\\101 \\u00e9") == ["a", "b c", "d e", "f g", "AA", "é"]
    assert words('"unterminated quote runs on') == ["unterminated quote runs on"]
    assert words("\\x00 \\uD800") == ["x00", "uD800"]  # NUL and surrogates are refused, like systemd
    assert words("") == []


def test_continuations_comments_and_positions():
    text = (
        "[Service]\n# comment\nExecStart=/usr/bin/docker run \\\n# skipped comment\n   --net=host \\\n  img\n"
    )
    unit = UnitFile("u.service", text)
    (entry,) = unit.entries
    assert entry.key == "ExecStart"
    split = split_words(entry.value)
    assert [w.text.chars for w in split] == ["/usr/bin/docker", "run", "--net=host", "img"]
    assert unit.span(split[2].start, split[2].end)[1:] == (5, 4, 5, 14)
    assert unit.span(split[3].start, split[3].end)[1:] == (6, 3, 6, 6)


def test_crlf_unit_positions():
    unit = UnitFile("u.container", "[Container]\r\nNetwork=host\r\n")
    (entry,) = unit.entries
    assert entry.value.chars == "host"
    assert unit.value_span(entry)[1:] == (2, 9, 2, 13)


# -- systemd -------------------------------------------------------------------------


def test_systemd_fixture_findings():
    project = load_unit(str(FIXTURES / "systemd" / "web@.service"))
    assert default_findings(project, "CL503") == [
        ("CL101", 11, 5),  # --network=${MODE}, MODE=host from Environment=
        ("CL201", 12, 8),  # -p ${PORT}:80 is discarded on the host network
        ("CL301", 15, 41),  # --privileged inside ExecStartPost=/bin/sh -c '...'
        ("CL401", 13, 8),  # -v /var/run/docker.sock:...
        ("CL503", 9, 54),  # ExecStartPre= docker network create --driver macvlan
    ]


def test_systemd_prefixes_specifiers_and_unknown_variables():
    text = (
        "[Service]\n"
        "EnvironmentFile=-/etc/default/app\n"
        "Environment=NET=host\n"
        "ExecStart=-@/usr/bin/podman podman-argv0 run --name %N-%i --network ${NET} -p ${ADDR}:80:80 img\n"
    )
    project = load_unit("app@blue.service", texts={"app@blue.service": text})
    (workload,) = project.workloads
    assert workload.name == "app@blue-blue"
    assert workload.network_mode.value == "host"
    assert workload.network_mode.span in project.possible_values  # an EnvironmentFile= may override it
    assert not workload.ports  # ${ADDR} is only known at run time
    assert [d.code for d in project.diagnostics] == ["CL008"]


def test_systemd_empty_assignment_resets_and_colon_prefix_keeps_dollars():
    text = (
        "[Service]\n"
        "ExecStartPre=/usr/bin/docker run --privileged old\n"
        "ExecStartPre=\n"
        "ExecStart=:/usr/bin/docker run --network=${NET} new\n"
        "ExecStartPost=/usr/bin/docker run --net=$$x a ; /usr/bin/docker run --pid=host b\n"
    )
    project = load_unit("x.service", texts={"x.service": text})
    images = [w.image.value.written for w in project.workloads]
    assert images == ["new", "a", "b"]
    assert project.workloads[0].networks[0].name == "${NET}"  # `:`: no substitution
    assert project.workloads[1].networks[0].name == "$x"
    assert project.workloads[2].pid.span[1:3] == (5, 69)


def test_systemd_template_instance_is_unknown():
    text = "[Service]\nExecStart=/usr/bin/docker run --network=%i img\n"
    project = load_unit("n@.service", texts={"n@.service": text})
    assert project.workloads[0].network_mode is None
    assert [d.code for d in project.diagnostics] == ["CL008"]


def test_long_command_lines_are_read():
    """Expansions and continuations are built once, not by adding pieces (that was quadratic; the
    time is checked by `python bench/hostile.py 26`)."""
    many = "[Service]\nExecStart=/usr/bin/docker run " + "${A}%n" * 6000 + " \\\n-e X" * 6000 + " img\n"
    project = load_unit("x.service", texts={"x.service": many})
    assert project.workloads[0].image.value.written == "img"


def test_systemd_negative_fixture():
    project = load_unit(str(FIXTURES / "systemd" / "clean.service"))
    assert default_findings(project) == []
    assert len(project.workloads) == 1


# -- Quadlet -------------------------------------------------------------------------


def quadlet_project():
    return load_quadlets(sorted(str(p) for p in (FIXTURES / "quadlet" / "homelab").iterdir()))


def test_quadlet_fixture_findings():
    assert default_findings(quadlet_project(), "CL503") == [
        ("CL101", 3, 9),  # app.pod Network=host
        ("CL101", 6, 9),  # web.container Network=host
        ("CL102", 3, 5),  # app.container Pod=app.pod: the pod is on the host network
        ("CL201", 7, 13),  # web.container PublishPort= discarded
        ("CL211", 5, 1),  # db.container publishes on a macvlan-only network
        ("CL301", 12, 12),  # PodmanArgs=--privileged
        ("CL302", 12, 25),  # PodmanArgs=... --pid=host
        ("CL308", 8, 25),  # AddCapability=... SYS_ADMIN
        ("CL309", 8, 15),  # AddCapability=NET_ADMIN
        ("CL312", 9, 22),  # SecurityLabelDisable=true
        ("CL401", 10, 8),  # Volume=/run/podman/podman.sock:...
        ("CL403", 11, 11),  # AddDevice=-/dev/kmsg
        ("CL503", 3, 8),  # backend.network Driver=macvlan
    ]


def test_quadlet_references_resolve_to_definitions():
    project = quadlet_project()
    db = project.workload("db")
    assert [a.name for a in db.networks] == ["backend"]
    assert project.networks["backend"].driver.value == "macvlan"
    assert project.workload("systemd-app").network_mode.value == "container:app"
    assert project.workload("app").origin == "podman-pod-create"


def test_quadlet_defaults_name_networks_after_the_unit():
    texts = {
        "q/a.container": "[Container]\nImage=x\nNetwork=lan.network\nReadOnly=yes\n",
        "q/lan.network": "[Network]\nInternal=true\n",
    }
    project = load_quadlets(sorted(texts), texts=texts)
    workload = project.workload("systemd-a")
    assert [a.name for a in workload.networks] == ["systemd-lan"]
    assert project.networks["systemd-lan"].internal.value is True
    assert workload.read_only.value is True


def test_quadlet_negative_fixture():
    project = load_quadlets([str(FIXTURES / "quadlet" / "clean" / "api.container")])
    assert default_findings(project) == []


# -- dev containers ------------------------------------------------------------------


def test_devcontainer_image_fixture_findings():
    path = FIXTURES / "devcontainer" / "image" / ".devcontainer" / "devcontainer.json"
    assert default_findings(load_devcontainer(str(path))) == [
        ("CL101", 5, 15),  # runArgs --network=host
        ("CL201", 6, 15),  # appPort 3000 -> 127.0.0.1:3000:3000, discarded on the host network
        ("CL201", 6, 21),
        ("CL301", 8, 17),  # "privileged": true
        ("CL309", 9, 14),  # capAdd NET_ADMIN
        # securityOpt seccomp=unconfined with SYS_PTRACE: the debugger recipe (test below)
        ("CL401", 12, 5),  # mounts: the docker socket
    ]


def test_devcontainer_seccomp_off_without_a_debugger_is_reported():
    path = FIXTURES / "devcontainer" / "seccomp" / ".devcontainer" / "devcontainer.json"
    assert default_findings(load_devcontainer(str(path))) == [("CL310", 6, 19)]


def test_devcontainer_sys_ptrace_is_the_debuggers_unless_the_host_pid_namespace_is_shared():
    # Issue 10: gdb/lldb/delve need SYS_PTRACE and seccomp off in a dev container (the dev
    # containers' debugger recipe); they reach the container's own processes only, unless the
    # container shares the host's PID namespace. Seccomp off without SYS_PTRACE is still CL310
    # (test_devcontainer_seccomp_off_without_a_debugger_is_reported).
    debugger = FIXTURES / "devcontainer" / "debugger" / ".devcontainer" / "devcontainer.json"
    assert default_findings(load_devcontainer(str(debugger))) == []
    host_pid = FIXTURES / "devcontainer" / "debugger-host-pid" / ".devcontainer" / "devcontainer.json"
    assert [f for f in default_findings(load_devcontainer(str(host_pid))) if f[0] in ("CL308", "CL310")] == [
        ("CL308", 5, 15),
        ("CL310", 5, 71),
    ]


def test_devcontainer_privileged_declared_by_the_docker_in_docker_feature_is_not_reported():
    """The docker-in-docker feature declares `"privileged": true` itself: `--privileged` beside it
    changes nothing. A feature that declares no privileged mode leaves it reported."""
    dind = FIXTURES / "devcontainer" / "docker-in-docker" / ".devcontainer" / "devcontainer.json"
    assert default_findings(load_devcontainer(str(dind))) == [("CL303", 10, 15)]
    dood = FIXTURES / "devcontainer" / "docker-outside-of-docker" / ".devcontainer" / "devcontainer.json"
    assert default_findings(load_devcontainer(str(dood))) == [("CL301", 7, 15)]
    compose = FIXTURES / "devcontainer" / "compose" / ".devcontainer" / "devcontainer.json"
    text = compose.read_text().replace("{", '{"features": {"docker-in-docker": {}},', 1)
    project = load_devcontainer(str(compose), texts={str(compose): text})
    assert [code for code, *_ in default_findings(project)] == ["CL210", "CL308"]  # no CL301


def test_cli_socket_and_label_declared_by_the_docker_outside_of_docker_feature_are_not_reported():
    """docker-outside-of-docker (legacy id docker-from-docker) bind-mounts the host's
    /var/run/docker.sock and declares label=disable: the same socket or option written beside it
    changes nothing. A mount beyond the socket (`/var/run`) is still CL401; the same socket without
    the feature still is too (devcontainer/image)."""
    socket = FIXTURES / "devcontainer" / "docker-outside-of-docker-socket"
    assert findings(str(socket)) == []
    legacy = FIXTURES / "devcontainer" / "docker-from-docker"
    assert findings(str(legacy)) == [("CL401", 9, 5, "error")]
    image = FIXTURES / "devcontainer" / "image"
    assert ("CL401", 12, 5, "error") in findings(str(image))


def test_cli_devcontainer_messages_name_the_setting_where_it_is_written():
    """`--privileged` in `runArgs` is named there, `"privileged": true` as the property, also on the
    compose service a devcontainer.json adds it to (apache/apisix's shape)."""

    def helps(path: Path) -> list[tuple[str, str, str | None]]:
        return [(f["code"], f["message"], f["help"]) for f in lint_json(str(path))["findings"]]

    run_args = FIXTURES / "devcontainer" / "run-args-privileged"
    assert [(code, help) for code, _, help in helps(run_args)] == [
        ("CL301", 'Remove `"runArgs": ["--privileged"]`; add only the capabilities needed with `"capAdd"`'),
        ("CL312", None),
    ]
    assert '`"runArgs": ["--security-opt=label=disable"]`' in helps(run_args)[1][1]
    image = helps(FIXTURES / "devcontainer" / "image")
    assert ('Remove `"privileged": true`; add only the capabilities needed with `"capAdd"`') in [
        help for code, _, help in image if code == "CL301"
    ]
    compose = helps(FIXTURES / "devcontainer" / "compose")
    assert [help for code, _, help in compose if code == "CL301"] == [
        'Remove `"privileged": true`; add only the capabilities needed with `cap_add`'
    ]


def test_devcontainer_compose_service_is_the_dev_container():
    path = FIXTURES / "devcontainer" / "compose" / ".devcontainer" / "devcontainer.json"
    project = load_devcontainer(str(path))
    assert default_findings(project) == [
        ("CL210", 7, 9),  # docker-compose.yml: db publishes 5432 on all interfaces
        ("CL301", 7, 17),  # devcontainer.json "privileged" on service app
        ("CL308", 6, 14),  # devcontainer.json "capAdd" on service app
    ]
    assert {s.role for s in project.sources} == {"base", "include"}


def test_devcontainer_negative_fixture_forward_ports_are_not_published():
    project = load_devcontainer(str(FIXTURES / "devcontainer" / "clean" / ".devcontainer.json"))
    assert default_findings(project) == []
    (workload,) = project.workloads
    assert [p.raw for p in workload.ports] == ["127.0.0.1:8080:8080"]  # appPort only; forwardPorts are not


def test_devcontainer_workspace_mount_and_container_user():
    text = (
        '{"image": "x", "containerUser": "root",\n'
        ' "workspaceMount": "source=/var/run/docker.sock,target=/w,type=bind"}\n'
    )
    project = load_devcontainer("d/devcontainer.json", texts={"d/devcontainer.json": text})
    (workload,) = project.workloads
    assert workload.user.value.written == "root"
    assert default_findings(project) == [("CL401", 2, 20)]


def test_devcontainer_syntax_error_is_a_finding():
    text = '{\n  "runArgs": ["--privileged",\n}\n'
    project = load_devcontainer("d/devcontainer.json", texts={"d/devcontainer.json": text})
    assert [(d.code, d.span.line) for d in project.diagnostics] == [("CL001", 3)]


# -- no input crashes a front end ----------------------------------------------------

_UNIT_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "[Service]",
                "[Container]",
                "[Network]",
                "[Pod]",
                "Environment=A=host B='x y'",
                "EnvironmentFile=-/x",
                "ExecStart=",
                "ExecStart=/usr/bin/docker run --net=$A -p ${B}:1 img",
                "ExecStart=/bin/sh -c 'docker run --privileged \\'x\\' $B'",
                "ExecStartPre=-@docker docker run -v %h:/h x ; docker run y",
                "Network=host",
                "Network=a.network",
                "Pod=p.pod",
                "PublishPort=1:2",
                "PodmanArgs=--cap-add=ALL '--pid=host",
                "AddDevice=-",
                "Image=",
                "Options=a=b,c",
                "\\",
                "# c",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_UNIT_TEXT, st.sampled_from(["u.service", "u@.service", "u.container", "u.pod", "u.network"]))
def test_no_unit_text_crashes(text, name):
    if name.endswith(".service"):
        project = load_unit(name, texts={name: text})
    else:
        texts = {name: text, "p.pod": text, "a.network": text}
        project = load_quadlets(sorted(texts), texts=texts)
    lint([project], list(select_rules(["ALL"], [], [])))


_JSON_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"runArgs"',
        '"appPort"',
        '"mounts"',
        '"privileged"',
        '"dockerComposeFile"',
        '"service"',
        '"--net=host"',
        '"${localEnv:X}"',
        "true",
        "3000",
        "// c\n",
        "/* c */",
        '{"source": 1}',
        UNKNOWN,
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_JSON_PIECES, st.text(max_size=8)), max_size=30).map("".join))
def test_no_devcontainer_text_crashes(text):
    path = "x/.devcontainer/devcontainer.json"
    project = load_devcontainer(path, texts={path: text})
    lint([project], list(select_rules(["ALL"], [], [])))


_JSON_SCALARS = st.one_of(
    st.integers(min_value=-5, max_value=70000),
    st.sampled_from([1.5, True, False, None]),
    st.text(alphabet=st.sampled_from('ab é"\\/\n\t\u2028$'), max_size=6),
)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["runArgs", "a", "é"]), inner, max_size=3)
    ),
    max_leaves=8,
)


def _jsonc(value, draw) -> str:
    """`value` written as JSON with comments, trailing commas and line breaks where `draw` says."""
    import json

    gap = draw(st.sampled_from(["", " ", "\n  ", " // c\n", " /* , ] */ ", "\r\n"]))
    if isinstance(value, list):
        inner = [_jsonc(item, draw) for item in value]
    elif isinstance(value, dict):
        inner = [f"{json.dumps(key)}:{gap}{_jsonc(item, draw)}" for key, item in value.items()]
    else:
        return json.dumps(value, ensure_ascii=draw(st.booleans()))
    trailing = "," if inner and draw(st.booleans()) else ""
    body = f",{gap}".join(inner) + trailing + gap
    return f"[{gap}{body}]" if isinstance(value, list) else f"{{{gap}{body}}}"


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_devcontainer_json_reads_the_same_with_either_parser(data):
    """tree-sitter-json (trailing commas blanked) reads what it can, json-five the rest: where the
    first reads a document, both give the same values at the same lines and columns."""
    from composelint.sources.devcontainer import _json_five_document, _tree_sitter_document

    text = data.draw(
        st.one_of(
            _JSON_VALUES.map(lambda value: _jsonc(value, data.draw)),
            st.lists(st.one_of(_JSON_PIECES, st.text(max_size=8)), max_size=30).map("".join),
        )
    )
    fast = _tree_sitter_document(text)
    if fast is not None:
        assert fast == _json_five_document(text)


def test_devcontainer_json_with_trailing_commas_and_comments_is_read_by_tree_sitter():
    from composelint.sources.devcontainer import _tree_sitter_document

    text = '{\n  // dev\n  "runArgs": ["--net=host", ], /* a, */\n  "appPort": [3000,],\n}\n'
    document = _tree_sitter_document(text)
    assert document is not None and [pair.key.value for pair in document.items] == ["runArgs", "appPort"]


def test_cli_discovers_and_lints_every_unit_kind():
    found = findings(
        "--extend-select",
        "CL503,CL008",
        str(FIXTURES / "systemd"),
        str(FIXTURES / "quadlet"),
        str(FIXTURES / "devcontainer"),
    )
    assert ("CL503", 9, 54, "warning") in found  # web@.service (opt-in)
    assert ("CL102", 3, 5, "error") in found  # app.container: Pod=app.pod, resolved in its directory
    assert ("CL301", 7, 17, "error") in found  # compose devcontainer.json
    # app.container `Volume=%E/app:/config`: a directory below %E, decided (no CL008); a dev
    # container's SYS_PTRACE and seccomp off are reported only with the host's PID namespace (CL308,
    # CL302 and CL310 there), seccomp off without SYS_PTRACE always (CL310 in seccomp/).
    # docker-in-docker/: CL303; docker-outside-of-docker/: CL301; docker-from-docker/: CL401;
    # run-args-privileged/: CL301 and CL312;
    # quadlet/runtime-dir/: CL401 three times.
    assert len(found) == 40


def test_quadlet_pod_members_share_the_pods_namespace_by_design():
    # Issue 10: a container in a pod is not reported for sharing the pod's namespace (its name may
    # even be the pod's); a pod on the host network still is (homelab/app.container).
    found = findings("--select", "CL102", str(FIXTURES / "quadlet" / "pod-member"))
    assert found == []
    assert ("CL102", 3, 5, "error") in findings("--select", "CL102", str(FIXTURES / "quadlet" / "homelab"))


def test_cli_named_quadlet_unit_comes_with_its_directory():
    found = findings(str(FIXTURES / "quadlet" / "homelab" / "app.container"))
    assert ("CL102", 3, 5, "error") in found


def test_cli_kind_selects_unit_kinds():
    found = findings(
        "--kind", "quadlet", "--extend-select", "CL503", str(FIXTURES / "systemd"), str(FIXTURES / "quadlet")
    )
    assert found and not any(f for f in found if f[0] == "CL503" and f[1] == 9)  # web@.service not read
    forced = findings(
        "--kind",
        "systemd",
        "-",
        "--stdin-filename",
        "u.service",
        input=("[Service]\nExecStart=/usr/bin/docker run --privileged img\n"),
    )
    assert forced == [("CL301", 2, 31, "error")]


def test_configuration_kinds_limit_discovery(tmp_path):
    (tmp_path / "composelint.yaml").write_text("kinds: [systemd]\n")
    (tmp_path / "a.service").write_text("[Service]\nExecStart=/usr/bin/docker run --privileged img\n")
    (tmp_path / "a.container").write_text("[Container]\nImage=img\nNetwork=host\n")
    assert [f[:3] for f in findings(str(tmp_path))] == [("CL301", 2, 31)]
    assert [f[:3] for f in findings("--kind", "quadlet", str(tmp_path))] == [("CL101", 3, 9)]
    assert [f[:3] for f in findings(str(tmp_path / "a.container"))] == [("CL101", 3, 9)]  # named: linted


def test_configuration_schema_lists_every_kind():
    import json

    from composelint.discovery import KINDS

    schema = json.loads(
        (FIXTURES.parent / "composelint" / "data" / "composelint-config.schema.json").read_text()
    )
    assert schema["properties"]["kinds"]["items"]["enum"] == list(KINDS)


def test_quadlet_ignores_files_that_are_not_units():
    texts = {
        "d/doc.pod": "=head1 NAME\n\nnot a pod unit\n",
        "d/eth.network": "[Match]\nName=eth0\n[Network]\nDHCP=yes\n",
    }
    project = load_quadlets(sorted(texts), texts=texts)
    assert not project.workloads and not project.networks


def test_findings_speak_the_syntax_of_their_source():
    """A Quadlet unit's finding names its keys (`Network=container:db`, `PodmanArgs=--pid host`), a
    devcontainer.json's its properties or runArgs, a systemd unit's the key that runs the command."""
    report = lint_json(str(FIXTURES / "wording"))
    said = {(Path(f["path"]).name, f["code"]): f"{f['message']} | {f['help']}" for f in report["findings"]}
    for (name, code), words in {
        ("app.container", "CL105"): "(Quadlet unit) sets `PublishPort=` but shares another container's "
        "network namespace (`Network=container:db`)",
        ("app.container", "CL302"): "(`PodmanArgs=--pid host`)",
        ("app.container", "CL312"): "sets `SecurityLabelDisable=true`: SELinux confinement is off",
        ("app.container", "CL310"): "sets `SeccompProfile=unconfined`: all system calls are allowed",
        ("app.container", "CL301"): "Remove `PodmanArgs=--privileged`; add only the capabilities needed "
        "with `AddCapability=`",
        (".devcontainer.json", "CL105"): 'sets `"appPort"` but shares another container\'s network '
        'namespace (`"runArgs": ["--network=container:db"]`)',
        (".devcontainer.json", "CL302"): '(`"runArgs": ["--pid=host"]`)',
        (".devcontainer.json", "CL301"): 'Remove `"privileged": true`; add only the capabilities needed '
        'with `"capAdd"`',
        ("app.service", "CL301"): "Container `web` (docker run in `ExecStart=`) runs privileged",
        ("app.service", "CL202"): "of container `web` (docker run in `ExecStart=`) binds all host interfaces",
    }.items():
        assert words in said[(name, code)], (name, code, said.get((name, code)))
    hints = {
        (Path(f["path"]).name, f["code"]): f["help"]
        for f in lint_json("--select", "CL603,CL604", str(FIXTURES / "wording"))["findings"]
    }
    assert hints[("app.container", "CL604")] == "Add `Memory=512m` to the unit's `[Container]` section"
    assert (
        "`NoNewPrivileges=true`"
        in lint_json("--select", "CL601", str(FIXTURES / "wording" / "quadlet"))["findings"][0]["help"]
    )
    assert hints[("app.container", "CL603")].startswith("Add `ReadOnly=true` (and `Tmpfs=`")
    assert (
        hints[(".devcontainer.json", "CL604")]
        == 'Add `"runArgs": ["--memory=512m"]` to the devcontainer.json'
    )
    assert hints[("app.service", "CL604")] == "Add `--memory 512m` to the `docker run` command"


def test_socket_activated_units_are_reached_through_systemd():
    """CL203 says nothing can reach a server; under socket activation systemd listens and hands the
    socket over: a dependency on the `.socket` unit of its own name, such a file beside it, or
    sockets inherited by number (nginx's `NGINX=3;`). A socket of another name is no evidence."""
    root = FIXTURES / "socket-activation"
    for case in ("requires", "beside", "nginx"):
        assert findings("--select", "CL203", str(root / case)) == [], case
    assert [f[:3] for f in findings("--select", "CL203", str(root / "none"))] == [("CL203", 6, 7)]
