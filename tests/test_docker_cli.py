"""The docker/podman command-line grammar on hand-built words (no shell parser involved).

Each test writes one command line; `$NAME` tokens become words only known at
run time, tokens listed in `possible` become possible values.
"""

from __future__ import annotations

import pytest

from composelint.model import PortBinding, Project, Run, Span
from composelint.sources.docker_cli.reader import (
    DOCKER_RUN,
    Timeline,
    classify,
    parse_flags,
    read_invocations,
)
from composelint.sources.docker_cli.words import UNKNOWN, Invocation, Word

PATH = "script.sh"
ORIGIN = Span(PATH, 1, 1, 1, 9)


def words(line: str, *, possible: tuple[int, ...] = (), number: int = 1) -> list[Word]:
    """Split on single spaces; `$X` parts are unknown; indexes in `possible` are possible values."""
    result, column = [], 1
    for index, token in enumerate(line.split(" ")):
        span = Span(PATH, number, column, number, column + len(token))
        text = token.replace("$X", UNKNOWN).replace("$MODE", UNKNOWN).replace("$OPTS", UNKNOWN)
        certainty = "unknown" if UNKNOWN in text else "possible" if index in possible else "definite"
        result.append(Word(text, span, token, certainty, ORIGIN if certainty == "possible" else None))
        column += len(token) + 1
    return result


def invocation(line: str, number: int = 1, possible: tuple[int, ...] = ()) -> Invocation:
    ws = words(line, possible=possible, number=number)
    return Invocation(ws[0].text, ws, Span(PATH, number, 1, number, len(line) + 1))


def project(*lines: str, possible: tuple[int, ...] = ()) -> Project:
    result = Project("script.sh")
    read_invocations(
        result, [invocation(line, number, possible) for number, line in enumerate(lines, start=1)]
    )
    return result


def workload(line: str, **options):
    loaded = project(line, **options)
    assert len(loaded.workloads) == 1, loaded.workloads
    return loaded.workloads[0]


# -- pflag -------------------------------------------------------------------


def test_long_flag_with_equals_spans_the_whole_word():
    w = workload("docker run --net=host httpd")
    assert w.network_mode.value == "host"
    assert (w.network_mode.span.column, w.network_mode.span.end_column) == (12, 22)
    assert w.keys["network_mode"].column == 12
    assert w.origin == "docker-run" and w.name == "httpd #1" and w.span.column == 8


def test_long_flag_value_in_next_word():
    w = workload("docker run --network host httpd")
    assert w.network_mode.value == "host" and w.network_mode.span.column == 22
    assert w.keys["network_mode"].column == 12


def test_flags_after_the_image_belong_to_the_command():
    w = workload("docker run alpine --privileged -p 80:80")
    assert w.privileged is None and not w.ports
    assert w.image.value.written == "alpine" and w.keys["command"].column == 19


def test_boolean_flag_never_takes_the_next_word():
    w = workload("docker run --privileged false")
    assert w.privileged.value is True and w.image.value.written == "false"


@pytest.mark.parametrize(
    "text", ["--privileged=false", "--privileged=0", "--privileged=F", "--privileged=FALSE"]
)
def test_boolean_flag_turned_off(text):
    assert workload(f"docker run {text} alpine").privileged.value is False


def test_value_flag_takes_the_next_word_even_if_it_starts_with_a_dash():
    w = workload("docker run --dns -x alpine")
    assert [d.value for d in w.dns] == ["-x"] and w.image.value.written == "alpine"


@pytest.mark.parametrize(
    "line",
    [
        "docker run -itp 8080:80 nginx",
        "docker run -itp8080:80 nginx",
        "docker run -it -p=8080:80 nginx",
        "docker run -i -t --publish=8080:80 nginx",
    ],
)
def test_combined_short_flags(line):
    w = workload(line)
    assert [(p.host_start, p.container_start) for p in w.ports] == [(8080, 80)]
    assert w.image.value.written == "nginx"


def test_first_value_letter_eats_the_rest_of_the_cluster():
    w = workload("docker run -pit nginx")
    assert not w.ports and w.port_errors and w.port_errors[0].raw == "it"
    assert w.image.value.written == "nginx"


def test_two_booleans_in_a_cluster():
    w = workload("docker run -dP nginx")
    assert w.publish_all.value is True and w.publish_all.span.column == 12


def test_double_dash_ends_flags():
    w = workload("docker run --rm -- alpine --privileged")
    assert w.image.value.written == "alpine" and w.privileged is None


def test_unknown_flag_is_a_boolean():
    w = workload("docker run --frobnicate nginx --privileged")
    assert w.image.value.written == "nginx" and w.privileged is None


def test_run_h_is_hostname_but_docker_h_is_host():
    w = workload("docker -H tcp://10.0.0.1:2376 run -h box alpine")
    assert w.hostname.value == "box"


@pytest.mark.parametrize(
    "line",
    [
        "docker -H tcp://x:2375 --context prod -l debug --tlsverify -D run --net=host nginx",
        "docker --config /etc/d -c prod container run --net=host nginx",
        "docker --log-level=debug --host=unix:///x.sock run --net=host nginx",
    ],
)
def test_global_flags_before_the_subcommand(line):
    assert workload(line).network_mode.value == "host"


@pytest.mark.parametrize(
    "line, origin",
    [
        ("docker create nginx", "docker-create"),
        ("docker container create nginx", "docker-create"),
        ("podman run nginx", "podman-run"),
        ("nerdctl -n k8s.io run nginx", "nerdctl-run"),
    ],
)
def test_origins(line, origin):
    assert workload(line).origin == origin


def test_parse_flags_reports_positionals_and_rest():
    parsed = parse_flags(words("--rm -v a:/b img cmd --x"), DOCKER_RUN)
    assert [f.name for f in parsed.flags] == ["rm", "volume"]
    assert [w.text for w in parsed.positionals] == ["img"] and [w.text for w in parsed.rest] == ["cmd", "--x"]


def test_classify_other_subcommands():
    for line in ("docker ps -a", "docker pull nginx", "docker network ls", "docker compose up -d"):
        ws = words(line)
        assert classify(Invocation("docker", ws, ws[0].span)).kind == "other"


# -- values ------------------------------------------------------------------


def test_docker_does_not_split_ports_on_commas_but_podman_does():
    assert workload("docker run -p 80:80,443:443 nginx").port_errors
    w = workload("podman run -p 80:80,443:443 nginx")
    assert [p.container_start for p in w.ports] == [80, 443] and not w.port_errors


def test_podman_port_rules():
    assert workload("podman run -p ::1:80:80 nginx").port_errors  # IPv6 needs brackets in podman
    assert workload("podman run -p [::1]:80:80 nginx").ports
    assert workload("podman run -p 8000-9000:80 nginx").port_errors  # no host pool
    assert workload("podman run -p 0:80 nginx").port_errors
    assert workload("docker run -p 8000-9000:80 nginx").ports


def test_csv_publish():
    w = workload("docker run -p published=8080,target=80,protocol=udp nginx")
    port: PortBinding = w.ports[0]
    assert (port.host_start, port.container_start, port.protocol, port.host_ip) == (8080, 80, "udp", None)
    assert port.raw == "published=8080,target=80,protocol=udp" and port.syntax == "cli"
    assert workload("docker run -p published=8080 nginx").port_errors


def test_expose_and_publish_all():
    w = workload("docker run --expose 8080 --expose=9000/udp -P nginx")
    assert [(e.value.ports, e.value.protocol) for e in w.expose] == [
        (range(8080, 8081), "tcp"),
        (range(9000, 9001), "udp"),
    ] and w.publish_all.value


def test_mount_csv():
    w = workload("docker run --mount type=bind,source=/var/run/docker.sock,target=/sock,readonly alpine")
    mount = w.mounts[0]
    assert (mount.kind, mount.source, mount.target, mount.read_only) == (
        "bind",
        "/var/run/docker.sock",
        "/sock",
        True,
    )
    w = workload("docker run --mount type=bind,src=/x,dst=/y,bind-propagation=rshared alpine")
    assert (w.mounts[0].source, w.mounts[0].target, w.mounts[0].propagation) == ("/x", "/y", "rshared")
    assert workload("docker run --mount source=data,target=/d alpine").mounts[0].kind == "volume"


def test_volume_short():
    w = workload("docker run -v /etc:/host/etc:ro -v data:/data -v ./conf:/conf alpine")
    assert [(m.kind, m.source, m.read_only) for m in w.mounts] == [
        ("bind", "/etc", True),
        ("volume", "data", False),
        ("bind", "./conf", False),
    ]
    assert w.keys["volumes"].column == 12


def test_isolation_flags():
    w = workload(
        "docker run --pid=host --ipc host --uts=host --userns=host --cgroupns=host "
        "--cap-add SYS_ADMIN --cap-drop=ALL --security-opt seccomp:unconfined "
        "--security-opt=apparmor=unconfined --device /dev/sda:/dev/xvda --sysctl net.ipv4.ip_forward=1 "
        "--add-host db:10.0.0.2 --link db --dns 1.1.1.1 --use-api-socket alpine"
    )
    assert (w.pid.value, w.ipc.value, w.uts.value, w.userns.value, w.cgroupns.value) == ("host",) * 5
    assert [c.value.written for c in w.cap_add] == ["SYS_ADMIN"] and [
        c.value.written for c in w.cap_drop
    ] == ["ALL"]
    assert [(s.value.key, s.value.value) for s in w.security_opt] == [
        ("seccomp", "unconfined"),
        ("apparmor", "unconfined"),
    ]
    assert [d.value.path for d in w.devices] == ["/dev/sda"]
    assert [(s.value.name, s.value.value) for s in w.sysctls] == [("net.ipv4.ip_forward", "1")]
    assert (
        w.extra_hosts[0].value.address == "10.0.0.2"
        and w.links[0].value == "db"
        and w.dns[0].value == "1.1.1.1"
    )
    assert w.use_api_socket.value is True
    assert {
        "pid",
        "ipc",
        "uts",
        "userns_mode",
        "cgroup",
        "cap_add",
        "security_opt",
        "devices",
        "sysctls",
        "extra_hosts",
        "links",
        "dns",
        "use_api_socket",
    } <= set(w.keys)


def test_hardening_flags():
    w = workload(
        "docker run -u 0:0 --read-only -m 512m --cpus 1.5 --pids-limit 100 --health-cmd true "
        "--restart on-failure:10 --cgroup-parent /x --log-driver none --tmpfs /tmp:exec alpine"
    )
    assert (
        w.user.value.written,
        w.read_only.value,
        w.memory_limit.value.written,
        w.cpu_limit.value.written,
        w.pids_limit.value.written,
    ) == (
        "0:0",
        True,
        "512m",
        "1.5",
        "100",
    )
    assert w.healthcheck.value is True and (w.restart.value.name, w.restart.value.retries) == (
        "on-failure",
        10,
    )
    assert (w.cgroup_parent.value, w.logging_driver.value, w.tmpfs[0].value.allows) == (
        "/x",
        "none",
        ("exec",),
    )
    assert workload("docker run --no-healthcheck alpine").healthcheck.value is False


def test_networks():
    loaded = project("docker network create backend", "docker run --network backend --name api alpine")
    assert "backend" in loaded.networks
    api = loaded.workload("api")
    assert api.network_mode is None and [a.name for a in api.networks] == ["backend"]
    w = workload("docker run --network host --network backend alpine")
    assert w.network_mode.value == "host" and [a.name for a in w.networks] == ["backend"]
    assert workload("docker run --network container:db alpine").network_mode.value == "container:db"
    assert workload("docker run --network name=Front,alias=x alpine").networks[0].name == "front"


@pytest.mark.parametrize(
    "value, mode",
    [
        ("ns:/proc/1/ns/net", "ns:/proc/1/ns/net"),
        ("pasta", "pasta"),
        ("pasta:--map-gw", "pasta"),
        ("private", "private"),
        ("slirp4netns:port_handler=slirp4netns", "slirp4netns"),
        ("bridge:ip=10.88.0.5", "bridge"),
    ],
)
def test_podman_network_modes(value, mode):
    assert workload(f"podman run --network {value} alpine").network_mode.value == mode


def test_podman_network_list():
    w = workload("podman run --network a,b alpine")
    assert [a.name for a in w.networks] == ["a", "b"]
    assert workload("docker run --network ns:/x alpine").networks[0].name == "ns:/x"  # docker: a network name


def test_network_create():
    loaded = project(
        "docker network create -d macvlan -o parent=eth0 --opt=com.docker.network.bridge.host_binding_ipv4=0.0.0.0 "
        "--internal --attachable --ipv6 lan"
    )
    network = loaded.networks["lan"]
    assert network.driver.value == "macvlan" and network.driver.span.column == 26
    assert network.driver_opts["parent"].value == "eth0"
    assert network.driver_opts["com.docker.network.bridge.host_binding_ipv4"].value == "0.0.0.0"
    assert network.internal.value and network.attachable.value and network.enable_ipv6.value
    assert project("docker network create lan2 --driver overlay").networks["lan2"].driver.value == "overlay"


def test_exec():
    loaded = project("docker exec -u root --privileged web sh -c id")
    run = loaded.execs[0]
    assert run.container == "web" and run.user.value.written == "root" and run.privileged.value is True
    assert run.user.span.column == 16 and run.span.column == 8
    assert project("docker exec web sh --privileged").execs[0].privileged is None
    assert project("docker container exec -it -u 0 web sh").execs[0].user.value.is_root


def test_service_create():
    loaded = project(
        "docker service create --name web --network host -p published=8080,target=80,mode=host "
        "--mount type=bind,src=/var/run/docker.sock,dst=/s --cap-add NET_ADMIN --host db:10.0.0.2 nginx"
    )
    w = loaded.workloads[0]
    assert w.origin == "service-create" and w.name == "web"
    assert w.network_mode.value == "host" and (w.ports[0].host_start, w.ports[0].container_start) == (
        8080,
        80,
    )
    assert w.mounts[0].source == "/var/run/docker.sock" and w.cap_add[0].value.written == "NET_ADMIN"
    assert (w.extra_hosts[0].value.name, w.extra_hosts[0].value.address) == ("db", "10.0.0.2")
    assert project("docker service create -p 127.0.0.1:80:80 nginx").workloads[0].port_errors


@pytest.mark.parametrize(
    "line",
    [
        "docker build --network host .",
        "docker buildx build --network=host -t x .",
        "docker buildx --builder b build --network host .",
        "docker image build . --network host",
        "podman build --network=host .",
    ],
)
def test_build(line):
    loaded = project(line)
    assert loaded.builds[0].network.value == "host" and not loaded.workloads


def test_compose_run():
    w = workload("docker compose -f a.yml -p proj --profile x run -P --rm web sh")
    assert w.origin == "compose-run" and w.name == "web #1" and w.publish_all is None and w.image is None
    w = workload("docker compose run -p 8080:80 --name one web")
    assert w.name == "one" and w.ports[0].host_start == 8080


def test_names():
    loaded = project("docker run -d ghcr.io/acme/api:2.1@sha256:abc", "docker run --name db postgres:17")
    assert [w.name for w in loaded.workloads] == ["api #1", "db"]


# -- run-time values -----------------------------------------------------------


def test_unknown_security_value_is_cl008_and_stays_out_of_the_model():
    loaded = project("docker run --network $MODE --privileged=$X -p $X:80:80 -v $X:/d --user $X nginx")
    w = loaded.workloads[0]
    assert w.network_mode is None and w.privileged is None and not w.ports and not w.mounts and w.user is None
    messages = [d.message for d in loaded.diagnostics]
    assert all(d.code == "CL008" for d in loaded.diagnostics) and len(messages) == 5
    assert messages[0] == "`--network $MODE` is only known at run time"
    assert [d.settings for d in loaded.diagnostics] == [
        ("network_mode", "networks"),
        ("privileged",),
        ("ports",),
        ("volumes",),
        ("user",),
    ]
    assert loaded.diagnostics[0].span.column == 22 and loaded.diagnostics[1].span.column == 28


def test_unknown_option_list_is_cl008():
    loaded = project("docker run $OPTS -p 80:80 nginx")
    assert loaded.workloads[0].image.value.written == "nginx" and loaded.workloads[0].ports
    assert [d.code for d in loaded.diagnostics] == ["CL008"]


def test_unknown_image_is_the_image():
    loaded = project("docker run --rm $X sh")
    assert loaded.workloads[0].image is None and loaded.workloads[0].name == "$X #1"
    assert not loaded.diagnostics


def test_possible_value_is_recorded():
    loaded = project("docker run --net=host nginx", possible=(2,))
    w = loaded.workloads[0]
    assert loaded.possible_values == {w.network_mode.span: ORIGIN}


def test_exec_unknown_user():
    loaded = project("docker exec -u $X web id")
    assert loaded.execs[0].user is None and loaded.diagnostics[0].settings == ("exec.user",)


def test_multi_line_words_keep_their_own_lines():
    first = words("docker run \\")
    second = words("  --net=host \\", number=2)[2:3]
    third = words("  nginx", number=3)[2:3]
    ws = first[:2] + second + third
    loaded = Project("script.sh")
    read_invocations(loaded, [Invocation("docker", ws, Span(PATH, 1, 1, 3, 8))])
    mode = loaded.workloads[0].network_mode
    assert (mode.span.line, mode.span.column) == (2, 3)


def test_argument_lists_are_options_and_the_container_stays_with_an_unknown_image():
    ws = words("docker run --rm $X")
    ws[3] = Word(UNKNOWN, ws[3].span, '"$@"', "unknown")
    loaded = Project("script.sh")
    read_invocations(loaded, [Invocation("docker", ws, ws[0].span)])
    assert [d.code for d in loaded.diagnostics] == ["CL008"]
    assert [w.image for w in loaded.workloads] == [None]


def test_variable_names_are_read_part_by_part():
    for written, options in (
        ('"$target_image"', False),
        ("$DOCKER_ARGS", True),
        ("$runArgs", True),
        ("${IMAGE_TAG}", False),
        ("$EXTRA_OPTIONS", True),
    ):
        ws = words("docker run -p 80:80 $X")
        ws[4] = Word(UNKNOWN, ws[4].span, written, "unknown")
        loaded = Project("script.sh")
        read_invocations(loaded, [Invocation("docker", ws, ws[0].span)])
        dynamic = [d for d in loaded.diagnostics if "flags it adds" in d.message]
        assert bool(dynamic) == options, written
        assert len(loaded.workloads[0].ports) == 1


class _CountedWorkloads(list):
    """A project's list of workloads that counts how often it is walked."""

    walks = 0

    def __iter__(self):
        self.walks += 1
        return super().__iter__()


def test_blocks_read_in_order_continue_the_timeline_without_walking_earlier_containers():
    """A CI job's steps are read into its project one block after another (one `Timeline`): each block
    continues where the blocks before it stopped (the position of the last command, the containers
    still running) without walking every container read so far.  Walking them made a workflow of
    thousands of steps quadratic (issue 17: 400 KB took 11 s; just under the 4 MiB bound, over
    30 s)."""
    result = Project("ci.yml")
    result.workloads = walked = _CountedWorkloads()
    steps = [
        "docker run -d --name db -p 80:80 postgres",
        "docker exec db true",
        "docker stop db",
        "docker run nginx",
    ]
    timeline = Timeline()
    for _ in range(25):
        for step in steps:
            read_invocations(result, [invocation(step)], timeline)
    assert walked.walks == 0
    # Each `docker run` is a position: `db` runs until the `stop` of its round; an exec moves no
    # container, so the next block continues after the latest start or end (as before this fix).
    assert [(w.name, w.runs) for w in list.__iter__(walked)][:4] == [
        ("db", Run(1, 2, frozenset({"db"}))),
        ("nginx #1", Run(3, 3, frozenset({"nginx #1"}))),
        ("db", Run(4, 5, frozenset({"db"}))),
        ("nginx #1", Run(6, 6, frozenset({"nginx #1"}))),
    ]
