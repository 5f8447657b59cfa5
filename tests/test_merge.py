"""Compose's merge rules on position-keeping trees (docs/semantics.md 5.3)."""

from __future__ import annotations

import textwrap

from composelint.sources.compose.merge import MergeNotes, merge
from composelint.sources.compose.yaml_tree import YMap, YScalar, YSeq, read_yaml


def tree(path: str, text: str):
    return read_yaml(path, textwrap.dedent(text)).roots[0]


def plain(node):
    if isinstance(node, YMap):
        return {k.text: plain(v) for k, v in node.items}
    if isinstance(node, YSeq):
        return [plain(i) for i in node.items]
    return node.value if isinstance(node, YScalar) else node


def merged(base: str, override: str, notes: MergeNotes | None = None):
    return merge(tree("base.yaml", base), tree("override.yaml", override), (), notes or MergeNotes())


def service(result, name="web"):
    return result.get("services").get(name)


def test_mappings_merge_scalars_replace_and_positions_stay():
    result = merged(
        """\
        services:
          web:
            image: nginx:1.26
            privileged: false
        """,
        """\
        services:
          web:
            image: nginx:1.27
            pid: host
        """,
    )
    web = service(result)
    assert plain(web) == {"image": "nginx:1.27", "privileged": False, "pid": "host"}
    assert web.get("image").span.path == "override.yaml"
    assert web.get("privileged").span.path == "base.yaml"
    assert web.key_node("image").span.path == "base.yaml"  # the key stays where it was first written


def test_ports_append_with_host_ip_in_the_unique_key():
    notes = MergeNotes()
    result = merged(
        """\
        services:
          web:
            ports: ["8080:80", "9000:9000"]
        """,
        """\
        services:
          web:
            ports: ["127.0.0.1:8080:80", "9000:9000/tcp"]
        """,
        notes,
    )
    ports = service(result).get("ports")
    assert [p.text for p in ports.items] == ["8080:80", "9000:9000/tcp", "127.0.0.1:8080:80"]
    narrowing = ports.items[2]
    assert notes.kept_beside[id(narrowing)] == ports.items[0].span


def test_long_and_short_port_syntax_share_the_unique_key():
    result = merged(
        """\
        services:
          web:
            ports: ["8080:80"]
        """,
        """\
        services:
          web:
            ports:
              - target: 80
                published: "8080"
        """,
    )
    assert len(service(result).get("ports").items) == 1


def test_volumes_and_devices_are_keyed_by_target():
    result = merged(
        """\
        services:
          web:
            volumes: ["./a:/data", "/etc:/host/etc:ro"]
            devices: ["/dev/sda:/dev/xvda"]
        """,
        """\
        services:
          web:
            volumes: ["./b:/data"]
            devices: ["/dev/sdb:/dev/xvda"]
        """,
    )
    assert plain(service(result).get("volumes")) == ["./b:/data", "/etc:/host/etc:ro"]
    assert plain(service(result).get("devices")) == ["/dev/sdb:/dev/xvda"]


def test_value_lists_are_deduplicated_and_list_or_map_fields_mixed():
    result = merged(
        """\
        services:
          web:
            cap_add: [NET_ADMIN]
            sysctls:
              net.ipv4.ip_forward: 0
        """,
        """\
        services:
          web:
            cap_add: [NET_ADMIN, SYS_TIME]
            sysctls: ["net.ipv4.ip_forward=1"]
        """,
    )
    assert plain(service(result).get("cap_add")) == ["NET_ADMIN", "SYS_TIME"]
    assert plain(service(result).get("sysctls")) == ["net.ipv4.ip_forward=1"]


def test_networks_list_and_map_merge_by_name_and_build_string_becomes_context():
    result = merged(
        """\
        services:
          web:
            networks: [front]
            build: ./app
        """,
        """\
        services:
          web:
            networks:
              back:
                aliases: [api]
            build:
              network: host
        """,
    )
    assert list(plain(service(result).get("networks"))) == ["front", "back"]
    assert plain(service(result).get("build")) == {"context": "./app", "network": "host"}


def test_command_is_replaced_not_appended():
    result = merged("services:\n  web:\n    command: [a, b]\n", "services:\n  web:\n    command: [c]\n")
    assert plain(service(result).get("command")) == ["c"]


def test_reset_removes_and_override_replaces():
    result = merged(
        """\
        services:
          web:
            privileged: true
            ports: ["8080:80"]
            cap_add: [SYS_ADMIN]
        """,
        """\
        services:
          web:
            privileged: !reset null
            ports: !override ["127.0.0.1:8080:80"]
            cap_add: !reset []
        """,
    )
    assert plain(service(result)) == {"ports": ["127.0.0.1:8080:80"]}
