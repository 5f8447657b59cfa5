"""Merging compose trees the way Compose does (docs/semantics.md 5.3).

Works on the position-keeping YAML trees, so every merged value keeps the
span of the file and line where it was written.  Mappings merge key by key,
sequences append and then keep one entry per unique key (a later entry
replaces an earlier one in place), scalars are replaced.  `!reset` removes a
value, `!override` replaces it whole.
"""

from __future__ import annotations

from composelint.model import PortBinding, Span
from composelint.records import field, record
from composelint.sources.compose.yaml_tree import YMap, YNode, YScalar, YSeq
from composelint.sources.ports import parse_short

RESET, OVERRIDE = "!reset", "!override"
_REPLACED = {"command", "entrypoint"}
_LIST_OR_MAP = {
    "environment",
    "labels",
    "annotations",
    "sysctls",
    "extra_hosts",
    "dns",
    "dns_opt",
    "dns_search",
    "tmpfs",
    "env_file",
    "label_file",
}
_BY_VALUE = {
    "expose",
    "dns",
    "dns_search",
    "dns_opt",
    "cap_add",
    "cap_drop",
    "links",
    "external_links",
    "security_opt",
    "tmpfs",
    "profiles",
    "env_file",
    "configs",
    "secrets",
}
_BY_KEY = {"environment", "labels", "annotations", "sysctls", "extra_hosts"}
_BY_TARGET = {"volumes", "devices"}


@record
class MergeNotes:
    """What merging learnt that the tree cannot show.

    `kept_beside` maps a port entry (by node id) to the span of an earlier
    all-interfaces binding of the same port that Compose keeps next to it.
    """

    kept_beside: dict[int, Span] = field(default_factory=dict)


def merge(base: YNode | None, override: YNode, path: tuple[str, ...], notes: MergeNotes) -> YNode | None:
    """`override` merged onto `base`; None when `override` resets the value."""
    if override.tag == RESET:
        return None
    if override.tag == OVERRIDE or base is None:
        return override
    field_name = path[-1] if path else ""
    in_service = len(path) == 3 and path[0] == "services"
    if (in_service and field_name in _REPLACED) or path[-2:] == ("healthcheck", "test"):
        return override
    if in_service and field_name == "build":
        return _merge_maps(_as_build(base), _as_build(override), path, notes)
    if in_service and field_name == "networks":
        return _merge_maps(_as_map(base), _as_map(override), path, notes)
    if in_service and field_name in _LIST_OR_MAP and (isinstance(base, YSeq) or isinstance(override, YSeq)):
        return _merge_sequences(_as_list(base), _as_list(override), field_name, notes)
    if isinstance(base, YMap) and isinstance(override, YMap):
        return _merge_maps(base, override, path, notes)
    if isinstance(base, YSeq) and isinstance(override, YSeq):
        return _merge_sequences(base, override, field_name if in_service else "", notes)
    return override


def _merge_maps(base: YMap, override: YMap, path: tuple[str, ...], notes: MergeNotes) -> YMap:
    items = list(base.items)
    for key, value in override.items:
        position = next((i for i, (k, _) in enumerate(items) if k.text == key.text), None)
        merged = merge(items[position][1] if position is not None else None, value, path + (key.text,), notes)
        if position is None:
            if merged is not None:
                items.append((key, merged))
        elif merged is None:
            del items[position]
        else:
            items[position] = (items[position][0], merged)  # the key stays where it was first written
    return YMap(items, base.tag, base.span)


def _merge_sequences(base: YSeq, override: YSeq, field_name: str, notes: MergeNotes) -> YSeq:
    unique = _UNIQUE_KEYS.get(field_name)
    if unique is None:
        return YSeq(base.items + override.items, base.tag, base.span)
    items: list[YNode] = []
    keys: list[object] = []
    for item in base.items + override.items:
        key = unique(item)
        if key is not None and key in keys:
            items[keys.index(key)] = item
        else:
            items.append(item)
            keys.append(key)
    if field_name == "ports":
        _note_narrowing(base.items, override.items, items, notes)
    return YSeq(items, base.tag, base.span)


def _note_narrowing(base: list[YNode], override: list[YNode], merged: list[YNode], notes: MergeNotes) -> None:
    """An override port with a host IP, beside a surviving base port without one."""
    survivors = [item for item in base if any(item is m for m in merged)]
    for item in override:
        ip, rest = _port_parts(item)
        if ip in ("", "0.0.0.0") or rest is None:
            continue
        for old in survivors:
            old_ip, old_rest = _port_parts(old)
            if old_rest == rest and old_ip in ("", "0.0.0.0"):
                notes.kept_beside[id(item)] = old.span
                break


def _text(node: YNode) -> str | None:
    return str(node.value) if isinstance(node, YScalar) and node.value is not None else None


def _port_parts(node: YNode) -> tuple[str, str | None]:
    """(host IP, "published:target/protocol") of a port entry, for Compose's unique key."""
    if isinstance(node, YMap):
        fields = {k.text: _text(v) for k, v in node.items}
        protocol = (fields.get("protocol") or "tcp").lower()
        return fields.get(
            "host_ip"
        ) or "", f"{fields.get('published') or ''}:{fields.get('target')}/{protocol}"
    text = _text(node)
    if text is None:
        return "", None
    port = parse_short(text, node.span)
    if not isinstance(port, PortBinding):
        return "", text
    published = (
        ""
        if port.host_start is None
        else (
            str(port.host_start) if port.host_end == port.host_start else f"{port.host_start}-{port.host_end}"
        )
    )
    target = (
        str(port.container_start)
        if port.container_end == port.container_start
        else f"{port.container_start}-{port.container_end}"
    )
    return port.host_ip or "", f"{published}:{target}/{port.protocol}"


def _port_key(node: YNode) -> str | None:
    ip, rest = _port_parts(node)
    return None if rest is None else f"{ip or '0.0.0.0'}:{rest}"


def _target_key(node: YNode) -> str | None:
    if isinstance(node, YMap):
        target = node.get("target")
        return _text(target) if target is not None else None
    text = _text(node)
    if text is None:
        return None
    parts = text.split(":")
    return parts[1] if len(parts) >= 2 else parts[0]


def _assignment_key(node: YNode) -> str | None:
    text = _text(node)
    return None if text is None else text.split("=", 1)[0].split(":", 1)[0].strip()


_UNIQUE_KEYS = {
    "ports": _port_key,
    **dict.fromkeys(_BY_VALUE, _text),
    **dict.fromkeys(_BY_KEY, _assignment_key),
    **dict.fromkeys(_BY_TARGET, _target_key),
}


def _as_list(node: YNode) -> YSeq:
    """A list-or-map field as a list of `key=value` scalars."""
    if isinstance(node, YSeq):
        return node
    if isinstance(node, YMap):
        items: list[YNode] = []
        for key, value in node.items:
            text = key.text if _text(value) is None else f"{key.text}={_text(value)}"
            items.append(
                YScalar(
                    text,
                    "tag:yaml.org,2002:str",
                    Span(
                        key.span.path,
                        key.span.line,
                        key.span.column,
                        value.span.end_line,
                        value.span.end_column,
                    ),
                    False,
                )
            )
        return YSeq(items, node.tag, node.span)
    return YSeq([node], node.tag, node.span)


def _as_map(node: YNode) -> YMap:
    """Service `networks` as a mapping (the list form names networks without options)."""
    if isinstance(node, YSeq):
        null = "tag:yaml.org,2002:null"
        return YMap(
            [(item, YScalar("", null, item.span, True)) for item in node.items if isinstance(item, YScalar)],
            node.tag,
            node.span,
        )
    return node if isinstance(node, YMap) else YMap([], node.tag, node.span)


def _as_build(node: YNode) -> YMap:
    if isinstance(node, YScalar):
        return YMap(
            [(YScalar("context", "tag:yaml.org,2002:str", node.span, True), node)], node.tag, node.span
        )
    return node if isinstance(node, YMap) else YMap([], node.tag, node.span)
