"""Differential test: bashlex, an independent bash parser, against parse_script.

For every script under fixtures/shell/ (and fixtures/rules/**/*.sh) that
`bashlex.parse` accepts, a small extractor written here on bashlex's AST
must find the same container-tool invocations as parse_script: same tool,
same first words (up to the first word with an expansion, which bashlex
does not evaluate) and same line.

Not compared, because bashlex cannot see them: nested code (`sh -c '...'`,
`eval`, `ssh host cmd`, here-docs fed to a shell: parse_script reports
them with `via` set) and tools named through a variable (`$DOCKER run`).
Scripts bashlex rejects (about 30% of real scripts: `[[ ]]`, `case`,
arrays, `$(( ))`, `time`, ...) are skipped with bashlex's error as reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from composelint.sources.shell import parse_script

bashlex = pytest.importorskip("bashlex")

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
SCRIPTS = sorted((ROOT / "shell").glob("*.sh")) + sorted((ROOT / "rules").glob("**/*.sh"))
TOOLS = ("docker", "podman", "nerdctl")
WORDS = 3

# Options that take a value, per wrapper (an independent, simpler reading of the same rules).
_WRAPPER_VALUES = {
    "sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-R", "-t", "-T", "-U"},
    "env": {"-u", "-C", "-S"},
    "exec": {"-a"},
    "nohup": set(),
    "time": {"-f", "-o"},
    "timeout": {"-s", "-k"},
    "nice": {"-n"},
    "command": set(),
    "stdbuf": set(),
    "xargs": {"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"},
}


def _children(node):
    """Every AST node below `node` (bashlex hides the later elif branches in a list)."""
    for name in ("parts", "list"):
        for child in getattr(node, name, None) or []:
            yield child
    for name in ("command", "output"):
        child = getattr(node, name, None)
        if hasattr(child, "kind"):
            yield child
    if node.kind == "reservedword" and isinstance(node.word, list):
        yield from node.word


def _strip_wrappers(words: list[str]) -> int:
    i = 0
    while i < len(words):
        name = words[i].rsplit("/", 1)[-1]
        if name not in _WRAPPER_VALUES:
            return i
        if name == "command" and words[i + 1 : i + 2] in (["-v"], ["-V"]):
            return len(words)
        i += 1
        while i < len(words) and words[i].startswith("-") and len(words[i]) > 1:
            option = words[i].split("=", 1)[0]
            i += 2 if option in _WRAPPER_VALUES[name] and "=" not in words[i] else 1
        if name == "timeout":
            i += 1  # the duration
        while name in ("env", "sudo") and i < len(words) and "=" in words[i] and not words[i].startswith("-"):
            i += 1
    return i


def _literal_prefix(words: list[str]) -> tuple[str, ...]:
    prefix = []
    for word in words[:WORDS]:
        if "$" in word or "`" in word:
            break
        prefix.append(word)
    return tuple(prefix)


def bashlex_invocations(text: str) -> list[tuple[str, tuple[str, ...], int]]:
    found = []
    stack = list(bashlex.parse(text))
    while stack:
        node = stack.pop()
        stack.extend(_children(node))
        if node.kind != "command":
            continue
        words = [part for part in node.parts if part.kind == "word"]
        raw = [text[w.pos[0] : w.pos[1]] for w in words]
        start = _strip_wrappers([w.word for w in words])
        if start < len(words) and words[start].word.rsplit("/", 1)[-1] in TOOLS and "$" not in raw[start]:
            line = text.count("\n", 0, words[start].pos[0]) + 1
            texts = [
                w.word if "$" not in r and "`" not in r else r
                for w, r in zip(words[start:], raw[start:], strict=False)
            ]
            found.append((texts[0].rsplit("/", 1)[-1], _literal_prefix(texts), line))
    return sorted(found)


def front_end_invocations(path: Path, text: str) -> list[tuple[str, tuple[str, ...], int]]:
    found = []
    for invocation in parse_script(str(path), text).invocations:
        tool_word = invocation.words[0]
        if invocation.via or "$" in tool_word.written:
            continue  # nested code and tools behind a variable: bashlex cannot see them
        texts = [
            w.text if "$" not in w.written and "`" not in w.written else w.written for w in invocation.words
        ]
        found.append((invocation.tool, _literal_prefix(texts), tool_word.span.line))
    return sorted(found)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_bashlex_and_parse_script_find_the_same_invocations(path: Path):
    text = path.read_bytes().decode("utf-8")
    lf_text = text.replace(
        "\r\n", "\n"
    )  # bashlex keeps the CR inside words; parse_script handles CRLF itself
    try:
        expected = bashlex_invocations(lf_text)
    except Exception as error:  # bashlex raises ParsingError, NotImplementedError, AttributeError, ...
        pytest.skip(f"bashlex rejects {path.name}: {type(error).__name__}: {str(error)[:120]}")
    assert front_end_invocations(path, text) == expected


def test_the_differential_test_compares_something():
    """At least a third of the fixtures must be readable by bashlex, or the test above proves little."""
    accepted = 0
    for path in SCRIPTS:
        try:
            bashlex.parse(path.read_bytes().decode("utf-8").replace("\r\n", "\n"))
            accepted += 1
        except Exception:
            pass
    assert accepted * 3 >= len(SCRIPTS)
