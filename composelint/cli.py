"""The command line: `composelint check`, `rule`, `rules`.

Only the report goes to stdout; errors are one line on stderr.  Exit codes:
0 nothing at or above --fail-on, 1 findings at or above it, 2 the linter
could not do its job (usage, unreadable path, internal error).
"""

from __future__ import annotations

import os
import sys

import click

from composelint import __version__
from composelint.discovery import KINDS
from composelint.report.formats import FORMAT_NAMES

FAIL_LEVELS = ("error", "warning", "info", "style", "never")


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(message: str) -> None:
    click.echo(f"composelint: error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="composelint")
def main() -> None:
    """Lint Docker Compose files for host networking, exposed ports and broken isolation."""


def project_options(function):
    """Options that decide which files form a project and how it is loaded (check, model)."""
    options = [
        click.option(
            "-f",
            "--file",
            "compose_files",
            multiple=True,
            type=click.Path(),
            help="Lint these compose files as one project, merged in order (like docker compose -f).",
        ),
        click.option(
            "--env-file",
            "env_files",
            multiple=True,
            type=click.Path(),
            help="Read variables from these files instead of the project's .env.",
        ),
        click.option(
            "--use-process-env",
            is_flag=True,
            help="Also use this process's environment for interpolation (it wins over env files).",
        ),
        click.option(
            "--profile",
            "profiles",
            multiple=True,
            help="Lint only services of these profiles (and those without one). Default: all profiles.",
        ),
        click.option(
            "--allow-outside-root",
            is_flag=True,
            help="Follow include/extends targets outside the project directory.",
        ),
        click.option(
            "--no-merge-overrides",
            is_flag=True,
            help="Lint a compose file without its compose.override.yaml sibling.",
        ),
        click.option("--stdin-filename", help="Name to use for input read from `-`."),
        click.option(
            "--kind",
            "kinds",
            multiple=True,
            type=click.Choice(KINDS),
            help="Lint only these kinds of files in directories (repeatable); with one kind, named files "
            "and standard input are read as that kind (default: every kind, by name and content).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@project_options
@click.option(
    "--output-format",
    "output_format",
    type=click.Choice(["auto", *FORMAT_NAMES]),
    default="auto",
    envvar="COMPOSELINT_OUTPUT_FORMAT",
    show_default=True,
    help="Report format; auto = github under GitHub Actions, else full on a terminal, concise otherwise.",
)
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT:PATH",
    help="Also write a report in FORMAT to PATH (repeatable), e.g. --report sarif:composelint.sarif.",
)
@click.option(
    "--select",
    "select",
    multiple=True,
    help="Rules to run instead of the defaults (codes, prefixes, names, groups, ALL); replaces the "
    "configuration's `select`.",
)
@click.option(
    "--extend-select",
    multiple=True,
    help="Rules to run in addition to the selection; appended to the configuration's `extend-select`.",
)
@click.option("--ignore", multiple=True, help="Rules not to run; replaces the configuration's `ignore`.")
@click.option(
    "--fail-on",
    "--failure-threshold",
    "fail_on",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    help="Exit 1 when a finding of this severity or higher is reported "
    "(default: the configuration's `fail-on`, else warning).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Use this configuration file for every file (default: the nearest .composelint.yaml, "
    ".composelint.yml, composelint.yaml or pyproject.toml [tool.composelint]).",
)
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option(
    "--exclude",
    "exclude",
    multiple=True,
    help="Glob of files and directories not to discover; replaces the configuration's `exclude`.",
)
@click.option("--extend-exclude", multiple=True, help="More globs not to discover; appended to the excludes.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply excludes and .gitignore to files named on the command line too (for pre-commit).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    "respect_gitignore",
    default=None,
    help="Skip discovered files that git ignores (default: the configuration's `respect-gitignore`, else yes).",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(dir_okay=False),
    help="Hide the findings recorded in this baseline file (they stay in JSON/SARIF as suppressed).",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file; later runs with --baseline report only new ones.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option(
    "--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings."
)
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore `# composelint:` comments.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Worker processes for many projects; 0 = one per CPU (at most 8).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def check(
    paths,
    output_format,
    output_file,
    reports,
    select,
    extend_select,
    ignore,
    fail_on,
    config_path,
    isolated,
    exclude,
    extend_exclude,
    force_exclude,
    respect_gitignore,
    baseline,
    write_baseline,
    exit_zero,
    statistics,
    no_inline_suppressions,
    color,
    jobs,
    verbose,
    **project,
):
    """Lint compose projects and shell scripts (default: the current directory).

    Settings come from the nearest configuration file of each linted file; options given here win
    (--select and --ignore replace the file's lists, --extend-select and --extend-exclude append)."""
    configuration = {
        "config_path": config_path,
        "isolated": isolated,
        "exclude": exclude,
        "extend_exclude": extend_exclude,
        "force_exclude": force_exclude,
        "respect_gitignore": respect_gitignore,
        "baseline": baseline,
        "write_baseline": write_baseline,
    }
    _guard(
        verbose,
        _check,
        paths,
        project,
        (output_format, output_file, reports),
        select,
        extend_select,
        ignore,
        fail_on,
        exit_zero,
        statistics,
        no_inline_suppressions,
        color,
        jobs,
        configuration,
    )


def _guard(verbose: bool, function, *args) -> None:
    """Run a command; a bug becomes one line and exit 2 (the traceback with --verbose)."""
    try:
        function(*args)
    except SystemExit:
        raise
    except Exception as error:
        if verbose:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --verbose for the traceback)")


def _load_options(project: dict):
    from composelint.sources.project import LoadOptions

    return LoadOptions(
        env_files=list(project["env_files"]) or None,
        process_env=dict(os.environ) if project["use_process_env"] else None,
        profiles=list(project["profiles"]) or None,
        allow_outside_root=project["allow_outside_root"],
    )


def _file_sets(
    paths: tuple[str, ...], project: dict
) -> tuple[list[tuple[str, list[str]]], dict[str, str], list[tuple[str, str]]]:
    """(kind, files) of each project named by the command line, standard input's text, and the files
    discovery skipped with why."""
    from composelint.discovery import DiscoveryError, decode, discover, kind_by_name

    kinds = project["kinds"]
    forced = kinds[0] if len(kinds) == 1 else None
    skipped: list[tuple[str, str]] = []
    try:
        if project["compose_files"]:
            file_sets = [("compose", list(project["compose_files"]))]
            for path in file_sets[0][1]:
                if not os.path.isfile(path) and path != "-":
                    raise DiscoveryError(f"{path}: no such file or directory")
        else:
            found = discover(
                [p for p in (paths or (".",)) if p != "-"],
                merge_overrides=not project["no_merge_overrides"],
                kind=forced,
                kinds=frozenset(kinds) or None,
            )
            file_sets, skipped = found.projects, found.skipped
        texts = {}
        if "-" in paths or "-" in project["compose_files"]:
            name = project["stdin_filename"] or "-"
            texts[name] = decode(name, sys.stdin.buffer.read())
            if "-" in paths:
                kind = (
                    forced
                    or kind_by_name(name)
                    or ("shell" if name.endswith((".sh", ".bash")) else "compose")
                )
                file_sets.append((kind, [name]))
            file_sets = [(kind, [name if f == "-" else f for f in files]) for kind, files in file_sets]
    except DiscoveryError as error:
        _fail(str(error))
    return file_sets, texts, skipped


def _without_consumed(parts: list, paths: tuple[str, ...]) -> list:
    """A file that another project includes or extends is linted there, not again on its own.

    `parts` are (sources, ...) tuples, one per project."""
    named = {_display(p) for p in paths}
    consumed = {s.path for sources, *_ in parts for s in sources if s.role in ("include", "extends")}

    def own_files(sources) -> list[str]:
        return [s.path for s in sources if s.role in ("base", "override")]

    return [
        part
        for part in parts
        if not (
            len(own_files(part[0])) == 1
            and own_files(part[0])[0] in consumed
            and own_files(part[0])[0] not in named
        )
    ]


def _finder(select, extend_select, ignore, fail_on, configuration: dict):
    """The configuration lookup, with the command line's overrides (exit 2 on a bad selector or file)."""
    from composelint.config import ConfigError, ConfigFinder, Overrides
    from composelint.engine import SelectionError, select_rules

    overrides = Overrides(
        select=_split(select) if select else None,
        extend_select=tuple(_split(extend_select)),
        ignore=_split(ignore) if ignore else None,
        fail_on=fail_on,
        exclude=list(configuration["exclude"]) if configuration["exclude"] else None,
        extend_exclude=tuple(configuration["extend_exclude"]),
        respect_gitignore=configuration["respect_gitignore"],
    )
    try:
        select_rules(overrides.select, list(overrides.extend_select), overrides.ignore or [])
    except SelectionError as error:
        _fail(str(error))
    if configuration["config_path"] and configuration["isolated"]:
        _fail("--config and --isolated cannot be used together")
    try:
        return ConfigFinder(overrides, configuration["config_path"], configuration["isolated"])
    except ConfigError as error:
        _fail(str(error))


def _configured(
    file_sets: list[tuple[str, list[str]]], paths: tuple[str, ...], project: dict, finder, force_exclude: bool
) -> list[tuple[tuple[str, list[str]], object]]:
    """Each project with the configuration of its first file; excluded and git-ignored projects dropped
    (a file named on the command line only with --force-exclude)."""
    from composelint.config import ConfigError

    named = {os.path.normpath(p) for p in (*paths, *project["compose_files"]) if p != "-"}
    if project["stdin_filename"]:
        named.add(os.path.normpath(project["stdin_filename"]))
    kept = []
    try:
        for file_set in file_sets:
            first = file_set[1][0]
            config = finder.for_path(first)
            filtered = force_exclude or os.path.normpath(first) not in named
            if not (filtered and config.excluded(first)):
                kept.append((file_set, config, filtered))
    except ConfigError as error:
        _fail(str(error))
    asked = [
        file_set[1][0]
        for file_set, config, filtered in kept
        if filtered and config.respect_gitignore and file_set[1][0] != "-"
    ]
    ignored, warning = finder.gitignored(asked) if asked else (set(), None)
    if warning:
        click.echo(f"composelint: warning: {warning}", err=True)
    return [(file_set, config) for file_set, config, _ in kept if file_set[1][0] not in ignored]


# Per-process state of the workers that load and lint projects in parallel.
_WORK: dict = {}


def _start_work(options, texts: dict[str, str], configs: dict, inline_suppressions: bool) -> None:
    """`configs`: index -> (rules, engine settings) of each configuration in use."""
    _WORK.update(options=options, texts=texts, configs=configs, inline=inline_suppressions)


def _load_one(file_set: tuple[str, list[str]], options, texts: dict[str, str]):
    """The projects of one file set, by kind (composelint.sources.kinds)."""
    from composelint.sources.kinds import load

    kind, files = file_set
    return load(kind, files, options, display=_display, texts=texts)


def _work(item: tuple[tuple[str, list[str]], int]):
    """Load one file set and lint its projects with their configuration: [(sources, findings)]."""
    from composelint.engine import lint_project

    file_set, key = item
    rules, settings = _WORK["configs"][key]
    return [
        (project.sources, lint_project(project, rules, _WORK["inline"], settings))
        for project in _load_one(file_set, _WORK["options"], _WORK["texts"])
    ]


PARALLEL_FROM = 32  # projects; below this, starting workers costs more than it saves


def _lint_all(configured: list, texts: dict[str, str], options, inline: bool, jobs: int):
    """Findings of every (project, configuration), in worker processes when there are many (same output
    either way)."""
    from composelint.discovery import DiscoveryError

    index: dict[int, int] = {}
    configs: dict[int, tuple] = {}
    file_sets = []
    for file_set, config in configured:
        key = index.setdefault(id(config), len(index))
        configs[key] = (list(config.rules), config.settings)
        file_sets.append((file_set, key))
    _start_work(options, texts, configs, inline)
    workers = jobs or min(os.cpu_count() or 1, 8)
    try:
        if workers > 1 and len(file_sets) >= PARALLEL_FROM:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            with ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=_start_work,
                initargs=(options, texts, configs, inline),
            ) as pool:
                chunks = pool.map(_work, file_sets, chunksize=max(1, len(file_sets) // (workers * 8)))
                return [part for parts in chunks for part in parts]
        return [part for file_set in file_sets for part in _work(file_set)]
    except DiscoveryError as error:
        _fail(str(error))


def _check(
    paths,
    project,
    output,
    select,
    extend_select,
    ignore,
    fail_on,
    exit_zero,
    statistics,
    no_inline_suppressions,
    color,
    jobs,
    configuration,
) -> None:
    from composelint.baseline import BaselineError, apply_baseline, read_baseline, write_baseline
    from composelint.engine import collect
    from composelint.report import render
    from composelint.report import statistics as rule_statistics

    for report in output[2]:
        report_format, separator, report_path = report.partition(":")
        if not separator or not report_path or report_format not in FORMAT_NAMES:
            _fail(f"--report `{report}`: expected FORMAT:PATH with FORMAT one of {', '.join(FORMAT_NAMES)}")
    finder = _finder(select, extend_select, ignore, fail_on, configuration)
    try:
        known = read_baseline(configuration["baseline"]) if configuration["baseline"] else None
    except BaselineError as error:
        _fail(str(error))
    file_sets, texts, skipped = _file_sets(paths, project)
    configured = _configured(file_sets, paths, project, finder, configuration["force_exclude"])
    parts = _lint_all(configured, texts, _load_options(project), not no_inline_suppressions, jobs)
    result = collect(_without_consumed(parts, paths))
    result.skipped = skipped
    result.rules = sorted(
        {rule.code: rule for _, config in configured for rule in config.rules}.values(),
        key=lambda rule: rule.code,
    )
    if known is not None:
        apply_baseline(result, known)
    if configuration["write_baseline"]:
        try:
            count = write_baseline(configuration["write_baseline"], result)
        except BaselineError as error:
            _fail(str(error))
        apply_baseline(result, {item.fingerprint for item in result.reported})
        click.echo(
            f"composelint: recorded {count} finding{'s' if count != 1 else ''} in "
            f"{configuration['write_baseline']}",
            err=True,
        )

    output_format, output_file, reports = output
    tty = sys.stdout.isatty() and not output_file
    if output_format == "auto":
        if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMAT_NAMES:
            output_format = "github"
        else:
            output_format = "full" if tty else "concise"
    use_color = color == "always" or (color == "auto" and tty and "NO_COLOR" not in os.environ)
    if statistics:
        rows = rule_statistics(result)
        if output_format == "json":
            import json

            text = json.dumps([{"code": c, "name": n, "count": k} for k, c, n in rows], indent=2) + "\n"
        else:
            text = "".join(f"{count:>5}  {code}  {name}\n" for count, code, name in rows)
    else:
        text = render(output_format, result, color=use_color)
    _write(text, output_file, use_color)
    for report in reports:
        report_format, _, report_path = report.partition(":")
        _write(render(report_format, result), report_path, False)
    sys.exit(1 if result.failing and not exit_zero else 0)


@main.command("model")
@click.argument("paths", nargs=-1, type=click.Path())
@project_options
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def model_command(paths, verbose, **project):
    """Print the merged network-config model as JSON: what will run, on which network, reachable how."""

    def show():
        from composelint.discovery import DiscoveryError
        from composelint.report.model import render_model

        file_sets, texts, _ = _file_sets(paths, project)
        options = _load_options(project)
        try:
            projects = [p for file_set in file_sets for p in _load_one(file_set, options, texts)]
        except DiscoveryError as error:
            _fail(str(error))
        kept = _without_consumed([(p.sources, p) for p in projects], paths)
        click.echo(render_model([p for _, p in kept]), nl=False)

    _guard(verbose, show)


def _write(text: str, path: str | None, color: bool) -> None:
    """The report to stdout, or to a file (exit 2 when it cannot be written)."""
    if not path:
        click.echo(text, nl=False, color=color)
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        _fail(f"cannot write report `{path}`: {error.strerror}")


def _display(path: str) -> str:
    """Paths under the working directory are shown relative to it, with `/`."""
    relative = os.path.relpath(path)
    shown = path if relative.startswith("..") else relative
    return shown.replace(os.sep, "/")


@main.command("rule")
@click.argument("selector")
@click.option(
    "--output-format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
def rule_command(selector, output_format):
    """Show the documentation of a rule, by code or name."""
    from composelint.docs import render_rule
    from composelint.rules import all_rules

    rules = all_rules()
    found = rules.get(selector.upper()) or next(
        (r for r in rules.values() if r.name == selector.lower()), None
    )
    if found is None:
        _fail(f"unknown rule `{selector}`")
    click.echo(render_rule(found, output_format), nl=False)


@main.command("rules")
@click.option(
    "--output-format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True
)
def rules_command(output_format):
    """List every rule."""
    from composelint.docs import rule_json, rules_table
    from composelint.rules import all_rules

    rules = list(all_rules().values())
    if output_format == "json":
        import json

        click.echo(json.dumps([rule_json(rule) for rule in rules], indent=2))
    elif output_format == "markdown":
        click.echo(rules_table(rules), nl=False)
    else:
        for rule in rules:
            default = "on" if rule.default_on else "opt-in"
            click.echo(
                f"{rule.code}  {rule.name:<32} {rule.severity:<8} {rule.group:<10} {default:<7} {rule.summary}"
            )


@main.command("server")
def server_command():
    """Run the language server over stdio (needs the `lsp` extra: pip install 'composelint[lsp]')."""
    try:
        from composelint.server import serve
    except ImportError as error:
        _fail(f"the language server needs pygls: pip install 'composelint[lsp]' ({error})")
    serve()
