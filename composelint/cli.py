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
        click.option("-f", "--file", "compose_files", multiple=True, type=click.Path(),
                     help="Lint these compose files as one project, merged in order (like docker compose -f)."),
        click.option("--env-file", "env_files", multiple=True, type=click.Path(),
                     help="Read variables from these files instead of the project's .env."),
        click.option("--use-process-env", is_flag=True,
                     help="Also use this process's environment for interpolation (it wins over env files)."),
        click.option("--profile", "profiles", multiple=True,
                     help="Lint only services of these profiles (and those without one). Default: all profiles."),
        click.option("--allow-outside-root", is_flag=True,
                     help="Follow include/extends targets outside the project directory."),
        click.option("--no-merge-overrides", is_flag=True,
                     help="Lint a compose file without its compose.override.yaml sibling."),
        click.option("--stdin-filename", help="Name to use for input read from `-`."),
        click.option("--kind", type=click.Choice(["compose", "shell"]),
                     help="Read named files and standard input as this kind (default: by name and shebang)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@project_options
@click.option("--output-format", "output_format", type=click.Choice(["auto", *FORMAT_NAMES]),
              default="auto", envvar="COMPOSELINT_OUTPUT_FORMAT", show_default=True,
              help="Report format; auto = github under GitHub Actions, else full on a terminal, concise otherwise.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT:PATH",
              help="Also write a report in FORMAT to PATH (repeatable), e.g. --report sarif:composelint.sarif.")
@click.option("--select", "select", multiple=True, help="Rules to run instead of the defaults (codes, prefixes, names, groups, ALL).")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selection.")
@click.option("--ignore", multiple=True, help="Rules not to run.")
@click.option("--fail-on", "--failure-threshold", "fail_on", type=click.Choice(FAIL_LEVELS), default="warning",
              show_default=True, help="Exit 1 when a finding of this severity or higher is reported.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore `# composelint:` comments.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Worker processes for many projects; 0 = one per CPU (at most 8).")
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def check(paths, output_format, output_file, reports, select, extend_select, ignore, fail_on, exit_zero, statistics,
          no_inline_suppressions, color, jobs, verbose, **project):
    """Lint compose projects and shell scripts (default: the current directory)."""
    _guard(verbose, _check, paths, project, (output_format, output_file, reports), select, extend_select, ignore,
           fail_on, exit_zero, statistics, no_inline_suppressions, color, jobs)


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

    return LoadOptions(env_files=list(project["env_files"]) or None,
                       process_env=dict(os.environ) if project["use_process_env"] else None,
                       profiles=list(project["profiles"]) or None,
                       allow_outside_root=project["allow_outside_root"])


def _file_sets(paths: tuple[str, ...], project: dict) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """(kind, files) of each project named by the command line, and standard input's text."""
    from composelint.discovery import DiscoveryError, decode, discover_projects

    try:
        if project["compose_files"]:
            file_sets = [("compose", list(project["compose_files"]))]
            for path in file_sets[0][1]:
                if not os.path.isfile(path) and path != "-":
                    raise DiscoveryError(f"{path}: no such file or directory")
        else:
            file_sets = discover_projects([p for p in (paths or (".",)) if p != "-"],
                                          merge_overrides=not project["no_merge_overrides"], kind=project["kind"])
        texts = {}
        if "-" in paths or "-" in project["compose_files"]:
            name = project["stdin_filename"] or "-"
            texts[name] = decode(name, sys.stdin.buffer.read())
            if "-" in paths:
                kind = project["kind"] or ("shell" if name.endswith((".sh", ".bash")) else "compose")
                file_sets.append((kind, [name]))
            file_sets = [(kind, [name if f == "-" else f for f in files]) for kind, files in file_sets]
    except DiscoveryError as error:
        _fail(str(error))
    return file_sets, texts


def _without_consumed(parts: list, paths: tuple[str, ...]) -> list:
    """A file that another project includes or extends is linted there, not again on its own.

    `parts` are (sources, ...) tuples, one per project."""
    named = {_display(p) for p in paths}
    consumed = {s.path for sources, *_ in parts for s in sources if s.role in ("include", "extends")}

    def own_files(sources) -> list[str]:
        return [s.path for s in sources if s.role in ("base", "override")]

    return [part for part in parts
            if not (len(own_files(part[0])) == 1 and own_files(part[0])[0] in consumed
                    and own_files(part[0])[0] not in named)]


# Per-process state of the workers that load and lint projects in parallel.
_WORK: dict = {}


def _start_work(options, texts: dict[str, str], rules: list, inline_suppressions: bool) -> None:
    _WORK.update(options=options, texts=texts, rules=rules, inline=inline_suppressions)


def _load_one(file_set: tuple[str, list[str]], options, texts: dict[str, str]):
    """One project, by kind: a compose file set or a shell script."""
    kind, files = file_set
    if kind == "shell":
        from composelint.sources.script import load_script
        return load_script(files[0], display=_display, texts=texts)
    from composelint.sources.project import load_project
    return load_project(files, options, display=_display, texts=texts)


def _work(file_set: tuple[str, list[str]]):
    """Load one project and lint it: (sources, findings)."""
    from composelint.engine import lint_project

    project = _load_one(file_set, _WORK["options"], _WORK["texts"])
    return project.sources, lint_project(project, _WORK["rules"], _WORK["inline"])


PARALLEL_FROM = 32  # projects; below this, starting workers costs more than it saves


def _lint_all(file_sets: list[tuple[str, list[str]]], texts: dict[str, str], options, rules: list, inline: bool, jobs: int):
    """Findings of every project, in worker processes when there are many (same output either way)."""
    from composelint.discovery import DiscoveryError

    _start_work(options, texts, rules, inline)
    workers = jobs or min(os.cpu_count() or 1, 8)
    try:
        if workers > 1 and len(file_sets) >= PARALLEL_FROM:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_work,
                                     initargs=(options, texts, rules, inline)) as pool:
                return list(pool.map(_work, file_sets, chunksize=max(1, len(file_sets) // (workers * 8))))
        return [_work(file_set) for file_set in file_sets]
    except DiscoveryError as error:
        _fail(str(error))


def _check(paths, project, output, select, extend_select, ignore, fail_on, exit_zero, statistics,
           no_inline_suppressions, color, jobs) -> None:
    from composelint.engine import SelectionError, collect, select_rules, severity_rank
    from composelint.report import render, statistics as rule_statistics

    for report in output[2]:
        report_format, separator, report_path = report.partition(":")
        if not separator or not report_path or report_format not in FORMAT_NAMES:
            _fail(f"--report `{report}`: expected FORMAT:PATH with FORMAT one of {', '.join(FORMAT_NAMES)}")
    try:
        rules = select_rules(_split(select) if select else None, _split(extend_select), _split(ignore))
    except SelectionError as error:
        _fail(str(error))
    file_sets, texts = _file_sets(paths, project)
    parts = _lint_all(file_sets, texts, _load_options(project), rules, not no_inline_suppressions, jobs)
    result = collect(_without_consumed(parts, paths))

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
    if exit_zero or fail_on == "never":
        sys.exit(0)
    threshold = severity_rank(fail_on)
    sys.exit(1 if any(severity_rank(item.severity) <= threshold for item in result.active) else 0)


@main.command("model")
@click.argument("paths", nargs=-1, type=click.Path())
@project_options
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def model_command(paths, verbose, **project):
    """Print the merged network-config model as JSON: what will run, on which network, reachable how."""
    def show():
        from composelint.discovery import DiscoveryError
        from composelint.report.model import render_model
        file_sets, texts = _file_sets(paths, project)
        options = _load_options(project)
        try:
            projects = [_load_one(file_set, options, texts) for file_set in file_sets]
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
@click.option("--output-format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def rule_command(selector, output_format):
    """Show the documentation of a rule, by code or name."""
    from composelint.docs import render_rule
    from composelint.rules import all_rules

    rules = all_rules()
    found = rules.get(selector.upper()) or next((r for r in rules.values() if r.name == selector.lower()), None)
    if found is None:
        _fail(f"unknown rule `{selector}`")
    click.echo(render_rule(found, output_format), nl=False)


@main.command("rules")
@click.option("--output-format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
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
            click.echo(f"{rule.code}  {rule.name:<32} {rule.severity:<8} {rule.group:<10} {default:<7} {rule.summary}")


@main.command("server")
def server_command():
    """Run the language server over stdio (needs the `lsp` extra: pip install 'composelint[lsp]')."""
    try:
        from composelint.server import serve
    except ImportError as error:
        _fail(f"the language server needs pygls: pip install 'composelint[lsp]' ({error})")
    serve()
