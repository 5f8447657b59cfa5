"""Makefiles (`Makefile`, `makefile`, `GNUmakefile`, `*.mk`, `Makefile.*`): recipe lines.

A recipe line is a line that starts with a tab after a rule (`target: prerequisites`), or the
text after `;` on the rule's line.  Make runs each recipe line in a shell of its own (all of a
rule's lines in one shell under `.ONESHELL:`), and each rule is a project: targets are
alternatives, like the blocks of a document.  On a recipe line:

* the `@`, `-` and `+` prefixes are taken off;
* a `\\` line continuation is kept (make hands it to the shell) and the tab that starts the
  next line is dropped, as make does;
* `$$` is a `$` for the shell;
* the recipe's working directory, written `$(CURDIR)`, `$(shell pwd)`, `$$PWD`, `$${PWD}` or
  `$$(pwd)`, is the Makefile's directory: make runs recipes there (`.`, the project directory);
* `$(VAR)` and `${VAR}` are the variable's value when the Makefile assigns it once, at the top
  level (`DOCKER ?= docker`); references in that value are expanded the same way, so a command
  variable built from others (`RUN = $(DOCKER) run --rm`, then `$(RUN) --privileged img`) is
  read as the command it makes.  Any other reference is a value only known at run time; so are
  `$@`, `$<` and the other one-character variables, and function calls (`$(shell ...)`).  An
  unknown variable whose name says it holds the engine (`CONTAINER_RUNTIME ?= $(if ...)`,
  `$(CONTAINER_ENGINE) run`) is handed to the shell as that variable, which takes it to be the
  engine (a possible invocation, said so in the finding).

`define` blocks and conditional directives are not interpreted (lines inside a conditional are
read as if the condition held).
"""

from __future__ import annotations

import re

from composelint.limits import MAX_JOBS, MAX_MAKEFILE_BYTES
from composelint.model import Project, Span
from composelint.patterns import lazy_pattern
from composelint.sources.docker_cli.reader import Timeline
from composelint.sources.embedded.snippets import (
    HostFile,
    Snippet,
    embedded_project,
    mentions_engine_variable,
    mentions_tool,
    read_snippet,
    unknown_value,
)
from composelint.sources.shell.commands import engine_variable

KIND = "makefile"
_ASSIGNMENT = lazy_pattern(
    r"^(?:export\s+|override\s+)*([A-Za-z_][\w.-]*)\s*(?:::=|:::=|:=|\?=|\+=|!=|=)\s*(.*)$"
)
_SIMPLE_ASSIGNMENT = lazy_pattern(r"^(?:export\s+|override\s+)*([A-Za-z_][\w.-]*)\s*(::=|:=|\?=|=)\s*(.*)$")
_RULE = lazy_pattern(r"^[^\s#=][^=]*?(?<![:=?+!]):(?!=)")
_CONDITIONAL = lazy_pattern(r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b")
_DIRECTIVE = lazy_pattern(r"^\s*(?:include|-include|sinclude|vpath|export|unexport)\b")
_VARIABLE_NAME = lazy_pattern(r"[A-Za-z_][\w.-]*")
_WORKING_DIRECTORY = lazy_pattern(
    r"\$\(CURDIR\)|\$\{CURDIR\}|\$\(shell pwd\)|\$\$PWD\b|\$\$\{PWD\}|\$\$\(pwd\)"
)
_SPECIAL = lazy_pattern(r"[$\n]")  # what a recipe line does not pass to the shell as written
MAX_EXPANSION = 4096  # characters one reference may expand to; beyond, its value is unknown


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    from composelint.sources.files import read_text, too_large, too_many

    shown = display(path)
    text = (texts[path] if path in texts else read_text(path)).removeprefix("\ufeff")
    host = HostFile(shown, text)
    projects = [embedded_project(host, KIND, shown)]
    if len(text) > MAX_MAKEFILE_BYTES:  # each recipe line is a script of its own: 10 MB took 33 s, 1.4 GB
        projects[0].diagnostics.append(too_large(shown, "Makefile", MAX_MAKEFILE_BYTES))
        return projects
    lines = _logical_lines(text)
    values, definitions = _single_assignments(lines)
    memo: dict[str, str] = {}
    one_shell = any(line.strip().startswith(".ONESHELL:") for _, line in lines)
    target: str | None = None
    recipe: list[Snippet] = []
    expansions: dict[Span, Span] = {}
    for offset, line in lines:
        if line.startswith("\t") and target is not None:
            recipe.append(_recipe_line(host, offset + 1, line[1:], values, memo, definitions, expansions))
            continue
        if not line.strip() or line.lstrip().startswith("#") or _CONDITIONAL.match(line):
            continue  # a conditional inside a recipe does not end it
        projects.extend(_rule_project(host, target, recipe, one_shell, expansions))
        target, recipe, expansions = None, [], {}
        if _DIRECTIVE.match(line) or _ASSIGNMENT.match(line):
            continue
        match = _RULE.match(line)
        if match and len(projects) > MAX_JOBS:  # each rule is a project: about 0.3 ms
            rule_line = host.point(offset)[0]
            projects[0].diagnostics.append(too_many(shown, rule_line, "rules that run containers", MAX_JOBS))
            return projects
        if match:
            target = line[: match.end() - 1].strip()
            inline = line.find(";", match.end())
            if inline >= 0:
                start = offset + inline + 1
                recipe.append(
                    _recipe_line(host, start, line[inline + 1 :], values, memo, definitions, expansions)
                )
    projects.extend(_rule_project(host, target, recipe, one_shell, expansions))
    return projects


def _rule_project(
    host: HostFile, target: str | None, recipe: list[Snippet], one_shell: bool, expansions: dict[Span, Span]
) -> list[Project]:
    """The rule as a project, when its recipe can start a container."""
    if target is None or not any(
        mentions_tool(snippet.text) or mentions_engine_variable(snippet.text) for snippet in recipe
    ):
        return []
    if one_shell:
        whole = Snippet()
        for line in recipe:
            whole.append(line)
        recipe = [whole]
    project = embedded_project(host, KIND, f"{host.path} target {target}")
    project.expansions = expansions
    timeline = Timeline()  # the recipe's lines run in order
    for snippet in recipe:
        read_snippet(project, host, snippet, engine_variables=True, timeline=timeline)
    return [project]


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each line; a `define` block's lines are skipped.  A recipe line keeps its
    continuation lines (with their line breaks) as make passes them to the shell."""
    lines: list[tuple[int, str]] = []
    offset = 0
    in_define = False
    physical = text.split("\n")
    index = 0
    while index < len(physical):
        start = offset
        line = physical[index]
        offset += len(line) + 1
        index += 1
        while line.rstrip("\r").endswith("\\") and index < len(physical) and not _even_backslashes(line):
            line += "\n" + physical[index]
            offset += len(physical[index]) + 1
            index += 1
        stripped = line.strip()
        if in_define:
            in_define = stripped != "endef" and not stripped.startswith("endef ")
            continue
        if re.match(r"^(?:override\s+|export\s+)*define\b", stripped):
            in_define = True
            continue
        lines.append((start, line))
    return lines


def _even_backslashes(line: str) -> bool:
    """Whether the line ends in an escaped backslash (`\\\\`), which continues nothing."""
    body = line.rstrip("\r")
    return (len(body) - len(body.rstrip("\\"))) % 2 == 0


def _single_assignments(lines: list[tuple[int, str]]) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Variables assigned once at the top level, with `=`, `:=`, `::=` or `?=`: name -> value as
    written (`+=` and `!=` make a value unknown, and so does a second assignment), and name ->
    (start, end) offsets of the assignment's line."""
    seen: dict[str, list[str | None]] = {}
    places: dict[str, tuple[int, int]] = {}
    for offset, line in lines:
        if line.startswith("\t"):
            continue
        match = _SIMPLE_ASSIGNMENT.match(line)
        if match:
            seen.setdefault(match.group(1), []).append(match.group(3).split("#", 1)[0].strip())
            places[match.group(1)] = (offset, offset + len(line.rstrip("\r")))
        elif assigned := _ASSIGNMENT.match(line):
            seen.setdefault(assigned.group(1), []).append(None)
    values = {
        name: value
        for name, (value, *others) in seen.items()
        if not others and value is not None and not any(mark in value for mark in "\\\n")
    }
    return values, {name: places[name] for name in values}


def _recipe_line(
    host: HostFile,
    start: int,
    line: str,
    values: dict[str, str],
    memo: dict[str, str],
    definitions: dict[str, tuple[int, int]],
    expansions: dict[Span, Span],
) -> Snippet:
    """One recipe line (with its continuations) as shell, make's expansion applied (`memo`: see
    `_value`); each reference to a variable the Makefile assigns once goes into `expansions`
    (its span -> the assignment's line)."""
    snippet = Snippet()
    prefix = re.match(r"[@+\-\s]*", line)
    position = prefix.end() if prefix else 0
    while position < len(line):
        char = line[position]
        if char == "\n" and line[position + 1 : position + 2] == "\t":
            snippet.add("\n", start + position)
            position += 2  # make drops the recipe tab of a continuation line
            continue
        if char != "$" or position + 1 >= len(line):
            # Up to the next reference or line break, as written (one piece, not a character at a time).
            following = _SPECIAL.search(line, position + 1)
            end = following.start() if following else len(line)
            snippet.add(line[position:end], start + position)
            position = end
            continue
        directory = _WORKING_DIRECTORY.match(line, position)
        if directory:
            snippet.add_over(".", start + position, start + directory.end())
            position = directory.end()
            continue
        end = _reference_end(line, position)
        reference = line[position:end]
        if reference == "$$":
            snippet.add("$", start + position)
        else:
            snippet.add_over(_value(reference, values, frozenset(), memo), start + position, start + end)
            definition = definitions.get(_name(reference))
            if definition is not None:
                expansions[_span(host, start + position, start + end)] = _span(host, *definition)
        position = end
    snippet.add_at("\n", start + len(line))
    return snippet


def _value(reference: str, values: dict[str, str], expanding: frozenset[str], memo: dict[str, str]) -> str:
    """Shell text for a make reference: the variable's value with its own references expanded, an
    engine-named variable of unknown value, or a value nobody set (also for a variable that refers
    to itself, and for an expansion past MAX_EXPANSION characters).  `memo` keeps each variable's
    expansion, so variables that double each other cost their number, not 2 to that power."""
    if reference == "$$":
        return "$"
    name = _name(reference)
    unknown = unknown_value(max(len(reference), 6))
    if not _VARIABLE_NAME.fullmatch(name):
        return unknown
    if name not in values or name in expanding:
        return "${" + name + "}" if "." not in name and engine_variable("${" + name + "}") else unknown
    if name in memo:
        return memo[name]
    text, position, parts, size = values[name], 0, [], 0
    while position < len(text):
        if directory := _WORKING_DIRECTORY.match(text, position):
            end, part = directory.end(), "."
        else:
            end = (
                _reference_end(text, position)
                if text[position] == "$" and position + 1 < len(text)
                else position + 1
            )
            part = (
                _value(text[position:end], values, expanding | {name}, memo)
                if end > position + 1
                else text[position]
            )
        size += len(part)
        if size > MAX_EXPANSION:
            memo[name] = unknown
            return unknown
        parts.append(part)
        position = end
    value = "".join(parts)
    if engine_variable("${" + name + "}") and not (mentions_tool(value) or mentions_engine_variable(value)):
        value = "${" + name + "}"  # the engine, chosen at run time (`$(if $(shell ...),podman,docker)`)
    memo[name] = value
    return value


def _name(reference: str) -> str:
    """`VAR` of `$(VAR)`, `${VAR}` or `$V` (a function call's whole text for `$(shell ...)`)."""
    return reference[2:-1] if reference[1:2] in ("(", "{") else reference[1:]


def _span(host: HostFile, start: int, end: int) -> Span:
    return Span(host.path, *host.point(start), *host.point(end))


def _reference_end(line: str, start: int) -> int:
    """The end of the make reference at `start` (`$$`, `$X`, `$(...)` or `${...}`, nested)."""
    opener = line[start + 1]
    if opener not in "({":
        return start + 2
    closer = ")" if opener == "(" else "}"
    depth = 0
    for index in range(start + 1, len(line)):
        if line[index] == opener:
            depth += 1
        elif line[index] == closer:
            depth -= 1
            if depth == 0:
                return index + 1
    return len(line)
