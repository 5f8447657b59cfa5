"""The compose front end: what each service key becomes in the model."""

from __future__ import annotations

import textwrap

from composelint.model import Span
from composelint.sources.compose.project import load_project
from composelint.sources.compose.reader import parse_volume_short

SPAN = Span("compose.yaml", 1, 1, 1, 2)


def load(text: str):
    return load_project(["compose.yaml"], texts={"compose.yaml": textwrap.dedent(text)})


def test_service_fields_and_positions():
    project = load("""\
        services:
          web:
            image: nginx:1.27
            network_mode: "service:db"
            privileged: "true"
            pid: host
            cap_add: [NET_ADMIN]
            dns: 1.1.1.1
            sysctls:
              - net.ipv4.ip_forward=1
            extra_hosts:
              gateway: host-gateway
            build:
              context: .
              network: host
          db:
            image: postgres:17
        """)
    web = project.workload("web")
    assert web.image.value.written == "nginx:1.27" and (web.image.span.line, web.image.span.column) == (3, 12)
    assert web.network_mode.value == "service:db"
    assert web.privileged.value is True
    assert web.pid.value == "host"
    assert [c.value.written for c in web.cap_add] == ["NET_ADMIN"]
    assert [d.value for d in web.dns] == ["1.1.1.1"]
    assert [(s.value.name, s.value.value) for s in web.sysctls] == [("net.ipv4.ip_forward", "1")]
    assert [(h.value.name, h.value.address) for h in web.extra_hosts] == [("gateway", "host-gateway")]
    assert web.build_network.value == "host"
    assert web.networks == []  # network_mode: no implicit default network
    assert [a.name for a in project.workload("db").networks] == ["default"]
    assert project.networks["default"].implicit


def test_networks_list_map_and_top_level_definitions():
    project = load("""\
        services:
          a:
            image: alpine:3.20
            networks: [front, back]
          b:
            image: alpine:3.20
            networks:
              back:
                aliases: [db]
        networks:
          front:
            driver: bridge
            driver_opts:
              com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"
          back:
            internal: true
          legacy:
            external:
              name: host
        """)
    assert [a.name for a in project.workload("a").networks] == ["front", "back"]
    assert [a.name for a in project.workload("b").networks] == ["back"]
    front = project.networks["front"]
    assert front.driver_opts["com.docker.network.bridge.host_binding_ipv4"].value == "127.0.0.1"
    assert project.networks["back"].internal.value is True
    legacy = project.networks["legacy"]
    assert legacy.external.value is True and legacy.effective_name == "host"


def test_ports_short_long_and_errors():
    project = load("""\
        services:
          web:
            image: nginx:1.27
            ports:
              - 8080:80
              - "127.0.0.1:8443:443/tcp"
              - 9000
              - target: 53
                published: "5353"
                protocol: udp
                host_ip: 127.0.0.1
              - "99999:80"
        """)
    web = project.workload("web")
    assert [(p.host_ip, p.host_start, p.container_start, p.protocol, p.syntax) for p in web.ports] == [
        (None, 8080, 80, "tcp", "short"),
        ("127.0.0.1", 8443, 443, "tcp", "short"),
        (None, None, 9000, "tcp", "short"),
        ("127.0.0.1", 5353, 53, "udp", "long"),
    ]
    assert web.ports[0].plain_scalar and not web.ports[1].plain_scalar
    assert [e.raw for e in web.port_errors] == ["99999:80"]


def test_port_from_unset_variable_keeps_written_text_without_cl005():
    project = load("""\
        services:
          web:
            image: nginx:1.27
            ports:
              - "${BIND_IP}:8080:80"
              - "${PORT}"
        """)
    web = project.workload("web")
    assert [(p.raw, p.host_ip, p.from_variable) for p in web.ports] == [("${BIND_IP}:8080:80", None, True)]
    assert web.port_errors == []  # `${PORT}` unset: no invalid-port noise
    # Compose refuses the empty entry, so whoever deploys sets it: no CL005; CL202 names `${BIND_IP}`
    assert [d.code for d in project.diagnostics if d.code != "CL002"] == []


def test_volumes_short_and_long():
    project = load("""\
        services:
          app:
            image: alpine:3.20
            volumes:
              - /var/run/docker.sock:/var/run/docker.sock:ro
              - docker.sock:/var/run/docker.sock
              - ./data:/data:rshared
              - /cache
              - type: bind
                source: /etc
                target: /host/etc
                read_only: true
                bind:
                  propagation: shared
        """)
    mounts = project.workload("app").mounts
    assert [(m.kind, m.source, m.target, m.read_only, m.propagation) for m in mounts] == [
        ("bind", "/var/run/docker.sock", "/var/run/docker.sock", True, None),
        ("volume", "docker.sock", "/var/run/docker.sock", False, None),
        ("bind", "./data", "/data", False, "rshared"),
        ("volume", None, "/cache", False, None),
        ("bind", "/etc", "/host/etc", True, "shared"),
    ]


def test_windows_and_home_volume_sources():
    assert parse_volume_short("C:\\data:/data", SPAN).source == "C:\\data"
    assert parse_volume_short("C:\\data:/data", SPAN).kind == "bind"
    assert parse_volume_short("~/.ssh:/root/.ssh:ro", SPAN).read_only
    assert parse_volume_short("data:/data:nocopy", SPAN).kind == "volume"


def test_devices_short_and_long():
    project = load("""\
        services:
          app:
            image: alpine:3.20
            devices:
              - /dev/ttyUSB0:/dev/ttyUSB0:rwm
              - source: /dev/sda
                target: /dev/xvda
        """)
    assert [d.value.path for d in project.workload("app").devices] == ["/dev/ttyUSB0", "/dev/sda"]


def test_non_mapping_documents_and_services_are_tolerated():
    assert load("- just\n- a list\n").workloads == []
    assert load("services:\n  web:\n").workload("web").image is None
    assert load("services: [a, b]\n").workloads == []


def test_malformed_port_values_are_reported_once():
    project = load("""\
        services:
          web:
            image: nginx:1.27
            ports:
              - target: 80
                published: [8080]
              - "${"
        """)
    web = project.workload("web")
    assert web.ports == []
    assert [e.reason for e in web.port_errors] == ["`published` must be a string or a number"]
    assert [d.code for d in project.diagnostics if d.code != "CL002"] == ["CL004"]


def test_schema_messages_name_the_document_and_the_deepest_branch():
    from composelint.sources.compose.schema import validate
    from composelint.sources.compose.yaml_tree import read_yaml

    [root] = read_yaml("compose.yaml", "- a\n- b\n").roots
    assert [d.message for d in validate(root)] == ["The document must be a mapping, not a list"]
    [root] = read_yaml(
        "compose.yaml",
        "services:\n  web:\n    image: x\n    ports:\n      - target: 80\n        published: [8080]\n",
    ).roots
    [diagnostic] = validate(root)
    assert (
        diagnostic.message == "`services.web.ports[0].published` must be a string or an integer, not a list"
    )
    assert (diagnostic.span.line, diagnostic.span.column) == (6, 20)
