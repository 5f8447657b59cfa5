"""CL0xx: problems of the input itself, found by the front ends."""

from __future__ import annotations

from composelint.model import Diagnostic, Project
from composelint.rules.base import REGISTRY, Finding, rule
from composelint.settings import BY_NAME


def _diagnostics(project: Project, code: str):
    for diagnostic in project.diagnostics:
        if diagnostic.code == code:
            yield _finding(diagnostic, diagnostic.message)


def _finding(diagnostic: Diagnostic, message: str) -> Finding:
    return Finding(
        message,
        diagnostic.span,
        None,
        diagnostic.code,  # the engine numbers repeats in the file; a line number would not survive edits
        related=diagnostic.related,
    )


_NAMED = 3  # rules a message names; `--network` alone decides more than a dozen


def _readers(
    project: Project, diagnostic: Diagnostic, name=lambda rule: f"{rule.code} {rule.name}", separator=", "
) -> str:
    """The selected rules that read a setting the diagnostic is about, most severe first: `CL301
    privileged`, `CL101 host-network, CL102 shared-network-namespace, CL104 default-bridge and 12
    more rules`.  Empty when no selected rule reads one (the front ends do not know the rules)."""
    readers = sorted(
        (
            rule
            for rule in REGISTRY.values()
            if rule.code in project.selected_rules and rule.reads & set(diagnostic.settings)
        ),
        key=lambda rule: (rule.severity.rank, rule.code),
    )
    named = separator.join(name(rule) for rule in readers[:_NAMED])
    more = len(readers) - _NAMED
    return named + (f" and {more} more rule{'s' if more > 1 else ''}" if more > 0 else "")


@rule("CL001", "yaml-syntax-error", "error", "input")
def yaml_syntax_error(project: Project):
    """The file is not valid YAML.

    ## What it does
    Reports the YAML parser's error at its position, and documents that
    exceed the alias-expansion or nesting limits.  It cannot be suppressed
    inline (the comments of a broken file are unreliable), only by path.

    ## Why is this bad?
    Compose refuses the file, and nothing in it can be checked.

    ## Example
    ```yaml
    services:
      web:
        image: "nginx
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: "nginx"
    ```
    """
    yield from _diagnostics(project, "CL001")


@rule("CL002", "compose-schema-violation", "error", "input")
def compose_schema_violation(project: Project):
    """The file violates the Compose Specification schema.

    ## What it does
    Validates each compose file, as written, against the Compose
    Specification JSON schema vendored in `schemas/compose-spec.json`, and
    points at the offending key or value.  An unknown key gets the closest
    valid key as a suggestion; a wrong type or value names what is expected.
    In a Coolify template (marked by Coolify's magic variables such as
    `SERVICE_FQDN_*` or `SERVICE_PASSWORD_*`) the keys Coolify reads and
    strips before Compose sees the file are accepted: `exclude_from_hc` on a
    service, `content`, `is_directory`/`isDirectory` and `mode` on a volume.

    ## Why is this bad?
    Compose refuses the file, or (for a misspelt key such as
    `netwrok_mode`) the setting the author relies on does not exist, and
    nothing else checks it.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        netwrok_mode: bridge
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        network_mode: bridge
    ```
    """
    yield from _diagnostics(project, "CL002")


@rule("CL003", "duplicate-key", "error", "input")
def duplicate_key(project: Project):
    """A mapping has the same key twice.

    ## What it does
    Reports the second occurrence of a key and points at the first.

    ## Why is this bad?
    Compose v2 rejects the file; YAML 1.1 loaders silently keep the last
    value, so other tools see a different configuration than you meant.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        image: nginx:1.26
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
    ```
    """
    yield from _diagnostics(project, "CL003")


@rule("CL004", "interpolation-error", "error", "input")
def interpolation_error(project: Project):
    """A variable reference is malformed.

    ## What it does
    Reports malformed `${...}` expressions.  A required variable
    (`${VAR:?message}`, `${VAR?message}`) without a value is not reported:
    it is an input the person or tool deploying the file gives (Compose
    stops with the file's own message until it is set), and the file is
    linted as if it were unset: CL005 says where a security decision
    waits for it.

    ## Why is this bad?
    Compose refuses the file.

    ## Example
    ```yaml
    services:
      web:
        image: "nginx:${TAG"
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: "nginx:${TAG:-1.27}"
    ```
    """
    yield from _diagnostics(project, "CL004")


@rule("CL005", "unresolved-variable", "info", "input")
def unresolved_variable(project: Project):
    """A variable without value or default decides a security setting.

    ## What it does
    Reports `${VAR}` / `$VAR` with no value and no default where the value
    changes what a rule concludes: `network_mode`, `privileged`, `pid`,
    `ipc`, `uts`, `userns_mode`, `cgroup`, `cap_add`, `security_opt`,
    `devices`, `use_api_socket`, `user`, `read_only`, `build.network`, and
    a network's `driver`, `internal` or `external`.  The message names the selected rules that cannot decide
    (nothing is reported when no selected rule reads the setting: `user` is
    read only by the opt-in CL609) and what
    the empty value and another value would do.  Elsewhere an empty value
    decides nothing and nothing is reported: an image tag, an environment
    value, a host port, a port entry that is only variables (Compose refuses
    it empty: whoever deploys sets it, as templates expect); a variable host
    IP is named by CL202 itself; a bind
    source that starts with an unset variable is a host path the mount rules
    do not guess.  `PWD` and `HOME` are always set by the shell that runs
    Compose: `${PWD}` is the project directory, `${HOME}` is `~`.

    ## Why is this bad?
    Compose substitutes an empty string and the linter reasons about it,
    but the value that runs decides: `network_mode: ${MODE}` is the
    default network when MODE is missing and the host's network when
    `MODE=host`.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        network_mode: ${WEB_NETWORK_MODE}
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        network_mode: ${WEB_NETWORK_MODE:-bridge}
    ```
    """
    for diagnostic in project.diagnostics:
        if diagnostic.code != "CL005":
            continue
        unset = BY_NAME[diagnostic.settings[0]].if_unset
        readers = _readers(project, diagnostic, lambda rule: rule.code, "/")
        if unset is None or not readers:
            continue
        yield _finding(
            diagnostic,
            f"{diagnostic.message}, so {readers} cannot decide: empty, {unset.empty}; a value such as {unset.other}",
        )


@rule("CL006", "reference-not-followed", "warning", "input")
def reference_not_followed(project: Project):
    """A file the project refers to could not be read, so it was not linted.

    ## What it does
    Reports `include`, `extends.file`, env files and `COMPOSE_FILE`
    entries that are missing or unreadable, outside the project root (not
    followed unless `--allow-outside-root`), remote (git, http, oci: never
    fetched), or part of an include or extends cycle.

    ## Why is this bad?
    What was not read is not linted: the project that runs may contain host
    networking or privileged services that no finding mentions.  A coverage
    gap is never silent.

    ## Example
    ```yaml
    include:
      - oci://registry.example.com/stacks/monitoring:1.0
    services:
      app:
        image: ghcr.io/example/app:2.4.1
    ```

    ## Use instead
    Keep what the project runs in files of the project, where it is linted
    (a local `include:` path is followed):
    ```yaml
    services:
      app:
        image: ghcr.io/example/app:2.4.1
      node-exporter:
        image: prom/node-exporter:v1.8.2
    ```
    """
    yield from _diagnostics(project, "CL006")


@rule("CL007", "shell-parse-fallback", "info", "input")
def shell_parse_fallback(project: Project):
    """Part of a shell script was read with the fallback tokenizer.

    ## What it does
    Reports where the shell parser met a construct it cannot handle (or a
    syntax error), and says how many commands were recovered from there on
    by composelint's own tokenizer.  Findings in the recovered commands are
    still reported.  Only in scripts that run `docker`, `podman` or
    `nerdctl`; code built at run time and handed to `eval`, `ssh`, `su -c`
    or `sh -c` is unknown code, not a parse failure, and is not reported;
    neither is a code block of a Markdown document (placeholders such as
    `<image>` are not shell).

    ## Why is this bad?
    The recovered commands are read word by word, without the full shell
    grammar: a `docker run` inside an unusual construct may be missed or
    misread.  Fixing the syntax error (bash would refuse the script too) or
    simplifying the construct makes the analysis exact again.

    ## Example
    ```sh
    if [ -n "$DEBUG" ]; then
      docker run --rm alpine:3.20 true
    ```

    ## Use instead
    ```sh
    if [ -n "$DEBUG" ]; then
      docker run --rm alpine:3.20 true
    fi
    ```
    """
    # A documentation snippet (`docker run -p <port>:80 <image>`) is not a script anyone runs.
    for finding in _diagnostics(project, "CL007"):
        if not project.read_as(finding.span.path, "markdown"):
            yield finding


@rule("CL008", "dynamic-docker-argument", "info", "input", default_on=False)
def dynamic_docker_argument(project: Project):
    """A security-relevant docker flag is only known when the script runs.

    ## What it does
    Reports a `docker`/`podman`/`nerdctl` flag whose value comes from a
    variable, command substitution or argument with no static value, when
    that flag decides a rule: `--network "$MODE"` (CL101, CL102, CL104),
    `--privileged=$X` (CL301), `--pid`, `--ipc`, `--uts`, `--userns`,
    `--cgroupns`, the host IP of `-p`, `--cap-add`, `--security-opt`, the
    source of `-v`/`--mount`, `--device`, `--user`, `docker exec -u` and
    `--privileged`, `docker build --network`, and option lists such as
    `$DOCKER_OPTS`.  The message names the selected rules that could not be
    decided; when no selected rule reads the flag (`-u "$WHO"` is read only
    by the opt-in CL609), nothing is reported.
    Opt-in: judged by hand on the shared corpora, none of 20 of its
    findings was worth acting on (options variables of wrappers, temporary
    directories, values assigned a few lines up by a path the reader does
    not follow); select it to audit what a script leaves to run time.
    A variable with a static value is followed instead: a definite value
    gets the rule's finding, a value that may change (a conditional
    assignment, a default the environment can override) gets it one
    severity lower.  The working directory (`$PWD`, `$(pwd)`; in a Makefile
    recipe `$$PWD`, `$(CURDIR)`, `$(shell pwd)`) is the project directory.

    ## Why is this bad?
    Nothing is checked for that flag: `MODE=host` in the environment turns
    the container into a host-network container without any finding.

    ## Example
    ```sh
    docker run -d --network "$MODE" nginx:1.27
    ```

    ## Use instead
    Write the value in the script, or check the variable before use:
    ```sh
    docker network create backend
    docker run -d --network backend nginx:1.27
    ```
    """
    for diagnostic in project.diagnostics:
        if diagnostic.code != "CL008":
            continue
        if not diagnostic.settings:  # an option list: no rule sees what it adds
            yield _finding(diagnostic, diagnostic.message)
        elif readers := _readers(project, diagnostic):
            yield _finding(diagnostic, f"{diagnostic.message}: {readers} cannot be decided")


@rule("CL009", "internal-error", "error", "input", engine=True)
def internal_error(project: Project):
    """composelint failed unexpectedly on this file; the other files were linted.

    ## What it does
    Reports a file (or project) whose reading or linting raised an error
    composelint did not expect.  The message names the type of the error and
    asks for a report; `--verbose` prints the traceback.  The run goes on with
    the other files, and the finding cannot be suppressed.

    ## Why is this bad?
    Nothing in that file was checked: it may contain host networking or a
    privileged service that no finding mentions.  It is a bug in composelint,
    not in the file; there is no input that is meant to trigger it, so its
    examples below show no failure.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
    ```
    """
    return ()


@rule("CL010", "limit-exceeded", "warning", "input")
def limit_exceeded(project: Project):
    """Input past a documented bound: what lies beyond it is not linted.

    ## What it does
    Reports where a bound of the README's "Security model" was hit: YAML
    nesting and alias expansion (per file and per project), interpolation
    nesting and the growth of values (`.env` and shell), `extends` and
    `include` chain length and files per project, directory depth, shell
    nesting and `eval` expansion, and integer size.  The finding is at the
    position where the bound was hit.

    ## Why is this bad?
    Such input is either an attack on the linter (a billion-laughs alias
    bomb, a `.env` value that doubles forty times) or far beyond what a
    real project needs; linting it completely would take unbounded time or
    memory.  The part past the bound is not linted, so it may hide a
    finding.

    ## Example
    ```yaml
    x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    x-f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    services:
      web:
        image: nginx:1.27
    ```

    ## Use instead
    Write the values out, or use an anchor where it saves repetition:
    ```yaml
    x-logging: &logging
      driver: json-file
    services:
      web:
        image: nginx:1.27
        logging: *logging
    ```
    """
    yield from _diagnostics(project, "CL010")
