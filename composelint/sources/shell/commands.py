"""What an expanded command line runs: a container tool (behind wrappers such
as `sudo` or `timeout`), nested shell code (`sh -c`, `eval`, `ssh host cmd`),
or a shell that reads its commands from stdin (a here-doc is then code).

Works on the words' texts only (after expansion); positions stay with the caller.
"""

from __future__ import annotations

import re

from composelint.patterns import lazy_pattern
from composelint.records import record
from composelint.sources.docker_cli.words import UNKNOWN
from composelint.sources.shell.lexer import ASSIGNMENT

SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"})


@record(frozen=True)
class Wrapper:
    """A command that runs its operand as a command: which options take a value."""

    short_values: str = ""
    long_values: frozenset[str] = frozenset()
    operands: int = 0  # words before the command (timeout's DURATION)
    assignments: bool = False  # NAME=value words before the command (env, sudo)


WRAPPERS = {
    "sudo": Wrapper(
        "CDghprRtTUu",
        frozenset(
            {
                "close-from",
                "chdir",
                "group",
                "host",
                "prompt",
                "role",
                "chroot",
                "type",
                "command-timeout",
                "other-user",
                "user",
            }
        ),
        assignments=True,
    ),
    "env": Wrapper("uCS", frozenset({"unset", "chdir", "split-string"}), assignments=True),
    "exec": Wrapper("a"),
    "nohup": Wrapper(),
    "time": Wrapper("fo", frozenset({"format", "output"})),
    "timeout": Wrapper("sk", frozenset({"signal", "kill-after"}), operands=1),
    "nice": Wrapper("n", frozenset({"adjustment"})),
    "command": Wrapper(),
    "xargs": Wrapper(
        "adEILnPs",
        frozenset({"arg-file", "delimiter", "max-args", "max-procs", "max-chars", "process-slot-var"}),
    ),
    "stdbuf": Wrapper("ioe", frozenset({"input", "output", "error"})),
    "!": Wrapper(),
}
# Programs that take shell code as string arguments: which options take a value.
RUNNERS = {
    "watch": Wrapper("dnq", frozenset({"differences", "interval", "equexit"})),
    "hyperfine": Wrapper(
        "wrmMnuLP",
        frozenset(
            {
                "warmup",
                "runs",
                "min-runs",
                "max-runs",
                "command-name",
                "time-unit",
                "parameter-list",
                "style",
                "sort",
                "export-asciidoc",
                "export-csv",
                "export-json",
                "export-markdown",
                "export-orgmode",
                "output",
                "shell",
                "reference",
            }
        ),
    ),
    "parallel": Wrapper("jSaIdEnNsXL", frozenset({"jobs", "sshlogin", "arg-file", "delimiter", "max-args"})),
}
_HYPERFINE_CODE_OPTIONS = frozenset({"-p", "--prepare", "-c", "--cleanup", "-s", "--setup", "--conclude"})
_SSH_VALUES = "BbcDEeFIiJLlmOopQRSWw"
_SU_VALUES = "sgGw"


@record(frozen=True)
class Resolution:
    """`tool`: words[index:] are a tool invocation.  `codes`: (start, stop) ranges
    of words that, each joined by blanks, are shell code reached `via`.  `stdin`:
    the command reads shell code from its standard input (a here-doc fed to it is code)."""

    tool: str = ""
    index: int = 0
    codes: tuple[tuple[int, int], ...] = ()
    via: str = ""
    stdin: bool = False


NOTHING = Resolution()


# Variables whose name says they hold the engine (taken from the runconfigs corpus: CONTAINER_CLI,
# CONTAINER_RUNTIME, DOCKER_BIN, CONTAINER_TOOL, DOCKER, PODMAN, DOCKER_COMMAND, ...).  Bare
# RUNTIME/OCI_RUNTIME are left out: they name runc or crun as often as an engine.
_ENGINE_NAME = lazy_pattern(
    r"(?:DOCKER|PODMAN|NERDCTL)(?:_(?:BIN|BINARY|CMD|COMMAND|CLI|EXE|EXEC|PATH))?"
    r"|CONTAINER_(?:CLI|RUNTIME|ENGINE|TOOL|CMD|COMMAND|MANAGER|BIN|BINARY)|OCI_BIN|ENGINE",
    re.IGNORECASE,
)
_VARIABLE_WORD = lazy_pattern(r'"?\$\{?([A-Za-z_][A-Za-z0-9_]*)(?:\}|:-[^}"]*\})?"?')


def engine_variable(written: str) -> str:
    """The engine a word names by its variable's name (`"${CONTAINER_CLI}"` -> docker), or ''."""
    match = _VARIABLE_WORD.fullmatch(written)
    if not match or not _ENGINE_NAME.fullmatch(match.group(1)):
        return ""
    name = match.group(1).lower()
    return next((tool for tool in ("podman", "nerdctl") if tool in name), "docker")


def basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def resolve(words: list[str], tools: frozenset[str]) -> Resolution:
    """Strip wrappers from the front of `words` and say what runs."""
    i = 0
    while i < len(words):
        name = basename(words[i])
        if UNKNOWN in name:
            return NOTHING
        if name in tools:
            return Resolution(tool=name, index=i)
        wrapper = WRAPPERS.get(name)
        if wrapper is None:
            return _nested(words, i, name, tools)
        if name == "command" and any(
            w.startswith("-") and ("v" in w or "V" in w) for w in words[i + 1 : i + 2]
        ):
            return NOTHING  # `command -v docker` only says where docker is
        i = skip_options(words, i + 1, wrapper.short_values, wrapper.long_values)
        if name == "env" and i < len(words) and words[i] == "-":
            i += 1
        i += wrapper.operands
        while wrapper.assignments and i < len(words) and ASSIGNMENT.match(words[i]):
            i += 1
    return NOTHING


def skip_options(words: list[str], i: int, short_values: str, long_values: frozenset[str]) -> int:
    """The index of the first operand: `--opt=v`, `--opt v`, `-abc`, `-ov`/`-o v`, `--` are skipped."""
    while i < len(words):
        word = words[i]
        if word == "--":
            return i + 1
        if not word.startswith("-") or word == "-":
            return i
        i += 1
        if word.startswith("--"):
            if "=" not in word and word[2:] in long_values:
                i += 1
            continue
        for position, letter in enumerate(word[1:], start=1):
            if letter in short_values:
                if position == len(word) - 1:
                    i += 1  # the value is the next word
                break
    return i


def _nested(words: list[str], i: int, name: str, tools: frozenset[str]) -> Resolution:
    if name in SHELLS:
        return _shell(words, i)
    if name == "eval":
        return Resolution(codes=((i + 1, len(words)),), via="eval") if i + 1 < len(words) else NOTHING
    if name == "ssh":
        return _ssh(words, i, tools)
    if name == "su":
        return _su(words, i)
    if name in RUNNERS:
        return _runner(words, i, name)
    return NOTHING


def _runner(words: list[str], i: int, name: str) -> Resolution:
    """Programs that run strings as shell code: `watch CMD...` (joined), `hyperfine 'a' 'b'`
    (each argument; `-p`/`--prepare` too), `parallel 'CMD' ::: ARGS`."""
    runner = RUNNERS[name]
    start = skip_options(words, i + 1, runner.short_values, runner.long_values)
    if name == "watch":
        return Resolution(codes=((start, len(words)),), via=name) if start < len(words) else NOTHING
    if name == "parallel":
        stop = next((k for k in range(start, len(words)) if words[k] in (":::", "::::")), len(words))
        return Resolution(codes=((start, stop),), via=name) if start < stop else NOTHING
    codes, k = [], i + 1
    while k < len(words):  # hyperfine: every positional, and the values of -p/-c/-s
        word = words[k]
        if word in _HYPERFINE_CODE_OPTIONS and k + 1 < len(words):
            codes.append((k + 1, k + 2))
            k += 2
        elif word.startswith("-") and word != "-":
            long_value = word.startswith("--") and "=" not in word and word[2:] in runner.long_values
            k += 2 if long_value or (len(word) == 2 and word[1] in runner.short_values) else 1
        else:
            codes.append((k, k + 1))
            k += 1
    return Resolution(codes=tuple(codes), via=name) if codes else NOTHING


# Words after which a tool word starts an invocation inside an unknown command (`retry 3 docker run`).
DOCKER_SUBCOMMANDS = frozenset(
    {
        "run",
        "create",
        "exec",
        "container",
        "network",
        "service",
        "build",
        "buildx",
        "compose",
        "volume",
        "pod",
    }
)


# The first word of a line of program output quoted as code: a bracketed tag or time (`[1640 ms]`,
# `[INFO]`, `[+]`; `[` and `[[` are the test commands) or a time stamp (`2024-05-01T10:00:00Z`,
# `17:06:16.123`).  No program of that name runs its arguments.
_OUTPUT_START = lazy_pattern(r"\[(?!\[?$).*|\d[\d:.,/+TZ-]*")


def runs_arguments(words: list[str], tools: frozenset[str]) -> int:
    """Where an unknown command seems to run its arguments: the index of a tool word followed
    by a docker subcommand (`retry 3 docker run ...`, `check "label" docker run ...`), or 0.
    A line of program output quoted as code runs nothing: one starting with a bracketed tag or a
    time stamp, or with a label ending in `:` before the tool word (`[1640 ms] Start: Run: docker
    run ...`, a dev container CLI's log in a README)."""
    if not words or _OUTPUT_START.fullmatch(words[0]):
        return 0
    for k in range(1, len(words) - 1):
        if basename(words[k]) in tools and words[k + 1] in DOCKER_SUBCOMMANDS:
            return 0 if any(word.endswith(":") for word in words[:k]) else k
    return 0


def _shell(words: list[str], i: int) -> Resolution:
    """`bash [options] -c CODE`, or a shell reading stdin (`bash`, `bash -s args`)."""
    command, stdin = False, False
    i += 1
    while i < len(words):
        word = words[i]
        if word in ("--", "-"):
            i += 1
            break
        if word in ("--rcfile", "--init-file"):
            i += 2
            continue
        if word.startswith("--"):
            i += 1
            continue
        if len(word) < 2 or word[0] not in "-+":
            break
        letters = word[1:]
        command = command or (word[0] == "-" and "c" in letters)
        stdin = stdin or "s" in letters
        i += 2 if ("o" in letters or "O" in letters) else 1
    if command:
        return Resolution(codes=((i, i + 1),), via="sh -c") if i < len(words) else NOTHING
    return Resolution(stdin=stdin or i >= len(words))


def _ssh(words: list[str], i: int, tools: frozenset[str]) -> Resolution:
    """`ssh [options] host [options] [command...]`: the command words are code on the remote
    host.  Like OpenSSH, options may follow the host (`ssh host -p 22 cmd`)."""
    i, flags, host = i + 1, "", None
    while i < len(words):
        word = words[i]
        if word == "--" or not word.startswith("-") or word == "-":
            i += word == "--"
            if host is not None or word == "--":
                break
            host, i = word, i + 1
            continue
        i += 1
        for position, letter in enumerate(word[1:], start=1):
            if letter in _SSH_VALUES:
                i += position == len(word) - 1  # the value is the next word
                break
            flags += letter
    if host is None and i < len(words):  # `ssh [options] -- host ...`
        host, i = words[i], i + 1
    if host is None or "N" in flags or "s" in flags:
        return NOTHING  # no host; -N: no command; -s: a subsystem
    if i >= len(words):
        return Resolution(stdin=True)
    remote = resolve(words[i:], tools)
    return Resolution(codes=((i, len(words)),), via="ssh", stdin=remote.stdin)


def _su(words: list[str], i: int) -> Resolution:
    """`su [options] [-] [user] -c CODE`."""
    i += 1
    while i < len(words):
        word = words[i]
        if word in ("-c", "--command"):
            return Resolution(codes=((i + 1, i + 2),), via="su -c") if i + 1 < len(words) else NOTHING
        if word.startswith("--command="):
            return NOTHING  # the code shares a word with the option: not mapped
        i += 2 if word[:1] == "-" and word[-1:] in _SU_VALUES and len(word) == 2 else 1
    return NOTHING
