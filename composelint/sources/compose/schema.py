"""Compose Specification schema validation (CL002), each file as written.

The vendored schema (schemas/compose-spec.json) is checked against the file's own YAML tree.
jsonschema-rs (compiled) gives the verdict in microseconds where it is installed; a document it
does not accept (about 1% of real files), or every document where it is not installed, goes
through jsonschema, whose errors point at the offending key or value instead of the document
root.  An unknown key gets the closest valid key as a suggestion.

Coolify, a deploying tool, reads a few keys of its own and strips them before Compose sees the
file; in a Coolify template (its magic variables `SERVICE_FQDN_*`, `SERVICE_PASSWORD_*`... mark
one) they are not schema errors.  Anywhere else they are: Compose would refuse them.
"""

from __future__ import annotations

import json
from functools import lru_cache

from composelint.model import Diagnostic, Span
from composelint.patterns import lazy_pattern
from composelint.sources.compose.yaml_tree import YMap, YNode, YSeq

_PYTHON_TYPES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
    dict: "a mapping",
    list: "a list",
}
_SCHEMA_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
    "object": "a mapping",
    "array": "a list",
}


COOLIFY_TEMPLATE = lazy_pattern(r"\bSERVICE_(FQDN|URL|PASSWORD|PASSWORD64|USER|BASE64|REALBASE64|HEX)_\w")


def _coolify_keys(path: tuple) -> frozenset[str]:
    """Coolify's own keys at `path`: a service's health-check exclusion, and the content, kind and
    mode of a file it creates at a bind mount's source."""
    if len(path) == 2 and path[0] == "services":
        return frozenset({"exclude_from_hc"})
    if len(path) == 4 and path[0] == "services" and path[2] == "volumes":
        return frozenset({"content", "is_directory", "isDirectory", "mode"})
    return frozenset()


@lru_cache(maxsize=1)
def _fast_validator():
    """jsonschema-rs, when a wheel was installed for this platform (pyproject.toml), else None."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.Draft7Validator(json.loads(_schema_text()), validate_formats=False)


def prepare_validator() -> None:
    """Build the fast validator now: worker processes forked afterwards share it (about 13 ms each)."""
    _fast_validator()


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft7Validator

    schema = json.loads(_schema_text())
    return Draft7Validator(schema)


def _schema_text() -> str:
    # composelint/data/compose-spec.json links to the vendored schemas/compose-spec.json.  pkgutil
    # reads package data without importlib.resources (zipfile, tempfile: 5 ms of start-up).
    import pkgutil

    data = pkgutil.get_data("composelint", "data/compose-spec.json")
    assert data is not None  # a regular package always has a loader that reads its files
    return data.decode("utf-8")


def _plain(node: YNode):
    """The node as plain Python data, as Compose validates it."""
    if isinstance(node, YMap):
        # Compose removes a `!reset` key before validating what is left
        return {key.text: _plain(value) for key, value in node.items if value.tag != "!reset"}
    if isinstance(node, YSeq):
        return [_plain(item) for item in node.items]
    return node.value


class _Located:
    """The span of every value and key of a document, by path (for the messages of a failure)."""

    def __init__(self, root: YNode):
        self.values: dict[tuple, Span] = {}
        self.keys: dict[tuple, Span] = {}
        self.data = _plain(root)
        self._record(root, ())

    def _record(self, node: YNode, path: tuple) -> None:
        self.values[path] = node.span
        if isinstance(node, YMap):
            for key, value in node.items:
                if value.tag != "!reset":
                    self.keys[path + (key.text,)] = key.span
                    self._record(value, path + (key.text,))
        elif isinstance(node, YSeq):
            for index, item in enumerate(node.items):
                self._record(item, path + (index,))


def validate(root: YNode, coolify: bool = False) -> list[Diagnostic]:
    """Schema errors of one YAML document; `coolify`: the file is a Coolify template."""
    fast = _fast_validator()
    if fast is not None:
        try:
            if fast.is_valid(_plain(root)):
                return []
        except ValueError:  # a value it cannot take (a date, say): jsonschema decides
            pass
    located = _Located(root)
    diagnostics = []
    for error in _validator().iter_errors(located.data):
        diagnostics.extend(_diagnose(error, located, coolify))
    unique = {(d.span, d.message): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: (d.span.line, d.span.column, d.message))


def _best(error):
    """For oneOf/anyOf failures, the alternative error that explains most."""
    from jsonschema.exceptions import best_match

    while error.context:
        # An alternative that got further into the value (the mapping branch of
        # a string-or-mapping field) explains more than a type mismatch at its root.
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            error = deepest
            continue
        # An alternative that accepted the value's type (the list branch of a list-or-mapping
        # field, failing on a duplicate entry) explains more than the others' type mismatches.
        accepted = [e for e in error.context if e.validator != "type" and not e.path]
        if accepted and len(accepted) < len(error.context):
            error = accepted[0]
            continue
        deeper = best_match(error.context)
        if deeper is None or len(deeper.absolute_path) < len(error.absolute_path):
            break
        # When alternatives only disagree about the type, name all the types.
        types = [e.validator_value for e in error.context if e.validator == "type" and not e.path]
        if deeper.validator == "type" and not deeper.path and types:
            return error, types
        error = deeper
    return error, None


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _duplicate_entry(items: list, path: tuple, where: str, located: _Located, span: Span) -> Diagnostic:
    """The second occurrence of a repeated list entry; a `KEY=VALUE` entry is shown by its key
    (an environment value may be a secret)."""
    seen: list = []
    for index, item in enumerate(items):
        if item in seen:
            text = str(item)
            shown = text.split("=", 1)[0] + "=..." if "=" in text else text
            first = located.values.get(path + (seen.index(item),))
            return Diagnostic(
                "CL002",
                f"{where} lists `{shown}` twice: Compose rejects duplicate entries",
                located.values.get(path + (index,), span),
                (first,) if first else (),
            )
        seen.append(item)
    return Diagnostic("CL002", f"{where} lists the same entry more than once", span)


def _diagnose(error, located: _Located, coolify: bool) -> list[Diagnostic]:
    error, alternatives = _best(error)
    path = tuple(error.absolute_path)
    span = located.values.get(path) or located.values[()]
    where = f"`{_dotted(path)}`" if path else "The document"
    if error.validator == "additionalProperties":
        import difflib  # here: most runs meet no invalid document

        allowed = list(error.schema.get("properties", {}))
        extras = (
            [k for k in error.instance if k not in allowed and not k.startswith("x-")]
            if isinstance(error.instance, dict)
            else []
        )
        if coolify and extras:
            extras = [k for k in extras if k not in _coolify_keys(path)]
            if not extras:
                return []
        found = []
        for key in extras or [None]:
            if key is None:
                found.append(Diagnostic("CL002", f"{where}: {error.message}", span))
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            owner = f" in {where}" if path else " at the top level"
            found.append(
                Diagnostic(
                    "CL002", f"Unknown key `{key}`{owner}{hint}", located.keys.get(path + (key,), span)
                )
            )
        return found
    actual = _PYTHON_TYPES.get(type(error.instance), type(error.instance).__name__)
    if error.validator == "type" or alternatives:
        expected = alternatives or error.validator_value
        flat = (
            [t for group in expected for t in ([group] if isinstance(group, str) else group)]
            if not isinstance(expected, str)
            else [expected]
        )
        names = " or ".join(_SCHEMA_TYPES.get(t, t) for t in dict.fromkeys(flat))
        return [Diagnostic("CL002", f"{where} must be {names}, not {actual}", span)]
    if error.validator == "enum":
        options = ", ".join(f"`{v}`" for v in error.validator_value)
        return [Diagnostic("CL002", f"{where} is `{error.instance}`; expected one of {options}", span)]
    if error.validator == "uniqueItems":
        return [_duplicate_entry(error.instance, path, where, located, span)]
    if error.validator == "required":
        return [Diagnostic("CL002", f"{where}: {error.message}", span)]
    return [Diagnostic("CL002", f"{where}: {error.message}", span)]
