"""Dev container configurations (`.devcontainer/devcontainer.json`, `.devcontainer/*/devcontainer.json`,
`.devcontainer.json`).

The file is JSON with comments and trailing commas (JSONC), read with
tree-sitter-json (json-five for what it does not read whole: JSON5 forms,
errors), which keep the line and column of every value.  What the Dev
Containers CLI does with it decides what is read:

* An `image` or `build` configuration is started with `docker run`: `appPort`
  entries are published (`-p 127.0.0.1:P:P` for a number, the string as
  written otherwise), `workspaceMount` and `mounts` become `--mount` (a
  string as written, an object as `type=..,src=..,dst=..`),
  `containerUser` is `-u`, then come `runArgs` (docker run grammar, each
  array element one word), `privileged`, `capAdd` and `securityOpt` (`init`
  adds `--init`, which no rule reads).  So every existing rule reads them
  through the docker CLI grammar of sources/docker_cli/reader.py, and a finding
  lands on the JSON value.
  `forwardPorts` are forwarded by the editor, not published: not read.
* A `dockerComposeFile` configuration lints that compose project (files
  relative to the devcontainer.json), and the service named by `service` is
  the dev container: `privileged`, `capAdd`, `securityOpt` and `mounts` are
  added to it, as the CLI's generated override does.  The compose
  files count as included by the devcontainer.json, so they are not linted a
  second time on their own.

A feature (`features`) that declares a property of the container it is
installed in makes that setting the configuration's documented need
(`Workload.explained`, as a Markdown section's prose does): the
docker-in-docker feature declares `"privileged": true`, so a `--privileged`
beside it changes nothing and CL301 leaves it; docker-outside-of-docker
mounts the host's Docker socket and turns SELinux labelling off, so the same
socket or `label=disable` written beside it changes nothing either (CL401,
CL312) (`FEATURE_SETTINGS`).  What a feature adds is not itself reported:
handing the developer's own daemon to their dev container is what
docker-outside-of-docker is chosen for (docs/precision.md).

`${localEnv:NAME}` (and `${env:NAME}`) are only known at run time; the
other `${...}` variables (`${localWorkspaceFolder}`, `${devcontainerId}`,
...) stay as written.
"""

from __future__ import annotations

import functools
import json
import os
import re
from typing import Any, NamedTuple

from composelint.limits import MAX_DEVCONTAINER_BYTES
from composelint.model import Diagnostic, Project, SourceFile, Span
from composelint.patterns import lazy_pattern
from composelint.records import field, record, replace
from composelint.settings import run_flags_by_key
from composelint.sources.directives import scan_directives
from composelint.sources.docker_cli.reader import read_invocations
from composelint.sources.docker_cli.words import UNKNOWN, Invocation, Word
from composelint.sources.files import too_large
from composelint.sources.lines import character_column, line_column, line_starts
from composelint.values import number_past_bound

_INT_TOO_LONG = lazy_pattern(r"(?<![0-9])[0-9]{4301,}")
_LOCAL_ENV = lazy_pattern(r"\$\{(?:localEnv|env):[^}]*\}")
# Properties the Dev Containers CLI passes as `docker run` flags after `runArgs`, in its order; the
# flag of each comes from the table of Docker settings (composelint/settings.py).
AFTER_RUN_ARGS = ("privileged", "capAdd", "securityOpt")


# Dev container features that set a property of the container they are installed in (their
# `devcontainer-feature.json`, https://github.com/devcontainers/features/tree/main/src), by id, as
# `Workload.explained` entries: docker-in-docker runs its own daemon and declares
# `"privileged": true`; docker-outside-of-docker (legacy id docker-from-docker) bind-mounts the
# host's `/var/run/docker.sock` at `/var/run/docker-host.sock` and declares `label=disable`.
_HOST_DOCKER = frozenset({"volumes=/var/run/docker.sock", "security_opt=label"})
FEATURE_SETTINGS = {
    "docker-in-docker": frozenset({"privileged"}),
    "docker-outside-of-docker": _HOST_DOCKER,
    "docker-from-docker": _HOST_DOCKER,
}
# A feature of the Dev Containers project: its OCI reference or its legacy short id.
_FEATURE_ID = lazy_pattern(
    r"(?:ghcr\.io/devcontainers/features/)?([a-z0-9-]+)(?::[\w.-]+|@sha256:[0-9a-f]+)?"
)


# devcontainer.json property -> the `docker run` flag of its setting.
DEVCONTAINER_FLAGS = {key: "--" + flag.name for key, flag in run_flags_by_key("devcontainer").items()}


@record
class JsonNode:
    """A value of the document where it is written (1-based line and column, end exclusive).
    `kind`: object, array, string, integer (digits only), boolean or other (null, a signed or
    decimal number); `value`: a string's characters, an integer, a boolean; `items`: an array's
    values or an object's (key, value) pairs; `raw`: a string as written, quotes included."""

    kind: str
    line: int
    column: int
    end_line: int
    end_column: int
    value: Any = None
    raw: str = ""
    items: list = field(default_factory=list)


class JsonPair(NamedTuple):
    key: JsonNode
    value: JsonNode


class JsonDocument:
    """The parsed file.  tree-sitter-json reads it (comments included) once its trailing commas
    are blanked: a C parser, forty times faster than json-five, which reads anything else (JSON5's
    single quotes and bare keys) and words the errors, so a file reads as it always has."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.root = _tree_sitter_document(text) or _json_five_document(text)

    def span(self, node: JsonNode) -> Span:
        return Span(self.path, node.line, node.column, node.end_line, node.end_column)

    def member(self, name: str) -> JsonPair | None:
        """The key and value of a top-level key (the last one when written twice), or None."""
        found = None
        for pair in self.root.items if self.root.kind == "object" else []:
            if pair.key.value == name:
                found = pair
        return found


# A string or a comment (either unterminated: to the end), a comma, a closing bracket, anything
# else: enough to find trailing commas in linear time.
_JSONC_TOKEN = lazy_pattern(
    r'"(?:[^"\\\n]|\\.)*"?|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?|[,\]}]|[^\s,\]}"/]+|/'
)


def _without_trailing_commas(text: str) -> str:
    """`text` with each comma that only comments and spaces separate from `]` or `}` blanked."""
    blanked = list(text)
    comma = -1
    for token in _JSONC_TOKEN.finditer(text):
        found = token.group()
        if found.startswith(("//", "/*")):
            continue  # comments may stand between the comma and the bracket
        if found in ("]", "}") and comma >= 0:
            blanked[comma] = " "
        comma = token.start() if found == "," else -1
    return "".join(blanked)


@functools.cache
def _json_parser():
    import tree_sitter
    import tree_sitter_json

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_json.language()))


def _tree_sitter_document(text: str) -> JsonNode | None:
    """The document as tree-sitter-json reads it, or None when it does not read it whole (an
    error, a JSON5 form, a lone carriage return, more than one value)."""
    if "\r" in text.replace("\r\n", "") or "\u2028" in text or "\u2029" in text:
        return None  # line breaks that json-five counts, or refuses in a string
    encoded = _without_trailing_commas(text).encode("utf-8")
    tree = _json_parser().parse(encoded)
    values = [node for node in tree.root_node.named_children if node.type != "comment"]
    if tree.root_node.has_error or len(values) != 1:
        return None
    character = character_column(text, encoded)

    def column(point) -> int:
        return character(point) + 1

    def convert(node) -> JsonNode:
        start, end = node.start_point, node.end_point
        converted = JsonNode("other", start.row + 1, column(start), end.row + 1, column(end))
        if node.type == "string":
            converted.kind, converted.raw = "string", node.text.decode("utf-8")
            converted.value = json.loads(converted.raw)
        elif node.type == "number" and node.text.isdigit():
            converted.kind, converted.value = "integer", int(node.text)
        elif node.type in ("true", "false"):
            converted.kind, converted.value = "boolean", node.type == "true"
        elif node.type == "array":
            converted.kind = "array"
            converted.items = [convert(child) for child in node.named_children if child.type != "comment"]
        elif node.type == "object":
            converted.kind = "object"
            converted.items = [
                JsonPair(convert(pair.child_by_field_name("key")), convert(pair.child_by_field_name("value")))
                for pair in node.named_children
                if pair.type == "pair"
            ]
        return converted

    try:
        return convert(values[0])
    except (ValueError, RecursionError):  # an escape json.loads refuses, a huge integer, deep nesting
        return None


def _json_five_document(text: str) -> JsonNode:
    """The document as json-five reads it (it raises on a broken one)."""
    from json5.loader import ModelLoader, loads
    from json5.model import BooleanLiteral, Identifier, Integer, JSONArray, JSONObject

    def convert(node) -> JsonNode:
        converted = JsonNode(
            "other", node.lineno, node.col_offset + 1, node.end_lineno, node.end_col_offset + 1
        )
        if hasattr(node, "characters"):
            converted.kind, converted.value, converted.raw = "string", node.characters, node.raw_value
        elif isinstance(node, Identifier):  # a bare key
            converted.kind, converted.value, converted.raw = "string", node.name, node.name
        elif isinstance(node, Integer):
            converted.kind, converted.value = "integer", node.value
        elif isinstance(node, BooleanLiteral):
            converted.kind, converted.value = "boolean", node.value
        elif isinstance(node, JSONArray):
            converted.kind, converted.items = "array", [convert(value) for value in node.values]
        elif isinstance(node, JSONObject):
            converted.kind = "object"
            converted.items = [
                JsonPair(convert(pair.key), convert(pair.value)) for pair in node.key_value_pairs
            ]
        return converted

    return convert(loads(text, loader=ModelLoader()).value)


def _string(node: JsonNode | None) -> str | None:
    return node.value if node is not None and node.kind == "string" else None


def _elements(node: JsonNode) -> list[JsonNode]:
    """An array's values, or the value itself."""
    return node.items if node.kind == "array" else [node]


def _strings(node: JsonNode | None) -> list[JsonNode]:
    """The string nodes of a string or of an array of strings."""
    if node is None:
        return []
    if node.kind == "string":
        return [node]
    return [value for value in node.items if value.kind == "string"] if node.kind == "array" else []


def _text(value: str) -> str:
    return _LOCAL_ENV.sub(UNKNOWN, value)


class DevcontainerReader:
    def __init__(self, document: JsonDocument, text: str):
        self.document = document
        self.text = text
        self.lines = text.splitlines()

    def word(self, node: JsonNode, text: str | None = None) -> Word:
        span = self.document.span(node)
        value = _text(text if text is not None else _string(node) or "")
        return Word(value, span, self.written(span), "unknown" if UNKNOWN in value else "definite")

    def written(self, span: Span) -> str:
        """The text of a span as written, on one line (an object over several lines is joined)."""
        lines = self.lines[span.line - 1 : span.end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            return lines[0][span.column - 1 : span.end_column - 1]
        parts = [lines[0][span.column - 1 :], *lines[1:-1], lines[-1][: span.end_column - 1]]
        return " ".join(part.strip() for part in parts if part.strip())

    def key_word(self, pair: JsonPair, flag: str) -> Word:
        return Word(flag, self.document.span(pair.key), pair.key.raw)

    def run_words(self) -> list[Word]:
        """The `docker run` words the CLI builds, in its order, without the image."""
        document = self.document
        words: list[Word] = []
        pair = document.member("appPort")
        if pair is not None:
            for value in _elements(pair.value):
                if value.kind == "integer":
                    words += [
                        self.key_word(pair, "-p"),
                        self.word(value, f"127.0.0.1:{value.value}:{value.value}"),
                    ]
                elif value.kind == "string":
                    words += [self.key_word(pair, "-p"), self.word(value)]
        words += self.mount_words("workspaceMount") + self.mount_words("mounts")
        pair = document.member("containerUser")
        if pair is not None and pair.value.kind == "string":
            words += [self.key_word(pair, DEVCONTAINER_FLAGS["containerUser"]), self.word(pair.value)]
        pair = document.member("runArgs")
        if pair is not None:
            words += [self.word(node) for node in _strings(pair.value)]
        words += self.feature_words()
        return words

    def mount_words(self, key: str) -> list[Word]:
        """`--mount` words of `mounts` (a list) or `workspaceMount` (one string)."""
        pair = self.document.member(key)
        if pair is None:
            return []
        words = []
        for value in _elements(pair.value):
            if value.kind == "string":
                words += [self.key_word(pair, "--mount"), self.word(value)]
            elif value.kind == "object":
                fields = {_string(p.key): _string(p.value) or "" for p in value.items}
                mount = f"type={fields.get('type', '')},src={fields.get('source', '')},dst={fields.get('target', '')}"
                words += [self.key_word(pair, "--mount"), self.word(value, mount)]
        return words

    def feature_words(self) -> list[Word]:
        words = []
        for key in AFTER_RUN_ARGS:
            flag = DEVCONTAINER_FLAGS[key]
            pair = self.document.member(key)
            if pair is None:
                continue
            if key == "privileged":
                if pair.value.kind == "boolean" and pair.value.value:
                    words.append(Word(flag, self.document.span(pair.value), f"{pair.key.raw}: true"))
                continue
            for node in _strings(pair.value):
                words += [self.key_word(pair, flag), self.word(node)]
        return words

    def declared_by_features(self) -> frozenset[str]:
        """The settings the installed features declare themselves (`FEATURE_SETTINGS`)."""
        pair = self.document.member("features")
        declared: frozenset[str] = frozenset()
        for entry in pair.value.items if pair is not None and pair.value.kind == "object" else []:
            match = _FEATURE_ID.fullmatch(str(entry.key.value))
            declared |= FEATURE_SETTINGS.get(match.group(1), frozenset()) if match else frozenset()
        return declared

    def image_word(self) -> Word:
        """The `image` value, or a stand-in for an image built from `build`/`dockerFile`."""
        pair = self.document.member("image")
        if pair is not None and pair.value.kind == "string":
            return self.word(pair.value)
        return Word("devcontainer", Span(self.document.path, 1, 1, 1, 2), "")


def load_devcontainer(
    path: str, options=None, *, display=None, texts: dict[str, str] | None = None
) -> Project:
    """Read the devcontainer.json at `path` into a project (with its compose project, if it names one)."""
    from composelint.sources.files import read_text

    shown = display(path) if display else path
    text = (texts[path] if texts and path in texts else read_text(path)).removeprefix("\ufeff")
    project = Project(name=shown)
    source = SourceFile(shown, "base", "devcontainer", text)
    if len(text) > MAX_DEVCONTAINER_BYTES:  # json-five, for what tree-sitter-json does not read, ~40 KB/s
        project.sources.append(source)
        project.diagnostics.append(too_large(shown, "devcontainer.json", MAX_DEVCONTAINER_BYTES))
        return project
    unterminated = _unterminated_comment(text)
    if unterminated is not None:
        project.sources.append(source)
        line, column = line_column(line_starts(text), unterminated)
        span = Span(shown, line, column, line, column + 2)
        project.diagnostics.append(
            Diagnostic("CL001", "not valid JSON with comments: `/*` is never closed", span)
        )
        return project
    try:
        document = JsonDocument(shown, text)
    except Exception as error:  # json-five raises several types (and RecursionError) on broken input
        project.sources.append(source)
        # json-five converts every integer with int(), which refuses more than 4,300 digits.
        too_long = _INT_TOO_LONG.search(text) if isinstance(error, ValueError) else None
        message = number_past_bound(too_long.group(), "devcontainer.json not linted") if too_long else None
        if too_long and message:
            line, column = line_column(line_starts(text), too_long.start())
            project.diagnostics.append(
                Diagnostic("CL010", message, Span(shown, line, column, line, column + 1))
            )
            return project
        project.diagnostics.append(
            Diagnostic(
                "CL001", f"not valid JSON with comments: {_first_line(error)}", _error_span(shown, error)
            )
        )
        return project
    reader = DevcontainerReader(document, text)
    compose = document.member("dockerComposeFile")
    if compose is not None and _strings(compose.value):
        project = _compose_project(path, shown, reader, compose, options, display, texts)
    else:
        words = [Word("docker", Span(shown, 1, 1, 1, 2), ""), Word("run", Span(shown, 1, 1, 1, 2), "")]
        words += reader.run_words() + [reader.image_word()]
        read_invocations(project, [Invocation("docker", words, Span(shown, 1, 1, len(reader.lines) + 1, 1))])
        name = document.member("name")
        run_args = document.member("runArgs")
        declared = reader.declared_by_features()
        for workload in project.workloads:
            workload.name = (_string(name.value) if name is not None else None) or "devcontainer"
            workload.syntax = "devcontainer"
            if run_args is not None:
                workload.written_as = ((document.span(run_args.value), "runArgs"),)
            workload.explained |= declared
            if document.member("image") is None:
                workload.image = None
    project.sources.insert(0, source)
    project.directives += scan_directives(shown, text, [], [])
    return project


def workspace_folder(path: str) -> str:
    """The folder a dev container opens: the parent of `.devcontainer/`, or the folder of `.devcontainer.json`."""
    directory = os.path.dirname(os.path.abspath(path))
    parts = directory.split(os.sep)
    if ".devcontainer" in parts:
        return os.sep.join(parts[: len(parts) - 1 - parts[::-1].index(".devcontainer")]) or os.sep
    return directory


def _compose_files(
    path: str, shown: str, reader: DevcontainerReader, compose, options
) -> tuple[list[str], list[Diagnostic]]:
    """The compose files that can be read, and a CL006 for each that cannot (missing, outside the workspace)."""
    directory = os.path.dirname(path)
    root = workspace_folder(path)
    files, diagnostics = [], []
    for node in _strings(compose.value):
        target = os.path.normpath(os.path.join(directory, node.value))
        span = reader.document.span(node)
        outside = os.path.commonpath([root, os.path.abspath(target)]) != root
        if outside and not (options and options.allow_outside_root):
            message = f"`{node.value}` is outside the workspace folder and is not read (use --allow-outside-root to follow it)"
        elif not os.path.isfile(target):
            message = f"`{node.value}` does not exist: it is not linted"
        else:
            files.append(target)
            continue
        diagnostics.append(Diagnostic("CL006", f"Compose file {message}", span))
    return files, diagnostics


def _compose_project(path, shown, reader: DevcontainerReader, compose, options, display, texts) -> Project:
    """The compose project the configuration names, with the dev container's own settings on its service."""
    from composelint.sources.compose.project import LoadOptions, load_project

    files, diagnostics = _compose_files(path, shown, reader, compose, options)
    if not files:
        project = Project(name=shown)
        project.diagnostics += diagnostics
        return project
    project = load_project(files, options or LoadOptions(), display=display, texts=texts)
    project.diagnostics += diagnostics
    # Linted here, not again on its own.
    project.sources = [
        replace(source, role="include") if source.role in ("base", "override") else source
        for source in project.sources
    ]
    service = reader.document.member("service")
    name = _string(service.value) if service is not None else None
    workload = project.workload(name) if name else None
    if workload is None or name is None:
        return project
    scratch = Project(name=shown)
    words = [Word("docker", Span(shown, 1, 1, 1, 2), ""), Word("run", Span(shown, 1, 1, 1, 2), "")]
    words += reader.mount_words("mounts") + reader.feature_words() + [Word(name, Span(shown, 1, 1, 1, 2), "")]
    read_invocations(scratch, [Invocation("docker", words, Span(shown, 1, 1, 1, 2))])
    project.diagnostics += scratch.diagnostics
    for added in scratch.workloads:
        if added.privileged is not None:
            workload.privileged = added.privileged
        workload.cap_add += added.cap_add
        workload.security_opt += added.security_opt
        workload.mounts += added.mounts
        for key, span in added.keys.items():
            workload.keys.setdefault(key, span)
    workload.explained |= reader.declared_by_features()
    workload.written_as += ((Span(shown, 1, 1, len(reader.lines) + 1, 1), "devcontainer"),)
    return project


# What can hold `/*` and `*/` without being a comment (strings), then comments; possessive, so that
# the scan stays linear in the text.
_COMMENTS = lazy_pattern(
    r""""(?:[^"\\\n]|\\.)*+"|'(?:[^'\\\n]|\\.)*+'|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+(\*/)?""", re.DOTALL
)


def _unterminated_comment(text: str) -> int | None:
    """The offset of a `/*` that is never closed.  json-five's pattern for a block comment takes time
    exponential in what follows an unclosed one (60 bytes: 0.7 s; 300 bytes: over a minute)."""
    for match in _COMMENTS.finditer(text):
        if match.group().startswith("/*") and match.group(1) is None:
            return match.start()
    return None


def _first_line(error: Exception) -> str:
    """The line of json-five's message that says what and where (it may list several errors)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    located = [line for line in lines if " at: line " in line]
    return ((located or lines or [type(error).__name__])[0])[:200]


def _error_span(path: str, error: Exception) -> Span:
    match = re.search(r"line (\d+) column (\d+)", str(error))
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        return Span(path, line, column, line, column + 1)
    return Span(path, 1, 1, 1, 2)


def load_set(paths: list[str], options, *, display, texts: dict[str, str]) -> list[Project]:
    """The configuration, with its compose project (the front-end interface of sources.kinds)."""
    return [load_devcontainer(paths[0], options, display=display, texts=texts)]
