"""Configuration files: which one applies to a file, what it may say, what it decides.

A configuration is `.composelint.yaml`, `.composelint.yml`, `composelint.yaml`
or the `[tool.composelint]` table of `pyproject.toml`; the first of these
found in a directory is that directory's configuration.  A file's
configuration is the nearest one in its directory or above it, up to the
repository root (the directory containing `.git`) or the filesystem root.
Files are not merged.  `--config PATH` applies one file to everything;
`--isolated` applies none.  The command line wins over the file: `--select`
and `--ignore` replace, `--extend-select` and `--extend-exclude` append.

Every file is validated against `schemas/composelint-config.schema.json`,
then rule selectors and rule options are checked against the rule catalog;
every problem is found before any is reported: a `ConfigError` lists them
all, each with its key, its reason and its line and column in the file.  What a
configuration decides becomes an `Effective`: the selected rules, the
engine's `Settings` (options, severities, per-file ignores, workload
exclusions, fail-on) and the discovery settings (excludes, gitignore).
Lookups are cached per directory, so a large tree costs one lookup per
directory.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from composelint.engine import Settings, WorkloadExclusion, matching_rules, select_rules
from composelint.patterns import lazy_pattern
from composelint.records import field, record
from composelint.rules import all_rules
from composelint.rules.base import Rule
from composelint.sources.files import UnreadableFile, decode, read_bytes
from composelint.types import DOCS_SITE, Span
from composelint.values import number_past_bound, parse_image

if TYPE_CHECKING:  # imported when a walk first needs it: pathspec is not needed for named files
    from composelint.gitignore import Repository

CONFIG_NAMES = (".composelint.yaml", ".composelint.yml", "composelint.yaml", "pyproject.toml")
SHARED_OPTIONS = ("known-images",)  # top-level keys handed to every rule that declares the option


@record(frozen=True)
class ConfigProblem:
    """One thing wrong in a configuration file: the key, why, and where (1-based; None: the file)."""

    key: str | None
    reason: str
    line: int | None = None
    column: int | None = None


class ConfigError(ValueError):
    """A configuration file that cannot be used, with every problem found in it.  Each problem is
    one line of the message: `file:line:column: key: reason`."""

    def __init__(
        self,
        path: str,
        key: str | None = None,
        reason: str = "",
        *,
        problems: tuple[ConfigProblem, ...] = (),
        position: tuple[int, int] | None = None,
    ):
        self.path = path
        self.problems = problems or (ConfigProblem(key, reason, *(position or (None, None))),)
        self.lines = tuple(_problem_line(display_path(path), problem) for problem in self.problems)
        super().__init__("\n".join(self.lines))


def _problem_line(shown: str, problem: ConfigProblem) -> str:
    where = f"{shown}:{problem.line}:{problem.column}" if problem.line else shown
    return f"{where}: {problem.key}: {problem.reason}" if problem.key else f"{where}: {problem.reason}"


@record(frozen=True)
class Overrides:
    """What the command line says; `None` leaves the configuration's value."""

    select: list[str] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: list[str] | None = None
    fail_on: str | None = None
    exclude: list[str] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    include_test_data: bool | None = None


class Glob:
    """A gitignore-like pattern relative to `base`.

    Without a `/` it matches a file or directory name at any depth; with one,
    a path from `base` (a leading `/` only anchors).  `*`, `?` and `[...]`
    stay within a name, `**` spans directories.  Matching a directory matches
    everything below it."""

    def __init__(self, base: str, pattern: str):
        self.base, self.pattern = base, pattern
        text = pattern.strip()
        anchored = "/" in text.rstrip("/")
        regex = _translate(text.strip("/"))
        self._regex = re.compile(("" if anchored else "(?:.*/)?") + regex + r"(?:/.*)?\Z", re.S)

    def matches(self, path: str) -> bool:
        relative = os.path.relpath(os.path.abspath(path), self.base).replace(os.sep, "/")
        return not (relative == ".." or relative.startswith("../")) and bool(self._regex.match(relative))

    def __repr__(self) -> str:
        return f"Glob({self.base!r}, {self.pattern!r})"


def _translate(glob: str) -> str:
    parts, index = [], 0
    while index < len(glob):
        if glob.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            parts.append(".*")
            index += 2
        elif glob[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            parts.append("[^/]")
            index += 1
        elif glob[index] == "[" and "]" in glob[index + 2 :]:
            end = glob.index("]", index + 2)
            body = glob[index + 1 : end]
            parts.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            index = end + 1
        else:
            parts.append(re.escape(glob[index]))
            index += 1
    return "".join(parts)


@record(frozen=True)
class Effective:
    """The configuration that applies to a file, command line included."""

    source: str | None  # the configuration file, None for the defaults
    rules: tuple[Rule, ...]
    settings: Settings
    exclude: tuple[Glob, ...] = ()
    respect_gitignore: bool = True
    kinds: frozenset[str] | None = None  # `kinds`: what a directory walk lints (None: every kind)
    include_test_data: bool = False  # lint what a walk finds below test-data directories

    def excluded(self, path: str) -> bool:
        return any(pattern.matches(path) for pattern in self.exclude)


# ---------------------------------------------------------------- reading files


@lru_cache(maxsize=1)
def _validator():
    from importlib import resources

    import jsonschema

    schema = json.loads(
        resources.files("composelint")
        .joinpath("data/composelint-config.schema.json")
        .read_text(encoding="utf-8")
    )
    # The rule enums are for editors; `_rule_problems` checks selectors against the catalog itself,
    # case-insensitively and with a better message.
    schema["$defs"].update(rule={"type": "string"}, selector={"type": "string", "minLength": 1})
    return jsonschema.Draft202012Validator(schema)


def config_in(directory: str) -> str | None:
    """The configuration file of this directory itself, if any."""
    for name in CONFIG_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path) and (name != "pyproject.toml" or _has_tool_table(path)):
            return path
    return None


def _has_tool_table(path: str) -> bool:
    """A pyproject.toml is a configuration only when it has `[tool.composelint]`."""
    text = _read(path)
    if "composelint" not in text:
        return False
    return "composelint" in _parse_toml(path, text).get("tool", {})


def load_config(path: str) -> dict:
    """The validated contents of a configuration file.  Raises ConfigError with every problem of
    the file (a file that does not parse has one)."""
    text = _read(path)
    name = os.path.basename(path)
    data: object
    if name.endswith(".toml"):
        parsed = _parse_toml(path, text)
        data = parsed
        table: tuple[str, ...] = ()  # where the settings are in the file
        if name == "pyproject.toml":
            tool = parsed.get("tool", {})
            if "composelint" not in tool:
                raise ConfigError(path, None, "no [tool.composelint] table")
            data, table = tool["composelint"], ("tool", "composelint")
        locate = _toml_locator(text, table)
    else:
        data, locate = _parse_yaml(path, text)
    if not isinstance(data, dict):
        raise ConfigError(
            path, None, f"expected a mapping of settings, got {_type_name(data)}", position=(1, 1)
        )
    found = [*_key_problems(data, []), *_schema_problems(data), *_rule_problems(data)]
    if found:
        problems: dict[tuple, ConfigProblem] = {}
        for where, reason, at_key in found:
            problem = ConfigProblem(_key(where) or None, reason, *(locate(where, at_key) or (None, None)))
            # A wrong key is said once (the schema and the rule catalog both know unknown options).
            problems.setdefault((problem.key, at_key or problem.reason), problem)
        raise ConfigError(path, problems=tuple(sorted(problems.values(), key=_problem_order)))
    return data


def _problem_order(problem: ConfigProblem) -> tuple:
    return (problem.line or 0, problem.column or 0, problem.key or "", problem.reason)


Locator = Callable[[list, bool], "tuple[int, int] | None"]
Problem = tuple[list, str, bool]  # (key path, reason, whether the key itself rather than its value is wrong)


def _read(path: str) -> str:
    try:
        data = read_bytes(path)
    except UnreadableFile as error:
        raise ConfigError(path, None, f"cannot read: {error.reason}") from None
    try:
        return decode(path, data)
    except UnreadableFile as error:
        raise ConfigError(path, None, error.reason) from None


def _parse_toml(path: str, text: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib says where only in its message: "... (at line 1, column 18)".
        where = re.search(r" \(at line (\d+), column (\d+)\)$", str(error))
        reason = str(error)[: where.start()] if where else str(error)
        position = (int(where[1]), int(where[2])) if where else None
        raise ConfigError(path, None, f"invalid TOML: {reason}", position=position) from None
    except ValueError:  # tomllib converts integers with int(), which refuses more than 4,300 digits
        raise ConfigError(path, None, f"invalid TOML: {number_past_bound(text)}") from None


def _parse_yaml(path: str, text: str) -> tuple[object, Locator]:
    """The data and the positions of its keys, through the linter's own YAML front end, so
    nesting and alias expansion are bounded in a configuration file too (a 50,000-level list would
    crash the C parser)."""
    from composelint.sources.compose.yaml_tree import python_value, read_yaml

    document = read_yaml(path, text)
    if document.diagnostics:
        problem = document.diagnostics[0]
        reason = problem.message.removeprefix("YAML syntax error: ").removeprefix("YAML not linted: ")
        raise ConfigError(path, None, f"invalid YAML: {reason}", position=problem.span[1:3])
    if len(document.roots) > 1:
        second = document.roots[1].span
        raise ConfigError(path, None, "invalid YAML: more than one document", position=second[1:3])
    if not document.roots:
        return {}, lambda where, at_key: None
    return python_value(document.roots[0]), _yaml_locator(document.roots[0])


def _yaml_locator(root) -> Locator:
    """Where each key path is written: (span of the key, span of the value); list items have the
    item's span for both."""
    from composelint.sources.compose.yaml_tree import YMap, YSeq

    spans: dict[tuple, tuple[Span, Span]] = {}
    pending: list[tuple[tuple, object]] = [((), root)]
    while pending:
        where, node = pending.pop()
        if isinstance(node, YMap):
            for key, value in node.items:
                spans[(*where, key.value)] = (key.span, value.span)
                spans.setdefault((*where, str(key.value)), (key.span, value.span))  # a key that is not text
                pending.append(((*where, key.value), value))
        elif isinstance(node, YSeq):
            for index, item in enumerate(node.items):
                spans[(*where, index)] = (item.span, item.span)
                pending.append(((*where, index), item))

    def locate(where: list, at_key: bool) -> tuple[int, int] | None:
        for length in range(len(where), 0, -1):
            if (found := spans.get(tuple(where[:length]))) is not None:
                span = found[0] if at_key or length < len(where) else found[1]
                return span.line, span.column
        return (root.span.line, root.span.column) if where == [] else None

    return locate


_TOML_HEADER = lazy_pattern(r"[ \t]*(\[\[?)([^\]]*)\]")  # linear: no two quantifiers over the same blanks
_TOML_KEY = lazy_pattern(
    r"\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)


def _toml_keys(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", text)]


def _toml_locator(text: str, table: tuple[str, ...]) -> Locator:
    """Where each table and key of a TOML file is written (tomllib keeps no positions): headers and
    `key =` lines at the start of a line; `[[...]]` tables numbered.  Keys inside inline tables and
    arrays are placed at the line of the key that holds them."""
    positions: dict[tuple, tuple[int, int]] = {}
    current: tuple = ()
    counts: dict[tuple, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if header := _TOML_HEADER.match(line):
            current = tuple(_toml_keys(header[2]))
            if header[1] == "[[":
                counts[current] = counts.get(current, -1) + 1
                current = (*current, counts[current])
            name = header[2]
            positions.setdefault(current, (number, header.start(2) + len(name) - len(name.lstrip()) + 1))
        elif key := _TOML_KEY.match(line):
            positions.setdefault((*current, *_toml_keys(key[1])), (number, key.start(1) + 1))

    def locate(where: list, at_key: bool) -> tuple[int, int] | None:
        for length in range(len(where), -1, -1):
            if (found := positions.get((*table, *where[:length]))) is not None:
                return found
        return None

    return locate


_TYPE_NAMES = {
    "array": "a list",
    "object": "a mapping",
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "number": "a number",
}


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in (
        (dict, "a mapping"),
        (list, "a list"),
        (str, "a string"),
        (int, "an integer"),
        (float, "a number"),
        (type(None), "nothing"),
    ):
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


def _key_problems(value, where: list) -> list[Problem]:
    """YAML allows keys that are not text (`8080: ...`); a configuration does not."""
    problems: list[Problem] = []
    pending = [(value, where)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    problems.append(([*where, str(key)], "a key must be text: quote it", True))
                pending.append((item, [*where, key]))
        elif isinstance(value, list):
            pending.extend((item, [*where, index]) for index, item in enumerate(value))
    return problems


def _schema_problems(data: dict) -> list[Problem]:
    """Every schema violation, in words (keys that are not text were reported already)."""
    problems = []
    for error in _validator().iter_errors(data):
        if "propertyNames" in error.schema_path:
            continue
        problems.extend(_describe(error))
    return problems


def _key(path: list) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error) -> list[Problem]:
    """A schema violation in words: (key path, reason, whether the key itself is wrong)."""
    path, kind, value = list(error.absolute_path), error.validator, error.validator_value
    if kind == "additionalProperties":
        import difflib  # here: only an invalid configuration needs it

        known = list(error.schema.get("properties", {}))
        problems: list[Problem] = []
        for extra in sorted((k for k in error.instance if k not in known), key=str):
            hint = difflib.get_close_matches(str(extra), known, n=1)
            problems.append(
                ([*path, extra], "unknown key" + (f" (did you mean `{hint[0]}`?)" if hint else ""), True)
            )
        return problems
    if kind == "required":
        return [
            ([*path, missing], "missing: every workload exclusion needs a reason", False)
            if missing == "reason"
            else ([*path, missing], "missing (required)", False)
            for missing in value
            if missing not in error.instance
        ]
    if kind == "type":
        return [(path, f"expected {_TYPE_NAMES.get(value, value)}, got {_type_name(error.instance)}", False)]
    if kind == "enum":
        return [(path, f"`{error.instance}` is not one of {', '.join(map(str, value))}", False)]
    if kind in ("pattern", "minLength", "minItems"):
        why = ": say why the findings are accepted" if path[-1:] == ["reason"] else ""
        return [(path, "must not be empty" + why, False)]
    if kind == "minimum":
        return [(path, f"must be at least {value}, got {error.instance}", False)]
    if kind == "maximum":
        return [(path, f"must be at most {value}, got {error.instance}", False)]
    return [(path, error.message, False)]


def _rule_problems(data: dict) -> list[Problem]:
    """Every selector names a rule; `rules:` names rules and options they declare.  Values of the
    wrong type were reported by the schema and are skipped here."""
    catalog = all_rules()
    problems: list[Problem] = []

    def selectors(where: list, values) -> None:
        for index, selector in enumerate(values if isinstance(values, list) else []):
            if isinstance(selector, str) and not matching_rules(selector, catalog):
                problems.append(
                    (
                        [*where, index],
                        f"unknown rule selector `{selector}` (use a code, prefix, name, group or ALL)",
                        False,
                    )
                )

    def mapping(key: str) -> dict:
        value = data.get(key, {})
        return value if isinstance(value, dict) else {}

    for key in ("select", "extend-select", "ignore"):
        selectors([key], data.get(key))
    for selector in mapping("severity"):
        if isinstance(selector, str) and not matching_rules(selector, catalog):
            problems.append(
                (
                    ["severity", selector],
                    "unknown rule selector (use a code, prefix, name, group or ALL)",
                    True,
                )
            )
    for glob, values in mapping("per-file-ignores").items():
        selectors(["per-file-ignores", glob], values)
    workloads = data.get("workloads")
    for index, entry in enumerate(workloads if isinstance(workloads, list) else []):
        if isinstance(entry, dict):
            selectors(["workloads", index, "ignore"], entry.get("ignore"))
    for selector, options in mapping("rules").items():
        rule = _rule_named(selector, catalog) if isinstance(selector, str) else None
        if rule is None:
            problems.append((["rules", selector], "unknown rule (use a code or a name)", True))
            continue
        for option, value in options.items() if isinstance(options, dict) else ():
            if option not in rule.options:
                declared = ", ".join(rule.options) or "none"
                reason = f"unknown option of {rule.code} {rule.name} (its options: {declared})"
                problems.append((["rules", selector, option], reason, True))
                continue
            default = rule.options[option]
            if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, type(default)):
                reason = f"expected {_type_name(default)}, got {_type_name(value)}"
                problems.append((["rules", selector, option], reason, False))
    return problems


def _rule_named(selector: str, catalog: dict[str, Rule]) -> Rule | None:
    return catalog.get(selector.upper()) or next(
        (r for r in catalog.values() if r.name == selector.lower()), None
    )


# ---------------------------------------------------------------- deciding


def effective(path: str | None, data: dict, overrides: Overrides) -> Effective:
    """What configuration `data` (read from `path`; None: defaults) decides, command line applied."""
    catalog = all_rules()
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    here = os.getcwd()
    select = overrides.select if overrides.select is not None else data.get("select")
    ignore = overrides.ignore if overrides.ignore is not None else data.get("ignore", [])
    rules = select_rules(select, [*data.get("extend-select", []), *overrides.extend_select], ignore)

    def codes(selectors) -> frozenset[str]:
        return frozenset(code for selector in selectors for code in matching_rules(selector, catalog))

    if overrides.exclude is not None:
        exclude = [Glob(here, g) for g in overrides.exclude]
    else:
        exclude = [Glob(base, g) for g in data.get("exclude", [])]
    exclude += [Glob(base, g) for g in data.get("extend-exclude", [])]
    exclude += [Glob(here, g) for g in overrides.extend_exclude]
    settings = Settings(
        options=_options(data, catalog),
        severity=_severities(data.get("severity", {}), catalog),
        per_file_ignores=tuple(
            (Glob(base, glob), codes(selectors))
            for glob, selectors in data.get("per-file-ignores", {}).items()
        ),
        workloads=tuple(
            WorkloadExclusion(
                entry["name"],
                codes(entry["ignore"]),
                entry["reason"].strip(),
                tuple(Glob(base, g) for g in entry.get("files", [])),
            )
            for entry in data.get("workloads", [])
        ),
        fail_on=overrides.fail_on or data.get("fail-on", "warning"),
        docs_url=data.get("docs-url", DOCS_SITE),
    )
    respect, test_data = overrides.respect_gitignore, overrides.include_test_data
    return Effective(
        path,
        tuple(rules),
        settings,
        tuple(exclude),
        data.get("respect-gitignore", True) if respect is None else respect,
        frozenset(data["kinds"]) if "kinds" in data else None,
        data.get("include-test-data", False) if test_data is None else test_data,
    )


def _options(data: dict, catalog: dict[str, Rule]) -> dict[str, dict]:
    """Rule code -> configured option values: shared top-level options, then `rules:`."""
    options: dict[str, dict] = {}
    for key in SHARED_OPTIONS:
        if key in data:
            for code, rule in catalog.items():
                if key in rule.options:
                    options.setdefault(code, {})[key] = data[key]
    for selector, values in data.get("rules", {}).items():
        named = _rule_named(selector, catalog)
        assert named is not None, selector  # _rule_problems rejected unknown rules
        options.setdefault(named.code, {}).update(values)
    for values in options.values():
        if "known-images" in values:
            values["known-images"] = _known_images(values["known-images"])
    return options


def _known_images(table: dict) -> dict[str, tuple[int, ...]]:
    return {parse_image(image).repository: tuple(ports) for image, ports in table.items()}


def _specificity(selector: str, catalog: dict[str, Rule]) -> int:
    """ALL < group < code prefix (longer is more specific) < code or name."""
    token = selector.strip()
    if token.upper() == "ALL":
        return 0
    if _rule_named(token, catalog) is not None:
        return 100
    if any(rule.group == token.lower() for rule in catalog.values()):
        return 1
    return 1 + len(token)


def _severities(mapping: dict[str, str], catalog: dict[str, Rule]) -> dict[str, str]:
    """Rule code -> severity; the most specific selector wins, the later one on a tie."""
    chosen: dict[str, tuple[int, str]] = {}
    for selector, level in mapping.items():
        rank = _specificity(selector, catalog)
        for code in matching_rules(selector, catalog):
            if code not in chosen or rank >= chosen[code][0]:
                chosen[code] = (rank, level)
    return {code: level for code, (_, level) in chosen.items()}


# ---------------------------------------------------------------- finding


@record
class ConfigFinder:
    """The `Effective` configuration of each file, cached per directory."""

    overrides: Overrides = field(default_factory=Overrides)
    config_path: str | None = None  # --config
    isolated: bool = False  # --isolated
    _fixed: Effective | None = None
    _by_directory: dict[str, Effective] = field(default_factory=dict)
    _by_file: dict[str | None, Effective] = field(default_factory=dict)
    _roots: dict[str, str | None] = field(default_factory=dict)
    _repositories: dict[str, Repository] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.config_path is not None:
            self._fixed = effective(self.config_path, load_config(self.config_path), self.overrides)
        elif self.isolated:
            self._fixed = effective(None, {}, self.overrides)

    def for_path(self, path: str) -> Effective:
        """The configuration of a file (`-` or a name given to standard input: the working directory)."""
        return self.for_directory(os.path.dirname(os.path.abspath(path)))

    def for_directory(self, directory: str) -> Effective:
        """The configuration of the files directly in `directory`."""
        if self._fixed is not None:
            return self._fixed
        return self._for_directory(os.path.abspath(directory))

    def _for_directory(self, directory: str) -> Effective:
        """The configuration of the nearest directory at or above `directory` that has one, up to
        the repository root (iterative: a tree 1,000 directories deep is no recursion error)."""
        walked: list[str] = []
        result = self._by_directory.get(directory)
        while result is None:
            walked.append(directory)
            parent = os.path.dirname(directory)
            found = config_in(directory)
            if found is not None:
                result = self._load(found)
            elif parent == directory or self.repository_root(directory) == directory:
                result = self._load(None)
            else:
                directory = parent
                result = self._by_directory.get(directory)
        for seen in walked:
            self._by_directory[seen] = result
        return result

    def _load(self, path: str | None) -> Effective:
        if path not in self._by_file:
            self._by_file[path] = effective(path, load_config(path) if path else {}, self.overrides)
        return self._by_file[path]

    def repository_root(self, directory: str) -> str | None:
        """The nearest directory at or above `directory` that contains `.git`."""
        walked: list[str] = []
        while directory not in self._roots:
            walked.append(directory)
            parent = os.path.dirname(directory)
            if os.path.exists(os.path.join(directory, ".git")):
                self._roots[directory] = directory
            elif parent == directory:
                self._roots[directory] = None
            else:
                directory = parent
        for seen in walked:
            self._roots[seen] = self._roots[directory]
        return self._roots[directory]

    def gitignored(self, paths: list[str]) -> set[str]:
        """The paths that git ignores, read from the ignore files (git itself is never run)."""
        ignored: set[str] = set()
        for path in paths:
            root = self.repository_root(os.path.dirname(os.path.abspath(path)))
            if root is None:
                continue
            if root not in self._repositories:
                from composelint.gitignore import Repository

                self._repositories[root] = Repository(root)
            if self._repositories[root].ignored(path):
                ignored.add(path)
        return ignored


def display_path(path: str) -> str:
    """Paths under the working directory are shown relative to it, with `/`."""
    return _shown(path, os.getcwd())


@lru_cache(maxsize=4096)
def _shown(path: str, directory: str) -> str:
    """`path` as shown from `directory` (remembered: a run shows each file's path several times)."""
    relative = os.path.relpath(path, directory)
    shown = path if relative.startswith("..") else relative
    return shown.replace(os.sep, "/")
