"""The command line: `composelint check`, `rule`, `rules`.

Only the report goes to stdout; errors are one line on stderr.  Exit codes:
0 nothing at or above --fail-on, 1 findings at or above it, 2 the linter
could not do its job (usage, unreadable path, internal error).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar as ClickProgressBar

from composelint import __version__
from composelint.discovery import KINDS
from composelint.report.formats import FORMAT_NAMES, FORMATS, MODEL_FORMATS

# A run is one process that keeps what it builds (trees, models, findings) to its end, so the
# collector's default young-generation threshold (700 allocations) mostly re-scans live objects:
# it took a third of a 3.4 MB script's CPU time.  20,000 keeps most of that gain for 10% more peak
# memory on the whole corpus (50,000: 20% more).  The language server keeps the same setting.
gc.set_threshold(20_000, 10, 10)

FAIL_LEVELS = ("error", "warning", "info", "style", "never")
# Formats read by people: a progress bar on a terminal's stderr does not get in the way of one on
# stdout (the machine formats get none, whatever stderr is).
HUMAN_FORMATS = ("auto", "full", "concise", "grouped")
PROGRESS_FROM = 100  # projects in a run before a progress bar is drawn


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(*lines: str) -> NoReturn:
    """Each problem on a line of its own (an invalid configuration lists all of its problems), exit 2."""
    from composelint.report.safety import line_text

    # Paths in a problem come from the linted tree: one line each, whatever their names hold.
    for line in lines:
        click.echo(f"composelint: error: {line_text(line)}", err=True)
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
            help="Read files outside the project directory: include/extends/env_file targets, COMPOSE_FILE "
            "entries and symlinks that resolve elsewhere.",
        ),
        click.option(
            "--no-merge-overrides",
            is_flag=True,
            help="Lint a compose file without its compose.override.yaml sibling.",
        ),
        click.option("--stdin-filename", help="Name to use for input read from `-`."),
        click.option(
            "--changed",
            is_flag=True,
            help="The paths are changed files (for pre-commit): lint each as its kind, and re-lint the "
            "compose projects that read a changed .env or include/extends/env_file target.",
        ),
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
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False),
    help="Write a Markdown summary (counts, most severe findings, a picture of each project with "
    "findings) to this file. Without it, under GitHub Actions the `github` format appends the summary "
    "to $GITHUB_STEP_SUMMARY.",
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
    "--include-test-data/--no-include-test-data",
    "include_test_data",
    default=None,
    help="Lint files below test-data directories (testdata, fixtures, test, tests, e2e, ...) of a directory walk "
    "(default: the configuration's `include-test-data`, else no: they are counted in the summary).",
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
@click.option(
    "--fix",
    "apply_fixes",
    is_flag=True,
    help="Apply the safe fixes to the files, then report what remains. With standard input (and "
    "--stdin-filename) print the fixed text instead, and the report to stderr.",
)
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply the unsafe fixes too.")
@click.option(
    "--diff",
    is_flag=True,
    help="Print the fixes as a unified diff instead of writing them; exit 1 when there are any.",
)
@click.option("--show-fixes", is_flag=True, help="With --fix, list the fixes applied per file (on stderr).")
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore `# composelint:` comments.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Worker processes for many projects; 0 = chosen from the work and the CPUs (none on 2 CPUs or fewer).",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print the report only: no progress bar, no warnings (errors are still printed).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def check(
    paths,
    output_format,
    output_file,
    reports,
    summary_path,
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
    include_test_data,
    baseline,
    write_baseline,
    exit_zero,
    statistics,
    apply_fixes,
    unsafe_fixes,
    diff,
    show_fixes,
    no_inline_suppressions,
    color,
    jobs,
    quiet,
    verbose,
    **project,
):
    """Lint compose projects and shell scripts (default: the current directory).

    Settings come from the nearest configuration file of each linted file; options given here win
    (--select and --ignore replace the file's lists, --extend-select and --extend-exclude append)."""
    from composelint.config import Overrides

    for report in reports:
        report_format, separator, report_path = report.partition(":")
        if not separator or not report_path or report_format not in FORMAT_NAMES:
            _fail(f"--report `{report}`: expected FORMAT:PATH with FORMAT one of {', '.join(FORMAT_NAMES)}")
    human = output_file is not None or output_format in HUMAN_FORMATS
    progress = ProgressBar() if human and not quiet and sys.stderr.isatty() else None
    overrides = Overrides(
        select=_split(select) if select else None,
        extend_select=tuple(_split(extend_select)),
        ignore=_split(ignore) if ignore else None,
        fail_on=fail_on,
        exclude=list(exclude) if exclude else None,
        extend_exclude=tuple(extend_exclude),
        respect_gitignore=respect_gitignore,
        include_test_data=include_test_data,
    )
    request = _request(
        paths,
        project,
        overrides=overrides,
        config_path=config_path,
        isolated=isolated,
        force_exclude=force_exclude,
        inline_suppressions=not no_inline_suppressions,
        baseline=baseline,
        write_baseline=write_baseline,
        jobs=jobs,
        verbose=verbose,
        progress=progress,
    )
    fixing_stdin = "-" in paths and (apply_fixes or diff)
    if fixing_stdin and not project["stdin_filename"]:
        _fail("fixing standard input needs --stdin-filename (the name decides how it is read)")
    try:
        if apply_fixes or diff:
            fixed = _guard(verbose, _fix, request, unsafe_fixes, diff, show_fixes)
            outcome = fixed.result
            if diff:
                sys.exit(1 if fixed.changes else 0)
        else:
            outcome = _guard(verbose, _run, request, quiet)
    finally:
        if progress is not None:
            progress.close()
    # The fixed text of standard input is the output; the report goes to stderr.
    _guard(
        verbose, _show, outcome, output_format, output_file, reports, statistics, color, fixing_stdin, quiet
    )
    github = output_format == "github" or (
        output_format == "auto" and os.environ.get("GITHUB_ACTIONS") == "true"
    )
    if summary_path:
        _guard(verbose, _write_summary, request, outcome, summary_path, "w")
    elif github and os.environ.get("GITHUB_STEP_SUMMARY"):
        _guard(verbose, _write_summary, request, outcome, os.environ["GITHUB_STEP_SUMMARY"], "a")
    sys.exit(1 if outcome.failing and not exit_zero else 0)


def _request(paths: tuple[str, ...], project: dict, **settings):
    """The pipeline's request for the command line's paths and project options; reads standard
    input when `-` is named."""
    from composelint.app import STDIN, Request
    from composelint.sources.files import MAX_FILE_BYTES

    compose_files = tuple(project["compose_files"])
    return Request(
        paths=paths or (".",),
        compose_files=compose_files,
        # One byte over the cap, so the pipeline can tell that the input is too large.
        stdin=sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if STDIN in paths or STDIN in compose_files else None,
        stdin_filename=project["stdin_filename"],
        kinds=tuple(project["kinds"]),
        env_files=tuple(project["env_files"]),
        use_process_env=project["use_process_env"],
        profiles=tuple(project["profiles"]),
        allow_outside_root=project["allow_outside_root"],
        merge_overrides=not project["no_merge_overrides"],
        changed=project["changed"],
        **settings,
    )


def _run(request, quiet: bool = False):
    """The pipeline's result; what stops it is one line and exit 2."""
    from composelint.app import LintError, run

    try:
        outcome = run(request)
    except LintError as error:
        _fail(*error.lines)
    if quiet:
        return outcome
    for warning in outcome.warnings:
        click.echo(f"composelint: warning: {warning}", err=True)
    if outcome.recorded is not None:
        count = outcome.recorded
        click.echo(
            f"composelint: recorded {count} finding{'s' if count != 1 else ''} in {request.write_baseline}",
            err=True,
        )
    return outcome


def _fix(request, unsafe: bool, diff: bool, show_fixes: bool):
    """Apply the fixes (or print them as a diff); say on stderr what was fixed and what remains."""
    import difflib

    from composelint.app import LintError, fix
    from composelint.fixes import FixError, write_fixed
    from composelint.report.safety import line_text

    try:
        fixed = fix(request, unsafe)
    except LintError as error:
        _fail(*error.lines)
    for warning in [*fixed.result.warnings, *fixed.refused]:
        click.echo(f"composelint: warning: {line_text(warning)}", err=True)
    stdin = request.stdin_filename and "-" in request.paths
    if diff:
        for path, (before, after) in sorted(fixed.changes.items()):
            lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True), path, path)
            click.echo(
                "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines), nl=False
            )
        count = len(fixed.applied)
        click.echo(f"composelint: would fix {count} finding{'s' if count != 1 else ''}.", err=True)
        return fixed
    failed = set()
    for path, (before, after) in sorted(fixed.changes.items()):
        if stdin and path == fixed.stdin:
            continue
        try:
            write_fixed(path, before, after)
        except FixError as error:
            failed.add(path)
            click.echo(f"composelint: warning: {line_text(str(error))}", err=True)
    if stdin:
        text = fixed.changes.get(fixed.stdin or "", (None, None))[1]
        click.echo(text if text is not None else fixed.result.lint.texts.get(fixed.stdin or "", ""), nl=False)
    done = [item for item in fixed.applied if item.finding.fix and not item.finding.fix.paths & failed]
    if show_fixes:
        _list_fixes(done)
    remaining = len(fixed.result.findings)
    line = f"composelint: {len(done)} fixed, {remaining} remaining"
    hidden = len(fixed.fixable("unsafe")) if not unsafe else 0
    if hidden:
        line += f" ({hidden} fixable with --unsafe-fixes)"
    click.echo(line + ".", err=True)
    return fixed


def _list_fixes(done) -> None:
    """Per file, how many findings of each rule were fixed (like ruff's --show-fixes)."""
    from collections import Counter

    by_file: dict[str, Counter] = {}
    for item in done:
        by_file.setdefault(item.finding.span.path, Counter())[(item.rule.code, item.rule.name)] += 1
    if not by_file:
        click.echo("No fixes applied.", err=True)
    for path, counts in sorted(by_file.items()):
        click.echo(f"Fixed in {path}:", err=True)
        for (code, name), count in sorted(counts.items()):
            click.echo(f"  {count} x {code} ({name})", err=True)


class ProgressBar:
    """`Request.progress` for a person at a terminal: click's progress bar on stderr, drawn once a
    run has PROGRESS_FROM projects (a shorter run is over before a bar would tell anything)."""

    def __init__(self) -> None:
        self.bar: ClickProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM:
                return
            self.bar = click.progressbar(
                length=total, label="composelint: linting", file=sys.stderr, show_pos=True, show_eta=False
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        """Leave the finished bar on its own line, so the report starts below it."""
        if self.bar is not None:
            self.bar.render_finish()


def _guard(verbose: bool, function, *args):
    """Run a command; a bug becomes one line and exit 2 (the traceback with --verbose)."""
    try:
        return function(*args)
    except SystemExit:
        raise
    except Exception as error:
        if verbose:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --verbose for the traceback)")


def _show(
    outcome,
    output_format: str,
    output_file: str | None,
    reports,
    statistics: bool,
    color: str,
    to_stderr: bool = False,
    quiet: bool = False,
) -> None:
    """Render the report (or the statistics) to stdout or the output file, and each extra report;
    on stderr, what the report does not say about the files left out (test data)."""
    from composelint.report import render_parts
    from composelint.report.summary import statistics as rule_statistics
    from composelint.report.summary import test_data_note

    result = outcome.lint
    tty = sys.stdout.isatty() and not output_file
    if output_format == "auto":
        if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMAT_NAMES:
            output_format = "github"
        else:
            output_format = "full" if tty else "concise"
    use_color = color == "always" or (color == "auto" and tty and "NO_COLOR" not in os.environ)
    text: str | Iterable[str]
    if statistics:
        rows = rule_statistics(result)
        if output_format == "json":
            import json

            text = json.dumps([{"code": c, "name": n, "count": k} for k, c, n in rows], indent=2) + "\n"
        else:
            text = "".join(f"{count:>5}  {code}  {name}\n" for count, code, name in rows)
    else:
        text = render_parts(output_format, result, color=use_color)
    _write(text, output_file, use_color, to_stderr)
    for report in reports:
        report_format, _, report_path = report.partition(":")
        _write(render_parts(report_format, result), report_path, False)
    if result.test_data and not quiet and (statistics or not FORMATS[output_format].summary):
        click.echo(f"composelint: {test_data_note(result)}", err=True)


def _write_summary(request, outcome, path: str, mode: str) -> None:
    """The Markdown summary of the run, with the projects' pictures (their models are loaded again:
    the lint result keeps only findings)."""
    from composelint.app import load_projects
    from composelint.report.github_summary import render_github_summary

    text = render_github_summary(outcome.lint, load_projects(request))
    try:
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        _fail(f"cannot write summary `{path}`: {error.strerror}")


@main.command("model")
@click.argument("paths", nargs=-1, type=click.Path())
@project_options
@click.option(
    "--output-format",
    type=click.Choice(MODEL_FORMATS),
    default="json",
    show_default=True,
    help="json: the model as data; mermaid, dot, svg, html: a picture of it with the findings drawn on it.",
)
@click.option(
    "-o", "--output-file", type=click.Path(), help="Write the model to this file instead of stdout."
)
@click.option(
    "--all-workloads",
    is_flag=True,
    help="In pictures, draw every workload (projects of more than 30 show only those with findings or ports).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def model_command(paths, output_format, output_file, all_workloads, verbose, **project):
    """Print the merged network-config model: what will run, on which network, reachable how."""

    def show():
        from composelint.app import LintError, load_projects

        request = _request(paths, project)
        try:
            projects = load_projects(request)
        except LintError as error:
            _fail(*error.lines)
        if output_format == "json":
            from composelint.report.model import render_model

            text = render_model(projects)
        else:
            from composelint.report.picture import render_picture

            text = render_picture(output_format, projects, _run(request).lint.reported, all_workloads)
        _write(text, output_file, False)

    _guard(verbose, show)


def _write(text: str | Iterable[str], path: str | None, color: bool, to_stderr: bool = False) -> None:
    """The report to stdout (or stderr), or to a file (exit 2 when it cannot be written); a report
    in parts is written in batches of about 64 KB as it is made."""
    batches = [text] if isinstance(text, str) else _batches(text)
    if not path:
        for batch in batches:
            click.echo(batch, nl=False, color=color, err=to_stderr)
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(batches)
    except OSError as error:
        _fail(f"cannot write report `{path}`: {error.strerror}")


def _batches(parts: Iterable[str], size: int = 65_536) -> Iterator[str]:
    batch: list[str] = []
    length = 0
    for part in parts:
        batch.append(part)
        length += len(part)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


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
