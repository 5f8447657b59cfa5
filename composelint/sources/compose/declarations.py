"""Declarations-only compose files: a file that declares networks and no services starts nothing by
itself and is only ever merged with another (runtipi runs each app as `-f apps/<app>/docker-compose.yml
-f apps/docker-compose.common.yml`, the common file declaring the network every app joins)."""

from __future__ import annotations

from composelint.sources.compose.yaml_tree import YMap, YScalar, read_yaml
from composelint.sources.files import UnreadableFile, read_text


def declared_networks(path: str, root: str) -> tuple[str, ...]:
    """The keys of the networks `path` declares when it declares networks and no services: every
    YAML document a mapping whose `services` is absent or empty.  () for any other file, and for a
    file that cannot be read inside `root` (symlinks resolved) or parsed within the YAML limits:
    linted as a project of its own, it reports why."""
    try:
        text = read_text(path, root)
    except UnreadableFile:
        return ()
    if "networks" not in text:
        return ()  # most compose files: no parse
    documents = read_yaml(path, text).roots
    if not documents or not all(isinstance(doc, YMap) and _no_services(doc) for doc in documents):
        return ()
    return tuple(
        dict.fromkeys(
            key.text
            for doc in documents
            if isinstance(doc, YMap) and isinstance(networks := doc.get("networks"), YMap)
            for key, _ in networks.items
        )
    )


def _no_services(document: YMap) -> bool:
    """No `services:`, or one left empty (null, `{}`)."""
    services = document.get("services")
    return (
        services is None
        or (isinstance(services, YMap) and not services.items)
        or (isinstance(services, YScalar) and services.value is None)
    )
