"""The docker/podman/nerdctl command-line grammar: one invocation -> model objects.

Table-driven from docs/semantics.md section 1.  Every command of these
tools parses its flags with `spf13/pflag`:

* `--flag=value`, `--flag value`, `-f value`, `-fvalue`, `-f=value`;
* a boolean flag never takes the next word (`--privileged false` is
  privileged, and `false` is the image); only `--privileged=false` (or `=0`,
  `=f`, ...) turns it off;
* a value flag always takes the next word, even when it starts with `-`;
* in a cluster of short flags (`-itp 8080:80`) booleans take nothing and the
  first value-taking letter takes the rest of the cluster, or the next word;
* `--` ends the flags;
* `run`, `create`, `exec`, `service create` and `compose run` stop at the
  first positional word: it is the IMAGE (or container, or service) and every
  later word belongs to the container's command (`docker run alpine
  --privileged` is not privileged).

A flag the tables do not know is taken as a boolean (docker would refuse the
command; guessing that it takes no value keeps the IMAGE where it most
likely is).  Podman's `run`/`create` are the exception: its documented
grammar says every flag outside its boolean list takes a value.

What comes out: `run`/`create`/`container run|create` and `compose run` and
`service create` -> Workload; `exec` -> Exec; `network create` -> Network;
`build`/`buildx build` -> Build.  Every value keeps the span of the word it
was written in (the flag's own word for `--net=host`, the value word for
`--net host`); `Workload.keys` maps the compose-equivalent key to the span of
the flag word.  A value that may differ at run time is recorded in
`Project.possible_values`; a security-relevant value that is only known at
run time is a CL008 diagnostic and stays out of the model.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from functools import cache, cached_property

from composelint import settings
from composelint.model import (
    Build,
    Diagnostic,
    Exec,
    Located,
    Mount,
    Network,
    NetworkAttachment,
    Origin,
    PortBinding,
    PortError,
    Project,
    Run,
    Span,
    Variable,
    Workload,
)
from composelint.patterns import lazy_pattern
from composelint.records import field, fields, record, replace
from composelint.sources.compose.reader import parse_volume_short
from composelint.sources.docker_cli.words import UNKNOWN, Invocation, Word
from composelint.sources.ports import parse_short
from composelint.values import number_past_bound, parse_go_bool, parse_image, parse_integer

# --------------------------------------------------------------------------
# Flag tables (docs/semantics.md 1.1-1.4)
# --------------------------------------------------------------------------


@record(frozen=True)
class FlagTable:
    """Which flags of one command take a value, and what their short letters stand for."""

    values: frozenset[str]
    booleans: frozenset[str]
    short: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    interspersed: bool = False  # flags may follow positional words
    unknown_takes_value: bool = False  # podman run: every non-boolean flag takes a value

    def canonical(self, name: str) -> str:
        return self.aliases.get(name, name)

    def takes_value(self, name: str) -> bool | None:
        """True/False for a known flag, None for an unknown one."""
        if name in self.booleans:
            return False
        if name in self.values:
            return True
        return None

    @cached_property
    def by_word(self) -> dict[str, tuple[str, bool, bool]]:
        """A word that is one flag of the table and nothing more (`--network`, `-p`): its
        (canonical name, takes a value, known), so that most flag words are one lookup."""
        words = {}
        for name in self.values | self.booleans | self.aliases.keys():
            canonical = self.canonical(name)
            words["--" + name] = (canonical, *_takes_value(self, canonical))
        for letter, name in self.short.items():
            words["-" + letter] = (name, *_takes_value(self, name))
        return words


def _table(values: str, booleans: str, short: str = "", aliases: str = "", **options) -> FlagTable:
    """Tables written as text: `values`/`booleans` are long names, `short` is `p=publish ...`."""
    return FlagTable(
        frozenset(values.split()),
        frozenset(booleans.split()),
        dict(item.split("=") for item in short.split()),
        dict(item.split("=") for item in aliases.split()),
        **options,
    )


DOCKER_ROOT = _table(
    "config context host log-level tlscacert tlscert tlskey",
    "debug tls tlsverify version help",
    "c=context H=host l=log-level D=debug v=version h=help",
)
PODMAN_ROOT = _table(
    "connection url host identity root runroot log-level module config context storage-driver storage-opt "
    "tmpdir cgroup-manager conmon events-backend hooks-dir network-cmd-path network-config-dir runtime "
    "runtime-flag ssh volumepath imagestore db-backend network-backend registries-conf cdi-spec-dir out",
    "remote syslog trace noout help version transient-store",
    "c=connection H=host r=remote v=version h=help",
)
NERDCTL_ROOT = _table(
    "address host namespace snapshotter storage-driver cni-path cni-netconfpath data-root cgroup-manager "
    "host-gateway-ip hosts-dir bridge-ip config",
    "debug debug-full insecure-registry experimental version help",
    "a=address H=host n=namespace v=version h=help",
)
ROOT_TABLES = {"docker": DOCKER_ROOT, "podman": PODMAN_ROOT, "nerdctl": NERDCTL_ROOT}


def _command_table(
    command: str, values: str, booleans: str, short: str = "", aliases: str = "", **options
) -> FlagTable:
    """`_table` for a command whose model-relevant flags come from the settings table;
    the text lists the flags no setting reads, which still decide where the IMAGE is."""
    listed = [flag for flag, _ in settings.flags_of(command)]
    if options.pop("podman", False):
        listed = [flag for flag in listed if not flag.docker_only]
    table = _table(values, booleans, short, aliases, **options)
    return FlagTable(
        table.values | {f.name for f in listed if not f.boolean},
        table.booleans | {f.name for f in listed if f.boolean},
        {**table.short, **{f.short: f.name for f in listed if f.short}},
        {**table.aliases, **{alias: f.name for f in listed for alias in f.aliases}},
        table.interspersed,
        table.unknown_takes_value,
    )


_RUN_VALUES = (
    "annotation attach blkio-weight blkio-weight-device cidfile cpu-count cpu-percent cpu-period cpu-quota "
    "cpu-rt-period cpu-rt-runtime cpu-shares cpuset-cpus cpuset-mems detach-keys device-cgroup-rule "
    "device-read-bps device-read-iops device-write-bps device-write-iops dns-option domainname entrypoint env "
    "env-file gpus group-add health-interval health-retries health-start-interval health-start-period "
    "health-timeout io-maxbandwidth io-maxiops ip ip6 isolation kernel-memory label label-file link-local-ip "
    "log-opt memory-reservation memory-swap memory-swappiness network-alias oom-score-adj platform pull "
    "runtime shm-size stop-signal stop-timeout storage-opt ulimit volume-driver volumes-from workdir"
)
_RUN_SHORT = "a=attach c=cpu-shares e=env i=interactive l=label q=quiet t=tty w=workdir"
_RUN_ALIASES = "net-alias=network-alias dns-opt=dns-option"
DOCKER_RUN = _command_table(
    settings.RUN,
    _RUN_VALUES,
    "disable-content-trust help init interactive oom-kill-disable quiet sig-proxy tty",
    _RUN_SHORT,
    _RUN_ALIASES,
)
PODMAN_RUN = _command_table(
    settings.RUN,
    _RUN_VALUES,
    "disable-content-trust env-host help http-proxy init interactive no-hostname no-hosts "
    "oom-kill-disable passwd quiet read-only-tmpfs replace rmi rootfs sig-proxy tty unsetenv-all tls-verify",
    _RUN_SHORT,
    _RUN_ALIASES,
    unknown_takes_value=True,
    podman=True,
)
EXEC = _command_table(
    settings.EXEC,
    "detach-keys env env-file workdir preserve-fds preserve-fd",
    "detach interactive tty help latest",
    "d=detach e=env i=interactive t=tty w=workdir l=latest",
)
NETWORK_CREATE = _command_table(
    settings.NETWORK_CREATE,
    "label scope config-from ipam-driver subnet ip-range gateway aux-address ipam-opt dns interface-name route",
    "ipv4 ingress config-only help disable-dns ignore",
    interspersed=True,
)
SERVICE_CREATE = _command_table(
    settings.SERVICE_CREATE,
    "config constraint container-label credential-spec dns-option endpoint-mode entrypoint env env-file "
    "generic-resource group health-interval health-retries health-start-interval health-start-period "
    "health-timeout isolation label log-opt max-concurrent mode oom-score-adj placement-pref replicas "
    "replicas-max-per-node reserve-cpu reserve-memory restart-condition restart-delay restart-max-attempts "
    "restart-window rollback-delay rollback-failure-action rollback-max-failure-ratio rollback-monitor "
    "rollback-order rollback-parallelism secret stop-grace-period stop-signal ulimit update-delay "
    "update-failure-action update-max-failure-ratio update-monitor update-order update-parallelism workdir",
    "detach init no-resolve-image quiet tty with-registry-auth help",
    "d=detach e=env l=label q=quiet t=tty w=workdir",
    "dns-opt=dns-option",
)
BUILD = _command_table(
    settings.BUILD,
    "add-host allow annotation attest build-arg build-context builder cache-from cache-to call cgroup-parent "
    "file iidfile label metadata-file no-cache-filter output platform progress provenance sbom secret "
    "shm-size ssh tag target ulimit cpu-period cpu-quota cpu-shares cpuset-cpus cpuset-mems memory memory-swap "
    "isolation security-opt",
    "check load no-cache pull push quiet rm force-rm squash debug compress disable-content-trust help",
    "f=file t=tag o=output q=quiet c=cpu-shares m=memory D=debug",
    interspersed=True,
)
BUILDX = _table("builder", "debug help", "D=debug")
COMPOSE_ROOT = _table(
    "file project-name profile env-file project-directory ansi progress parallel workdir",
    "compatibility dry-run all-resources verbose help version",
    "f=file p=project-name v=version h=help",
)
# `stop`/`kill`/`rm` of containers (`rm` ends a running one only with `--force`).
STOP = _table(
    "time timeout signal",
    "force volumes link all help",
    "t=time s=signal f=force v=volumes l=link a=all",
    interspersed=True,
)
COMPOSE_RUN = _command_table(
    settings.COMPOSE_RUN,
    "entrypoint env env-from-file label pull workdir",
    "build interactive no-deps no-TTY quiet-pull remove-orphans service-ports use-aliases quiet "
    "quiet-build tty help",
    "e=env i=interactive l=label P=service-ports q=quiet T=no-TTY t=tty w=workdir",
)

# Podman splits these on commas (StringSlice); docker never does (docs/semantics.md 1.4).
PODMAN_COMMA_LISTS = frozenset(
    [
        "publish",
        "dns",
        "dns-option",
        "dns-search",
        "add-host",
        "network-alias",
        "expose",
        "cap-add",
        "cap-drop",
        "sysctl",
    ]
)

_LONG_NETWORK = lazy_pattern(r"\w+=\w+(,\w+=\w+)*")  # docker's (unanchored) test for `--network name=x,...`
_DOCKER_MODES = ("host", "none", "bridge", "default")
_PODMAN_MODES = ("host", "none", "bridge", "private", "pasta", "slirp4netns", "pod")

# --------------------------------------------------------------------------
# pflag
# --------------------------------------------------------------------------


@record(slots=True, unsafe_hash=True)  # not frozen, as Word (words.py): four per command
class Flag:
    """One flag as pflag reads it."""

    name: str  # canonical long name: "publish", "network"
    written: str  # as written: "-p", "--net"
    word: Word  # the word holding the flag
    value: str | None = None  # None: a boolean given without `=value`
    value_word: Word | None = None  # the word holding the value (the flag's own word when glued)
    known: bool = True

    @property
    def span(self) -> Span:
        """Where the flag's value is written (the flag word for a boolean or a glued value)."""
        return (self.value_word or self.word).span

    @property
    def source(self) -> Word:
        return self.value_word or self.word

    def shown(self) -> str:
        """The flag and its value as written in the script, for messages."""

        def text(word: Word) -> str:
            return word.written or word.text.replace(UNKNOWN, "…")

        if self.value_word is None or self.value_word is self.word or self.value_word.span == self.word.span:
            return text(self.word)  # one word, or both split from one expansion (`$OPTS`)
        return f"{text(self.word)} {text(self.value_word)}"


@record(slots=True)
class Parsed:
    flags: list[Flag] = field(default_factory=list)
    positionals: list[Word] = field(default_factory=list)
    rest: list[Word] = field(default_factory=list)  # after the stopping positional
    dynamic: list[Word] = field(default_factory=list)  # words only known at run time, in flag position


# A documentation placeholder in a port (`-p <host_port>:<app_port>`): a number the reader fills in,
# only known then; not an invalid port, and not read, as a value only known at run time is not.
_PORT_PLACEHOLDER = lazy_pattern(r"<[A-Za-z][\w.\- ]*>")
_NAME_PARTS = lazy_pattern(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_OPTION_PARTS = ("OPT", "ARG", "FLAG", "PARAM", "EXTRA")
_IMAGE_PARTS = ("IMAGE", "IMG", "TAG")


def _looks_like_options(words: list[Word], index: int) -> bool:
    """An unknown word in flag position: options (`$DOCKER_OPTS`) or the IMAGE (`"$IMAGE"`)?

    The variable's name is read part by part (`target_image` is `target` + `image`, not `ARG`)."""
    written = words[index].written or ""
    if any(hint in written for hint in ("$@", "${@", "[@]", "$*", "[*]")):
        return True  # `"${args[@]}"`, a wrapper function's `"$@"`
    parts = [part.upper() for part in _NAME_PARTS.findall(written)]
    if any(part.startswith(_IMAGE_PARTS) for part in parts):
        return False
    if any(part.startswith(_OPTION_PARTS) for part in parts):
        return True  # `$DOCKER_OPTS`, `$runArgs`
    following = words[index + 1] if index + 1 < len(words) else None
    return following is not None and following.text.startswith("-")


def parse_flags(words: list[Word], table: FlagTable, stop_at: int = 1) -> Parsed:
    """Split words into flags and positionals with pflag's rules.

    Without interspersed flags, parsing stops at the `stop_at`-th positional
    word: it and everything after it go to `positionals` / `rest`.
    """
    parsed = Parsed()
    flags = parsed.flags
    by_word = table.by_word
    index = 0
    count = len(words)
    while index < count:
        word = words[index]
        text = word.text
        whole = by_word.get(text)
        if whole is not None:  # `--network`, `-p`: what `_long_flag` and `_short_flags` make of it
            name, takes, known = whole
            if takes and index + 1 < count:
                index += 1
                flags.append(Flag(name, text, word, words[index].text, words[index], known))
            else:  # a boolean, or a value flag without its value: docker says "needs an argument"
                flags.append(Flag(name, text, word, None, None, known))
            index += 1
            continue
        if text == "--":
            remaining = words[index + 1 :]
            if table.interspersed:
                parsed.positionals.extend(remaining)
            else:
                need = stop_at - len(parsed.positionals)
                parsed.positionals.extend(remaining[:need])
                parsed.rest.extend(remaining[need:])
            break
        if text.startswith(UNKNOWN) and _looks_like_options(words, index):
            parsed.dynamic.append(word)
        elif text.startswith("--") and len(text) > 2:
            index = _long_flag(words, index, table, parsed)
        elif text.startswith("-") and len(text) > 1:
            index = _short_flags(words, index, table, parsed)
        else:
            parsed.positionals.append(word)
            if not table.interspersed and len(parsed.positionals) >= stop_at:
                parsed.rest = words[index + 1 :]
                break
        index += 1
    return parsed


def _takes_value(table: FlagTable, name: str) -> tuple[bool, bool]:
    """(takes a value, known)."""
    takes = table.takes_value(name)
    if takes is None:
        return table.unknown_takes_value, False
    return takes, True


def _long_flag(words: list[Word], index: int, table: FlagTable, parsed: Parsed) -> int:
    word = words[index]
    name, equals, value = word.text[2:].partition("=")
    if UNKNOWN in name:
        parsed.dynamic.append(word)
        return index
    canonical = table.canonical(name)
    takes, known = _takes_value(table, canonical)
    written = "--" + name
    if equals:
        parsed.flags.append(Flag(canonical, written, word, value, word, known))
    elif takes:
        if index + 1 < len(words):
            parsed.flags.append(
                Flag(canonical, written, word, words[index + 1].text, words[index + 1], known)
            )
            return index + 1
        parsed.flags.append(Flag(canonical, written, word, None, None, known))  # docker: "needs an argument"
    else:
        parsed.flags.append(Flag(canonical, written, word, None, None, known))
    return index


def _short_flags(words: list[Word], index: int, table: FlagTable, parsed: Parsed) -> int:
    word = words[index]
    cluster = word.text[1:]
    while cluster:
        letter = cluster[0]
        if letter == UNKNOWN:
            parsed.dynamic.append(word)
            break
        name = table.short.get(letter, letter)
        takes, known = (
            _takes_value(table, name) if letter in table.short else (table.unknown_takes_value, False)
        )
        written = "-" + letter
        if len(cluster) > 2 and cluster[1] == "=":
            parsed.flags.append(Flag(name, written, word, cluster[2:], word, known))
            break
        if not takes:
            parsed.flags.append(Flag(name, written, word, None, None, known))
            cluster = cluster[1:]
            continue
        if len(cluster) > 1:
            parsed.flags.append(Flag(name, written, word, cluster[1:], word, known))
        elif index + 1 < len(words):
            parsed.flags.append(Flag(name, written, word, words[index + 1].text, words[index + 1], known))
            return index + 1
        else:
            parsed.flags.append(Flag(name, written, word, None, None, known))
        break
    return index


def parse_bool(flag: Flag) -> bool | None:
    """A boolean flag's value: True without `=value`, else Go's ParseBool (None: unknown or invalid)."""
    return True if flag.value is None else parse_go_bool(flag.value)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


@record(frozen=True, slots=True)
class Command:
    """Which command an invocation runs, after the tool's global flags."""

    kind: str  # run | create | exec | network-create | service-create | build | compose-run | other
    tool: str  # docker | podman | nerdctl
    word: Word  # the subcommand word (`run`, `create`, `exec`, `build`); the tool's for `other`
    args: list[Word]  # the words after it
    # It runs on another machine: through `ssh`, or global flags naming a context or connection,
    # or an `ssh://` host (`-H unix://...` and `tcp://docker:2375` stay on the job's).
    remote: bool = False


def classify(invocation: Invocation) -> Command:
    """Skip the tool's global flags and find the subcommand."""
    tool = invocation.tool
    words = invocation.words[1:]
    through_ssh = invocation.via == "ssh"
    if tool in ("docker-compose", "podman-compose"):
        kind, word, args = _compose(invocation.words[0], words)
        return Command(kind, tool.split("-")[0], word, args, through_ssh)
    table = ROOT_TABLES.get(tool, DOCKER_ROOT)
    if words and not table.interspersed and not words[0].text.startswith(("-", UNKNOWN)):
        # The subcommand comes first (most commands): parse_flags' answer, and no global flag.
        first, rest, remote = words[0], words[1:], through_ssh
    else:
        parsed = parse_flags(words, table)
        if not parsed.positionals:
            return Command("other", tool, invocation.words[0], [], through_ssh)
        first, rest = parsed.positionals[0], parsed.rest
        remote = through_ssh or (tool in ROOT_TABLES and any(map(_sends_elsewhere, parsed.flags)))
    kind, word, args = _subcommand(first, rest)
    return Command(kind, tool, word, args, remote)


def _subcommand(first: Word, rest: list[Word]) -> tuple[str, Word, list[Word]]:
    """(kind, word, args) of the command whose first word after the tool's global flags is `first`."""
    name = first.text
    second = rest[0].text if rest else ""
    if name in ("run", "create"):
        return name, first, rest
    if name == "exec":
        return "exec", first, rest
    if name == "build" or (name in ("image", "builder") and second == "build"):
        return "build", first if name == "build" else rest[0], rest if name == "build" else rest[1:]
    if name == "container" and second in ("run", "create", "exec"):
        return second, rest[0], rest[1:]
    if name in _STOPS or (name == "container" and second in _STOPS):
        return "stop", first, rest if name in _STOPS else rest[1:]
    if name == "network" and second == "create":
        return "network-create", rest[0], rest[1:]
    if name == "service" and second == "create":
        return "service-create", rest[0], rest[1:]
    if name == "buildx":
        group = parse_flags(rest, BUILDX)
        if group.positionals and group.positionals[0].text in ("build", "b"):
            return "build", group.positionals[0], group.rest
    if name == "compose":
        return _compose(first, rest)
    return "other", first, rest


# Global flags that send the command to another daemon than the local one.
_REMOTE_FLAGS = frozenset({"context", "connection", "url"})


def _sends_elsewhere(flag: Flag) -> bool:
    return flag.name in _REMOTE_FLAGS or (flag.name == "host" and (flag.value or "").startswith("ssh://"))


def _compose(compose: Word, words: list[Word]) -> tuple[str, Word, list[Word]]:
    """`docker compose ...` / `docker-compose ...`: `compose` is the word naming it."""
    parsed = parse_flags(words, COMPOSE_ROOT)
    if parsed.positionals and parsed.positionals[0].text == "run":
        return "compose-run", parsed.positionals[0], parsed.rest
    if parsed.positionals and parsed.positionals[0].text in ("down", "stop", "kill"):
        return "compose-stop", parsed.positionals[0], parsed.rest
    return "other", compose, []


_STOPS = ("stop", "kill", "rm", "remove")


def _stopped(command: Command) -> list[str] | None:
    """The names of the containers a `stop`/`kill`/`rm --force` command ends (`None`: every one)."""
    parsed = parse_flags(command.args, STOP)
    flags = {flag.name for flag in parsed.flags}
    if command.word.text in ("rm", "remove") and "force" not in flags:
        return []  # `rm` of a running container fails
    return (
        None if "all" in flags else [word.text if word.known else word.written for word in parsed.positionals]
    )


# --------------------------------------------------------------------------
# The reader: invocations -> model
# --------------------------------------------------------------------------


def _settings_by_flag(command: str) -> dict[str, list[tuple[settings.Flag, settings.Setting]]]:
    """Canonical flag name -> the settings it sets (`network`: network_mode and networks)."""
    index: dict[str, list[tuple[settings.Flag, settings.Setting]]] = {}
    for flag, setting in settings.flags_of(command):
        index.setdefault(flag.name, []).append((flag, setting))
    return index


_CONTAINER_COMMANDS = (settings.RUN, settings.SERVICE_CREATE, settings.COMPOSE_RUN)
# A flag another container command does not know is read as `docker run` reads it (docker
# would refuse the command; the value is still what the user meant).
_SET_BY = {
    command: {
        **(_settings_by_flag(settings.RUN) if command in _CONTAINER_COMMANDS else {}),
        **_settings_by_flag(command),
    }
    for command in (*_CONTAINER_COMMANDS, settings.EXEC, settings.NETWORK_CREATE, settings.BUILD)
}


_CONTAINER_TABLES = {"compose-run": COMPOSE_RUN, "service-create": SERVICE_CREATE}


def _table_command(command: Command) -> str:
    """The settings table's name for the command: `run` and `create` share their flags."""
    return command.kind if command.kind in _SET_BY else settings.RUN


def _sets(command: str, flag: Flag) -> tuple[str, ...]:
    """The settings `flag` sets in `command` (`--network`: network_mode and networks)."""
    return tuple(setting.name for _, setting in _SET_BY[command].get(flag.name, ()))


def _shown(text: str) -> str:
    return text.replace(UNKNOWN, "…")


_DEFAULTS = ("bridge", "default", "private", "")


def _merge(workload: Workload, other: Workload) -> list[Span]:
    """Add `other`'s settings to `workload` (see `alternatives`); the spans of those taken."""
    taken: list[Span] = []
    for setting in fields(Workload):
        mine, theirs = getattr(workload, setting.name), getattr(other, setting.name)
        if isinstance(mine, list):
            added = [item for item in theirs if item not in mine]
            mine.extend(added)
            taken += [item.span for item in added if hasattr(item, "span")]
        elif isinstance(theirs, Located) and (
            mine is None
            or (
                (getattr(mine.value, "written", mine.value) in _DEFAULTS or mine.value is False)
                and mine.value != theirs.value
            )
        ):
            setattr(workload, setting.name, theirs)
            taken.append(theirs.span)
    for key, span in other.keys.items():
        workload.keys.setdefault(key, span)
    return taken


def _written_value(flag: Flag) -> str:
    """A flag's value as the script writes it (`"$cid":db`), for a value only known at run time."""
    word = flag.source
    if not word.written or flag.value is None:
        return _shown(flag.value or "")
    if word is flag.word:  # glued: `--link=$cid:db`, `-l$x`
        return word.written.partition("=")[2] if word.written.startswith("--") else word.written[2:]
    return word.written


@record
class Timeline:
    """How far the commands read into a project in order have got (a script's, a CI job's steps, a
    recipe's lines): the next block read into it runs after them.  Kept as the blocks are read, so
    reading one does not look again at every container of the blocks before it.  Its reader keeps
    it (`read_invocations`), not the project: rules do not read it."""

    clock: int = 0  # the latest start or end of a container (`Run`) so far
    running: dict[str, list[Workload]] = field(default_factory=dict)  # not stopped yet, by each name


class CommandLineReader:
    """Reads the invocations of one script into one project; with a `timeline`, in order after
    the commands it has read (earlier blocks of the same project), continuing it."""

    def __init__(self, project: Project, timeline: Timeline | None = None):
        self.project = project
        self.unnamed: dict[str, int] = {}  # image shown -> containers without --name run from it so far
        self.timeline = timeline or Timeline()
        # The position of the command read, when commands run in order.
        self.clock: int | None = None if timeline is None else timeline.clock
        self.running = self.timeline.running  # containers not stopped yet, by each name they have

    # -- helpers -------------------------------------------------------------
    def diagnose(self, flag_text: str, sets: tuple[str, ...], span: Span) -> None:
        """CL008 for a flag whose value is only known at run time; its rule names the rules that
        read `sets` and cannot decide."""
        self.project.diagnostics.append(
            Diagnostic("CL008", f"`{flag_text}` is only known at run time", span, settings=sets)
        )

    def past_bound(self, value: str, span: Span) -> bool:
        """CL010 when `value` holds a number past the integer bound (it is not read then)."""
        message = number_past_bound(value)
        if message:
            self.project.diagnostics.append(Diagnostic("CL010", message, span))
        return message is not None

    def note(self, word: Word, span: Span | None = None) -> None:
        """A possible (not definite) value: findings on it are reported one severity lower."""
        if word.certainty == "possible" and word.origin is not None:
            self.project.possible_values[span or word.span] = word.origin

    def value(self, flag: Flag, command: str) -> str | None:
        """The flag's value if it is known; a CL008 diagnostic for an unknown value of a setting."""
        if flag.value is None:
            return None
        if UNKNOWN in flag.value:
            if _sets(command, flag):
                self.diagnose(flag.shown(), _sets(command, flag), flag.span)
            return None
        self.note(flag.source)
        return flag.value

    def boolean(self, flag: Flag, command: str) -> bool | None:
        if flag.value is not None and UNKNOWN in flag.value:
            if _sets(command, flag):
                self.diagnose(flag.shown(), _sets(command, flag), flag.span)
            return None
        self.note(flag.source)
        return parse_bool(flag)

    def dynamic(self, command: str, parsed: Parsed) -> None:
        for word in parsed.dynamic:
            self.project.diagnostics.append(
                Diagnostic(
                    "CL008",
                    f"`{word.written or _shown(word.text)}` is only known at run time: the `{command}` "
                    "flags it adds cannot be checked by any rule",
                    word.span,
                )
            )

    # -- dispatch --------------------------------------------------------------
    def read(self, invocation: Invocation) -> None:
        if invocation.certainty != "definite":
            # Only taken to be an invocation: every finding on its words is possible, and says why.
            for word in invocation.words:
                self.project.possible_values.setdefault(word.span, invocation.words[0].span)
                self.project.possible_reasons.setdefault(word.span, invocation.reason)
        command = classify(invocation)
        if self.clock is not None:
            self.clock += 1
        if command.kind in ("run", "create", "compose-run", "service-create"):
            before = len(self.project.workloads)
            read = self.read_container(command)
            if len(self.project.workloads) > before:
                self.project.workloads[-1].remote = command.remote
                self.timed(self.project.workloads[-1], command, invocation, read)
            if invocation.variants and len(self.project.workloads) > before:
                self.alternatives(self.project.workloads[-1], invocation)
        elif command.kind in ("stop", "compose-stop") and self.clock is not None:
            self.stop(command, self.clock)
        elif command.kind == "exec":
            self.read_exec(command)
        elif command.kind == "network-create":
            self.read_network(command)
        elif command.kind == "build":
            self.read_build(command)

    def timed(
        self, workload: Workload, command: Command, invocation: Invocation, read: tuple[FlagTable, Parsed]
    ) -> None:
        """When the container runs, if commands run in order: until the script stops it, or only
        during its own command when the script waits for it (`run` without `--detach` or `&`).
        `read`: the table and flags `read_container` parsed the command with (reused when the
        table is the same)."""
        if self.clock is None:
            return
        table = COMPOSE_RUN if command.kind == "compose-run" else DOCKER_RUN
        flags = (read[1] if read[0] is table else parse_flags(command.args, table)).flags
        detached = invocation.background or command.kind in ("create", "service-create")
        detached = detached or any(flag.name == "detach" and parse_bool(flag) is not False for flag in flags)
        names = {workload.name}
        for flag in flags:  # a name only known at run time is stopped by the same words
            if flag.name == "name" and flag.value is not None and not flag.source.known:
                written = flag.source.written
                names.add(written.partition("=")[2] if flag.source is flag.word else written)
        workload.runs = Run(self.clock, None if detached else self.clock, frozenset(names))
        self.timeline.clock = self.clock
        if detached:
            for name in names:
                self.running.setdefault(name, []).append(workload)

    def stop(self, command: Command, clock: int) -> None:
        """`docker stop NAME`, `docker rm -f NAME`, `docker compose down`: the running containers
        named (every one for `--all`; those of `compose run` for compose) end here, at `clock`."""
        names = None if command.kind == "compose-stop" else _stopped(command)
        for name in list(self.running) if names is None else names:
            kept = []
            for workload in self.running.pop(name, ()):
                if workload.runs is None or workload.runs.end is not None:
                    continue  # stopped already, by another of its names
                if command.kind == "stop" or workload.origin == Origin.of_command(
                    command.tool, "compose-run"
                ):
                    workload.runs.end = self.timeline.clock = clock
                else:
                    kept.append(workload)  # `compose down` stops no `docker run` container
            if kept:
                self.running[name] = kept

    def alternatives(self, workload: Workload, invocation: Invocation) -> None:
        """Settings of the command's variants (other branches' values) join the container: list
        items are added, and a single setting left at Docker's default or unset takes the
        variant's other value, so a finding is made for any risky alternative."""
        for words in invocation.variants:
            scratch = Project(name=self.project.name)
            CommandLineReader(scratch).read(replace(invocation, words=words, variants=[]))
            taken = [span for other in scratch.workloads for span in _merge(workload, other)]
            for span in taken:  # a finding on a value taken from a branch points at that branch
                if span in scratch.possible_values:
                    self.project.possible_values[span] = scratch.possible_values[span]

    # -- containers ------------------------------------------------------------
    def read_container(self, command: Command) -> tuple[FlagTable, Parsed]:
        """The container a command starts, as a workload of the project; returns the flag table
        and the flags it was read with."""
        table = _CONTAINER_TABLES.get(command.kind, PODMAN_RUN if command.tool == "podman" else DOCKER_RUN)
        parsed = parse_flags(command.args, table)
        if parsed.dynamic:
            label = (
                f"{command.tool} {command.word.text}"
                if command.kind in ("run", "create")
                else {"compose-run": "compose run", "service-create": "service create"}[command.kind]
            )
            self.dynamic(label, parsed)
        if not parsed.positionals and not parsed.dynamic:
            return table, parsed  # no image: docker refuses the command
        # Options only known at run time may hold the image: the container stays, its image unknown.
        target = parsed.positionals[0] if parsed.positionals else parsed.dynamic[-1]
        workload = Workload(
            name="", origin=Origin.of_command(command.tool, command.kind), span=command.word.span
        )
        image = parse_image(target.text) if command.kind != "compose-run" and parsed.positionals else None
        if image is not None and (target.known or image.repository):  # a tag or registry in a variable
            workload.image = Located(image, target.span)
            self.note(target)
        if parsed.rest:
            workload.keys["command"] = parsed.rest[0].span
            workload.command = [Located(word.text, word.span) for word in parsed.rest if word.known]
        for flag in parsed.flags:
            self.container_flag(workload, flag, command)
        self.name(workload, target, parsed)
        self.project.workloads.append(workload)
        return table, parsed

    def name(self, workload: Workload, target: Word, parsed: Parsed) -> None:
        names = [f.value for f in parsed.flags if f.name == "name" and f.value and UNKNOWN not in f.value]
        if names:
            workload.name = names[-1]
            return
        # Image and ordinal, not the line: the name keys fingerprints, baselines and `workloads:`
        # exclusions, which must hold when lines are inserted above.  `#` cannot occur in a
        # container name, so it never equals a `--name`.
        base = parse_image(target.text).basename if target.known else (target.written or _shown(target.text))
        self.unnamed[base] = self.unnamed.get(base, 0) + 1
        workload.name = f"{base} #{self.unnamed[base]}"

    def container_flag(self, workload: Workload, flag: Flag, command: Command) -> None:
        kind = _table_command(command)
        how = _container_flags(kind).get(flag.name)
        if how is None:
            return
        special, boolean, setting, attribute, parse = how
        if special is not None:
            special(self, workload, flag, command)
            return
        value = (self.boolean if boolean else self.value)(flag, kind)
        if value is None:
            return
        # A number past the integer bound is CL010: a list entry is not read, a limit has no amount.
        past_bound = setting.numbers and self.past_bound(str(value), flag.span)
        if isinstance(getattr(workload, attribute), list):
            podman_list = command.tool == "podman" and flag.name in PODMAN_COMMA_LISTS
            items = [] if past_bound else str(value).split(",") if podman_list else [str(value)]
            getattr(workload, attribute).extend(Located(parse(item), flag.span) for item in items if item)
        elif isinstance(value, bool):
            setattr(workload, attribute, Located(value, flag.span))
        else:
            setattr(workload, attribute, Located(parse(value), flag.span))
        workload.keys.setdefault(setting.name, flag.word.span)

    def flag_link(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is None:
            return
        # `--link "$cid":db` links, whatever the container: the run-time part decides nothing.
        value = _written_value(flag) if UNKNOWN in flag.value else self.value(flag, _table_command(command))
        if value:
            workload.links.append(Located(value, flag.span))
            workload.keys.setdefault("links", flag.word.span)

    def flag_env(self, workload: Workload, flag: Flag, command: Command) -> None:
        self.variable(workload.environment, flag)

    def flag_label(self, workload: Workload, flag: Flag, command: Command) -> None:
        self.variable(workload.labels, flag)

    def variable(self, entries: list[Variable], flag: Flag) -> None:
        """`-e KEY=VALUE` / `-l KEY=VALUE`; a value from a variable is not literal."""
        if flag.value is None or flag.value_word is None:
            return
        key, equals, value = flag.value.partition("=")
        written = (flag.value_word.written or flag.value_word.text).partition("=")[2]
        entries.append(
            Variable(
                key, value if equals else None, flag.span, literal="$" not in written and UNKNOWN not in value
            )
        )

    def flag_name(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is not None:
            workload.keys.setdefault("container_name", flag.word.span)

    def flag_health_cmd(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is not None:
            workload.healthcheck = Located(True, flag.span)
            workload.keys.setdefault("healthcheck", flag.word.span)

    def flag_no_healthcheck(self, workload: Workload, flag: Flag, command: Command) -> None:
        if self.boolean(flag, _table_command(command)):
            workload.healthcheck = Located(False, flag.span)
            workload.keys.setdefault("healthcheck", flag.word.span)

    def flag_network(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is not None and flag.value.startswith("container:") and UNKNOWN in flag.value:
            # `--network container:$ID` joins a container's namespace, whichever it is (CL102).
            if workload.network_mode is None:
                written = _written_value(flag)
                workload.network_mode = Located(written[written.find("container:") :], flag.span)
                workload.keys.setdefault("network_mode", flag.word.span)
            return
        value = self.value(flag, _table_command(command))
        if value is None:
            return
        for network in _network_values(
            value, command.tool, first=not workload.networks and not workload.network_mode
        ):
            if _is_mode(network, command.tool):
                if workload.network_mode is None:
                    workload.network_mode = Located(network, flag.span)
                    workload.keys.setdefault("network_mode", flag.word.span)
            elif not any(a.name == network for a in workload.networks):
                workload.networks.append(NetworkAttachment(network, flag.span))
                workload.keys.setdefault("networks", flag.word.span)

    def flag_publish(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is not None:  # published, even where the port is only known at run time
            workload.keys.setdefault("ports", flag.word.span)
        value = self.value(flag, _table_command(command))
        if value is None or self.past_bound(value, flag.span):
            return
        if "<" in value and _PORT_PLACEHOLDER.search(value):
            return
        if command.kind == "service-create":
            results = [_swarm_port(value, flag.span)]
        elif command.tool == "podman":
            results = [_podman_port(piece, flag.span) for piece in value.split(",") if piece]
        else:
            results = [_cli_port(value, flag.span)]
        for result in results:
            if isinstance(result, PortError):
                workload.port_errors.append(result)
            else:
                workload.ports.append(result)

    def flag_volume(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is None:
            return
        value = _project_relative(flag)
        source = _volume_source(value)
        mount = parse_volume_short(_shown(value), flag.span)
        if UNKNOWN in source:
            written_source = _volume_source(_written_value(flag).strip("\"'")).strip("\"'")
            if written_source.startswith("$"):
                mount = replace(mount, source=written_source)
            literal = source.replace(UNKNOWN, "")
            if "/" not in literal and literal and not source.startswith(UNKNOWN + "/"):
                mount = replace(mount, kind="volume")  # `${name}_data`: a named volume
            elif (
                not (literal.startswith("/") and source.startswith(UNKNOWN))
                and not source.startswith("./")  # `$(CURDIR)/$(@D)`: in the project directory
                and not _socket_target(mount)
            ):
                # The whole source is unknown and its target does not say what it is.
                self.diagnose(flag.shown(), ("volumes",), flag.span)
                return
        else:
            self.note(flag.source)
        workload.mounts.append(_in_unit_runtime_dir(mount, flag, _volume_source))
        workload.keys.setdefault("volumes", flag.word.span)

    def flag_mount(self, workload: Workload, flag: Flag, command: Command) -> None:
        if flag.value is None:
            return
        fields = _csv_fields(flag.value)
        if any(UNKNOWN in fields.get(k, "") for k in ("type", "source", "src", "bind-propagation")):
            self.diagnose(flag.shown(), ("volumes",), flag.span)
            return
        self.note(flag.source)
        workload.mounts.append(_in_unit_runtime_dir(_mount(fields, flag.span), flag, _mount_source))
        workload.keys.setdefault("volumes", flag.word.span)

    # -- exec, networks, builds ------------------------------------------------
    def set_from_table(self, target: Exec | Network | Build, flag: Flag, command: str) -> None:
        """Set the attribute of `target` that the settings table names for `flag` in `command`."""
        owner = type(target).__name__ + "."
        for listed, setting in _SET_BY[command].get(flag.name, ()):
            attribute = next((f[len(owner) :] for f in setting.fields if f.startswith(owner)), None)
            value = (self.boolean if listed.boolean else self.value)(flag, command)
            if attribute is not None and value is not None:
                typed = setting.parse(value) if setting.parse and isinstance(value, str) else value
                setattr(target, attribute, Located(typed, flag.span))

    def read_exec(self, command: Command) -> None:
        parsed = parse_flags(command.args, EXEC)
        self.dynamic(f"{command.tool} exec", parsed)
        if not parsed.positionals:
            return
        target = parsed.positionals[0]
        run = Exec(
            container=target.text if target.known else (target.written or _shown(target.text)),
            span=command.word.span,
        )
        for flag in parsed.flags:
            self.set_from_table(run, flag, settings.EXEC)
        self.project.execs.append(run)

    def read_network(self, command: Command) -> None:
        parsed = parse_flags(command.args, NETWORK_CREATE)
        if not parsed.positionals:
            return
        name_word = parsed.positionals[0]
        key = name_word.text if name_word.known else (name_word.written or _shown(name_word.text))
        network = Network(key=key, span=name_word.span)
        for flag in parsed.flags:
            if flag.name == "opt":
                value = self.value(flag, settings.NETWORK_CREATE)
                if value is not None:
                    option, _, setting = value.partition("=")
                    network.driver_opts[option] = Located(setting, flag.span)
            else:
                self.set_from_table(network, flag, settings.NETWORK_CREATE)
        self.project.networks.setdefault(network.key, network)

    def read_build(self, command: Command) -> None:
        parsed = parse_flags(command.args, BUILD)
        build = Build(span=command.word.span)
        for flag in parsed.flags:
            self.set_from_table(build, flag, settings.BUILD)
        self.project.builds.append(build)


# The flags the reader reads its own way, by name: `flag_health_cmd` reads `--health-cmd`.
_FLAG_READERS = {
    name.removeprefix("flag_").replace("_", "-"): method
    for name, method in vars(CommandLineReader).items()
    if name.startswith("flag_")
}


def _as_written(text: str) -> str:
    return text


@cache
def _container_flags(command: str) -> dict[str, tuple]:
    """How `container_flag` reads each flag that sets something in `command`, worked out once:
    (its own reader or None, read as a boolean, the first setting it sets, that setting's
    attribute of a Workload, the setting's parser)."""
    return {
        name: (
            _FLAG_READERS.get(name),
            listed.boolean,
            setting,
            setting.fields[0].partition(".")[2],
            setting.parse or _as_written,
        )
        for name, ((listed, setting), *_) in _SET_BY[command].items()
    }


# --------------------------------------------------------------------------
# Value grammars
# --------------------------------------------------------------------------


def _network_values(value: str, tool: str, first: bool) -> list[str]:
    """The network names (or modes) one `--network` value stands for."""
    if tool == "podman":
        if first and ":" not in value and "," in value:
            return [v for v in value.split(",") if v]  # podman's back-compat list of networks
        name = value.split(":", 1)[0] if not value.startswith(("container:", "ns:")) else value
        return [name]
    if "=" in value and _LONG_NETWORK.search(value):  # most values are a name: no `=`, no scan
        fields = _csv_fields(value.lower())
        return [fields["name"]] if fields.get("name") else []
    return [value]


def _is_mode(network: str, tool: str) -> bool:
    """A namespace mode rather than the name of a network."""
    if network.startswith("container:"):
        return True
    if tool == "podman":
        return network in _PODMAN_MODES or network.startswith("ns:")
    return network in _DOCKER_MODES


def _csv_fields(value: str) -> dict[str, str]:
    """`type=bind,source=/x,readonly` -> {"type": "bind", "source": "/x", "readonly": ""} (keys lower-cased)."""
    try:
        row = next(csv.reader([value]), [])
    except csv.Error:
        row = value.split(",")
    fields: dict[str, str] = {}
    for item in row:
        key, equals, setting = item.partition("=")
        fields[key.strip().lower()] = setting if equals else ""
    return fields


def _cli_port(value: str, span: Span) -> PortBinding | PortError:
    """`-p` of docker run/create: the short grammar, or the CSV form `published=P,target=T[,protocol=X]`."""
    if "=" in value:
        fields = _csv_fields(value)
        if not fields.get("target"):
            return PortError(value, "the CSV form of `-p` needs `target=`", span)
        spec = f"{fields.get('published', '')}:{fields['target']}"
        if fields.get("protocol"):
            spec += "/" + fields["protocol"]
        result = parse_short(spec, span, syntax="cli")
        return replace(result, raw=value)
    return parse_short(value, span, syntax="cli")


def _podman_port(value: str, span: Span) -> PortBinding | PortError:
    """Podman's stricter grammar: bracketed IPv6, equal range lengths, ports 1-65535."""
    result = parse_short(value, span, syntax="cli")
    if isinstance(result, PortError):
        return result
    spec = value.split("/", 1)[0]
    if spec.startswith("["):
        spec = spec.partition("]")[2].lstrip(":")
    elif spec.count(":") > 2:
        return PortError(value, "podman needs brackets around an IPv6 host IP", span)
    else:
        spec = ":".join(spec.split(":")[-2:])
    if any(parse_integer(part) == 0 for part in re.split(r"[:-]", spec)):
        return PortError(value, "podman rejects port 0 (ports are 1-65535)", span)
    if result.host_start is not None and ((result.host_end or result.host_start) - result.host_start) != (
        result.container_end - result.container_start
    ):
        return PortError(value, "podman needs host and container ranges of the same length", span)
    return result


def _swarm_port(value: str, span: Span) -> PortBinding | PortError:
    """`docker service create -p`: `[published:]target[/proto]` or `published=P,target=T,protocol=X,mode=M`."""
    if "=" in value:
        fields = _csv_fields(value.lower())
        if not fields.get("target"):
            return PortError(value, "`--publish` needs `target=`", span)
        spec = f"{fields.get('published', '')}:{fields['target']}" + (
            f"/{fields['protocol']}" if fields.get("protocol") else ""
        )
        return replace(parse_short(spec, span, syntax="cli"), raw=value)
    result = parse_short(value, span, syntax="cli")
    if isinstance(result, PortBinding) and result.host_ip is not None:
        return PortError(
            value, "`docker service create` does not accept a host IP (hostip is not supported)", span
        )
    return result


_PROJECT_DIRECTORY = ("$PWD", "${PWD}", "$(pwd)", "`pwd`")


def _project_relative(flag: Flag) -> str:
    """`-v "$(pwd)/conf:/conf"`: the script's working directory is the project directory."""
    assert flag.value is not None
    if flag.value.startswith(UNKNOWN) and _written_value(flag).strip("\"'").startswith(_PROJECT_DIRECTORY):
        return "." + flag.value[1:]
    return flag.value


def _socket_target(mount: Mount) -> bool:
    """The container path is a runtime socket: what is mounted there is one."""
    target = (mount.target or "").rstrip("/")
    return target.endswith(("/docker.sock", "/podman.sock", "/containerd.sock", "/crio.sock"))


def _in_unit_runtime_dir(mount: Mount, flag: Flag, source_of: Callable[[str], str]) -> Mount:
    """The mount, marked when its source is written below a unit's `%t`, which the unit source
    expands to `/run` (see `Mount`); `source_of` finds the source in the flag's written value.
    The written value is read only for a source below `/run`."""
    source = mount.source or ""
    if source != "/run" and not source.startswith("/run/"):
        return mount
    written = source_of(_written_value(flag).strip("\"'"))
    return replace(mount, in_unit_runtime_dir=True) if written == "%t" or written.startswith("%t/") else mount


def _mount_source(value: str) -> str:
    """The source of `--mount type=bind,source=SRC,...` (`src=` too)."""
    fields = _csv_fields(value)
    return fields.get("source", fields.get("src", ""))


def _volume_source(value: str) -> str:
    """The part of `-v SRC:DST[:OPTS]` that names the host side (a drive letter kept)."""
    if re.match(r"^[A-Za-z]:[\\/]", value):
        return value[:2] + value[2:].split(":", 1)[0]
    return value.split(":", 1)[0] if ":" in value else ""


def _mount(fields: dict[str, str], span: Span) -> Mount:
    kind = fields.get("type") or "volume"
    source = fields.get("source", fields.get("src"))
    target = fields.get("target", fields.get("dst", fields.get("destination")))
    read_only = False
    for key in ("readonly", "ro"):
        if key in fields:
            read_only = fields[key] == "" or parse_go_bool(fields[key]) is True
    propagation = fields.get("bind-propagation") or None
    return Mount(
        kind=kind,
        source=source or None,
        target=target or None,
        read_only=read_only,
        propagation=propagation,
        span=span,
        source_span=span if source else None,
        propagation_span=span if propagation else None,
    )


def read_invocations(
    project: Project, invocations: list[Invocation], timeline: Timeline | None = None
) -> None:
    """Interpret every invocation of one script into `project`.  With a `timeline`: they run one
    after the other as listed (a script's commands), after the blocks read with it before, so a
    container stopped or exited before another starts does not run beside it (`Workload.runs`)."""
    reader = CommandLineReader(project, timeline)
    for invocation in invocations:
        reader.read(invocation)
