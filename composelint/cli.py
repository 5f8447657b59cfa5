"""The command line: `composelint check`, `model`, `rule`, `rules`, `server`.

Only the report goes to stdout; errors are one line on stderr.  Exit codes:
0 nothing at or above --fail-on, 1 findings at or above it, 2 the linter
could not do its job (usage, unreadable path, internal error).

The parsers are argparse's, of the standard library (click took about 60 million instructions,
15 ms, to import: an eighth of a one-file run), and only the command that runs has its parser
built.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NoReturn

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
OUTPUT_FORMAT_VARIABLE = "COMPOSELINT_OUTPUT_FORMAT"  # the default of `check --output-format`


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n" if nl else text)
    stream.flush()


def _fail(*lines: str) -> NoReturn:
    """Each problem on a line of its own (an invalid configuration lists all of its problems), exit 2."""
    from composelint.report.safety import line_text

    # Paths in a problem come from the linted tree: one line each, whatever their names hold.
    for line in lines:
        _echo(f"composelint: error: {line_text(line)}", err=True)
    sys.exit(2)


# ---------------------------------------------------------------- the parsers


def _file(value: str) -> str:
    """A path the command writes or reads as a file: an existing directory is a usage error."""
    if os.path.isdir(value):
        raise argparse.ArgumentTypeError(f"File {value!r} is a directory.")
    return value


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid integer.") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is not in the range x>=0.")
    return number


def _command_parser(name: str, usage: str = "[OPTIONS]") -> argparse.ArgumentParser:
    """The parser of `composelint NAME`: its help shows the usage, the command's description and
    its options."""
    summary, description = COMMANDS[name][0], COMMANDS[name][1]
    return argparse.ArgumentParser(
        prog=f"composelint {name}",
        usage=f"composelint {name} {usage}",
        description=f"{summary}\n\n{description}" if description else summary,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )


def _append(parser: argparse.ArgumentParser, *names: str, metavar: str = "TEXT", **settings) -> None:
    """A repeatable option: its values in order, an empty list when it is not given."""
    parser.add_argument(*names, action="append", default=[], metavar=metavar, **settings)


def _output_format(parser: argparse.ArgumentParser, formats: Sequence[str], meaning: str = "") -> None:
    """`--output-format`: one of `formats`, the first by default."""
    parser.add_argument(
        "--output-format",
        choices=formats,
        default=formats[0],
        metavar="FORMAT",
        help=f"{', '.join(formats)} (default: {formats[0]}).{' ' + meaning if meaning else ''}",
    )


def _project_options(parser: argparse.ArgumentParser) -> None:
    """Options that decide which files form a project and how it is loaded (check, model)."""
    _append(
        parser,
        "-f",
        "--file",
        dest="compose_files",
        metavar="PATH",
        help="Lint these compose files as one project, merged in order (like docker compose -f).",
    )
    _append(
        parser,
        "--env-file",
        dest="env_files",
        metavar="PATH",
        help="Read variables from these files instead of the project's .env.",
    )
    parser.add_argument(
        "--use-process-env",
        action="store_true",
        help="Also use this process's environment for interpolation (it wins over env files).",
    )
    _append(
        parser,
        "--profile",
        dest="profiles",
        help="Lint only services of these profiles (and those without one). Default: all profiles.",
    )
    parser.add_argument(
        "--allow-outside-root",
        action="store_true",
        help="Read files outside the project directory: include/extends/env_file targets, COMPOSE_FILE "
        "entries and symlinks that resolve elsewhere.",
    )
    parser.add_argument(
        "--no-merge-overrides",
        action="store_true",
        help="Lint a compose file without its compose.override.yaml sibling.",
    )
    parser.add_argument("--stdin-filename", metavar="TEXT", help="Name to use for input read from `-`.")
    parser.add_argument(
        "--changed",
        action="store_true",
        help="The paths are changed files (for pre-commit): lint each as its kind, and re-lint the "
        "compose projects that read a changed .env or include/extends/env_file target.",
    )
    _append(
        parser,
        "--kind",
        dest="kinds",
        choices=KINDS,
        metavar="KIND",
        help=f"Lint only these kinds of files in directories (repeatable: {', '.join(KINDS)}); with one "
        "kind, named files and standard input are read as that kind (default: every kind, by name and "
        "content).",
    )


def _check_parser() -> argparse.ArgumentParser:
    parser = _command_parser("check", "[OPTIONS] [PATHS]...")
    parser.add_argument("paths", nargs="*", metavar="PATHS", help="Files and directories (default: .).")
    _project_options(parser)
    formats = ("auto", *FORMAT_NAMES)
    parser.add_argument(
        "--output-format",
        choices=formats,
        default=os.environ.get(OUTPUT_FORMAT_VARIABLE) or "auto",
        metavar="FORMAT",
        help=f"Report format: {', '.join(formats)}; auto = github under GitHub Actions, else full on a "
        f"terminal, concise otherwise (default: ${OUTPUT_FORMAT_VARIABLE}, else auto).",
    )
    parser.add_argument(
        "-o", "--output-file", type=_file, metavar="FILE", help="Write the report to this file."
    )
    _append(
        parser,
        "--report",
        dest="reports",
        metavar="FORMAT:PATH",
        help="Also write a report in FORMAT to PATH (repeatable), e.g. --report sarif:composelint.sarif.",
    )
    parser.add_argument(
        "--summary",
        dest="summary_path",
        type=_file,
        metavar="FILE",
        help="Write a Markdown summary (counts, most severe findings, a picture of each project with "
        "findings) to this file. Without it, under GitHub Actions the `github` format appends the summary "
        "to $GITHUB_STEP_SUMMARY.",
    )
    _append(
        parser,
        "--select",
        help="Rules to run instead of the defaults (codes, prefixes, names, groups, ALL); replaces the "
        "configuration's `select`.",
    )
    _append(
        parser,
        "--extend-select",
        help="Rules to run in addition to the selection; appended to the configuration's `extend-select`.",
    )
    _append(parser, "--ignore", help="Rules not to run; replaces the configuration's `ignore`.")
    parser.add_argument(
        "--fail-on",
        "--failure-threshold",
        dest="fail_on",
        choices=FAIL_LEVELS,
        metavar="LEVEL",
        help=f"Exit 1 when a finding of this severity or higher is reported ({', '.join(FAIL_LEVELS)}; "
        "default: the configuration's `fail-on`, else warning).",
    )
    parser.add_argument(
        "--config",
        dest="config_path",
        type=_file,
        metavar="FILE",
        help="Use this configuration file for every file (default: the nearest .composelint.yaml, "
        ".composelint.yml, composelint.yaml or pyproject.toml [tool.composelint]).",
    )
    parser.add_argument("--isolated", action="store_true", help="Ignore all configuration files.")
    _append(
        parser,
        "--exclude",
        help="Glob of files and directories not to discover; replaces the configuration's `exclude`.",
    )
    _append(parser, "--extend-exclude", help="More globs not to discover; appended to the excludes.")
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="Apply excludes and .gitignore to files named on the command line too (for pre-commit).",
    )
    parser.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        help="Skip discovered files that git ignores (default: the configuration's `respect-gitignore`, "
        "else yes).",
    )
    parser.add_argument(
        "--include-test-data",
        action=argparse.BooleanOptionalAction,
        help="Lint files below test-data directories (testdata, fixtures, test, tests, e2e, ...) of a "
        "directory walk (default: the configuration's `include-test-data`, else no: they are counted in "
        "the summary).",
    )
    parser.add_argument(
        "--baseline",
        type=_file,
        metavar="FILE",
        help="Hide the findings recorded in this baseline file (they stay in JSON/SARIF as suppressed).",
    )
    parser.add_argument(
        "--write-baseline",
        type=_file,
        metavar="FILE",
        help="Record the current findings in this baseline file; later runs with --baseline report only "
        "new ones.",
    )
    parser.add_argument("--exit-zero", action="store_true", help="Exit 0 even when findings are reported.")
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="Print the number of findings per rule instead of the findings.",
    )
    parser.add_argument(
        "--fix",
        dest="apply_fixes",
        action="store_true",
        help="Apply the safe fixes to the files, then report what remains. With standard input (and "
        "--stdin-filename) print the fixed text instead, and the report to stderr.",
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="With --fix or --diff, apply the unsafe fixes too."
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="Print the fixes as a unified diff instead of writing them; exit 1 when there are any.",
    )
    parser.add_argument(
        "--show-fixes", action="store_true", help="With --fix, list the fixes applied per file (on stderr)."
    )
    parser.add_argument(
        "--no-inline-suppressions", action="store_true", help="Ignore `# composelint:` comments."
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        metavar="WHEN",
        help="Color the report: auto, always or never (default: auto: on a terminal, unless NO_COLOR is "
        "set).",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_count,
        default=0,
        metavar="N",
        help="Processes that lint many projects (this one and N-1 workers); 0 = chosen from the work "
        "and the CPUs (one per 64 projects and per CPU no other process is running on, at most 8). "
        "Default: 0.",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="Print the report only: no progress bar, no warnings (errors are still printed).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="Show the traceback of internal errors.")
    return parser


def _model_parser() -> argparse.ArgumentParser:
    parser = _command_parser("model", "[OPTIONS] [PATHS]...")
    parser.add_argument("paths", nargs="*", metavar="PATHS", help="Files and directories (default: .).")
    _project_options(parser)
    _output_format(
        parser,
        MODEL_FORMATS,
        "json: the model as data; mermaid, dot, svg, html: a picture of it with the findings drawn on it.",
    )
    parser.add_argument(
        "-o", "--output-file", metavar="PATH", help="Write the model to this file instead of stdout."
    )
    parser.add_argument(
        "--all-workloads",
        action="store_true",
        help="In pictures, draw every workload (projects of more than 30 show only those with findings or "
        "ports).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="Show the traceback of internal errors.")
    return parser


def _rule_parser() -> argparse.ArgumentParser:
    parser = _command_parser("rule", "[OPTIONS] SELECTOR")
    parser.add_argument("selector", metavar="SELECTOR", help="The rule's code (CL201) or name.")
    _output_format(parser, ("text", "markdown", "json"))
    return parser


def _rules_parser() -> argparse.ArgumentParser:
    parser = _command_parser("rules")
    _output_format(parser, ("table", "json", "markdown"))
    return parser


def _server_parser() -> argparse.ArgumentParser:
    return _command_parser("server")


def root_parser() -> argparse.ArgumentParser:
    """`composelint` itself: the version, and the commands listed in its help."""
    root = argparse.ArgumentParser(
        prog="composelint",
        usage="composelint [OPTIONS] COMMAND [ARGS]...",
        description="Lint Docker Compose files for host networking, exposed ports and broken isolation.",
        epilog="commands:\n"
        + "\n".join(f"  {name:<8}{summary}" for name, (summary, *_) in COMMANDS.items())
        + "\n\n`composelint COMMAND -h` shows the options of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    root.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"composelint, version {__version__}",
        help="Show the version and exit.",
    )
    root.add_argument("command", choices=COMMANDS, metavar="COMMAND", help=argparse.SUPPRESS)
    return root


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of `composelint NAME` (the documentation site's command-line reference reads it)."""
    return COMMANDS[name][2]()


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The `composelint` console script: parse, run the command, exit with its code.  A closed
    stdout (`composelint check | head`) ends the run with 1, quietly; so does Ctrl-C, with
    "Aborted!"."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # Before the command, only -h and -V (without a command, the root parser ends the run: help,
    # version or a usage error); the command's own parser reads the rest.
    end = next((index + 1 for index, value in enumerate(arguments) if not value.startswith("-")), None)
    name = root_parser().parse_args(arguments[:end]).command
    parser = command_parser(name)
    options, extra = parser.parse_known_args(arguments[end:])
    if extra:
        # argparse takes the first run of paths only: the others (`check a.yaml --select ALL b.yaml`)
        # come back with what it did not know, and with everything after a `--` it did not consume.
        cut = extra.index("--") if "--" in extra else len(extra)
        unknown = [value for value in extra[:cut] if value.startswith("-") and value != "-"]
        if unknown or not hasattr(options, "paths"):
            parser.error(f"unrecognized arguments: {' '.join(unknown or extra)}")
        options.paths += extra[:cut] + extra[cut + 1 :]
    if name == "check" and options.output_format not in ("auto", *FORMAT_NAMES):
        parser.error(
            f"${OUTPUT_FORMAT_VARIABLE}: invalid choice: {options.output_format!r} "
            f"(choose from {', '.join(('auto', *FORMAT_NAMES))})"
        )
    try:
        COMMANDS[name][3](options)
    except BrokenPipeError:
        # Python would fail again flushing stdout at exit: the reader is gone, write nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        _echo("Aborted!", err=True)
        sys.exit(1)
    sys.exit(0)


# ---------------------------------------------------------------- the commands


def check(options: argparse.Namespace) -> None:
    """Lint compose projects and shell scripts; exit 1 with findings at or above --fail-on."""
    from composelint.config import Overrides

    for report in options.reports:
        report_format, separator, report_path = report.partition(":")
        if not separator or not report_path or report_format not in FORMAT_NAMES:
            _fail(f"--report `{report}`: expected FORMAT:PATH with FORMAT one of {', '.join(FORMAT_NAMES)}")
    human = options.output_file is not None or options.output_format in HUMAN_FORMATS
    progress = ProgressBar() if human and not options.quiet and sys.stderr.isatty() else None
    overrides = Overrides(
        select=_split(options.select) if options.select else None,
        extend_select=tuple(_split(options.extend_select)),
        ignore=_split(options.ignore) if options.ignore else None,
        fail_on=options.fail_on,
        exclude=list(options.exclude) if options.exclude else None,
        extend_exclude=tuple(options.extend_exclude),
        respect_gitignore=options.respect_gitignore,
        include_test_data=options.include_test_data,
    )
    request = _request(
        options,
        overrides=overrides,
        config_path=options.config_path,
        isolated=options.isolated,
        force_exclude=options.force_exclude,
        inline_suppressions=not options.no_inline_suppressions,
        baseline=options.baseline,
        write_baseline=options.write_baseline,
        jobs=options.jobs,
        verbose=options.verbose,
        progress=progress,
    )
    verbose, fixing = options.verbose, options.apply_fixes or options.diff
    fixing_stdin = "-" in options.paths and fixing
    if fixing_stdin and not options.stdin_filename:
        _fail("fixing standard input needs --stdin-filename (the name decides how it is read)")
    try:
        if fixing:
            fixed = _guard(verbose, _fix, request, options.unsafe_fixes, options.diff, options.show_fixes)
            outcome = fixed.result
            if options.diff:
                sys.exit(1 if fixed.changes else 0)
        else:
            outcome = _guard(verbose, _run, request, options.quiet)
    finally:
        if progress is not None:
            progress.close()
    # The fixed text of standard input is the output; the report goes to stderr.
    _guard(
        verbose,
        _show,
        outcome,
        options.output_format,
        options.output_file,
        options.reports,
        options.statistics,
        options.color,
        fixing_stdin,
        options.quiet,
    )
    github = options.output_format == "github" or (
        options.output_format == "auto" and os.environ.get("GITHUB_ACTIONS") == "true"
    )
    if options.summary_path:
        _guard(verbose, _write_summary, request, outcome, options.summary_path, "w")
    elif github and os.environ.get("GITHUB_STEP_SUMMARY"):
        _guard(verbose, _write_summary, request, outcome, os.environ["GITHUB_STEP_SUMMARY"], "a")
    sys.exit(1 if outcome.failing and not options.exit_zero else 0)


def _request(options: argparse.Namespace, **settings):
    """The pipeline's request for the command line's paths and project options; reads standard
    input when `-` is named."""
    from composelint.app import STDIN, Request
    from composelint.sources.files import MAX_FILE_BYTES

    compose_files = tuple(options.compose_files)
    named = STDIN in options.paths or STDIN in compose_files
    return Request(
        paths=tuple(options.paths) or (".",),
        compose_files=compose_files,
        # One byte over the cap, so the pipeline can tell that the input is too large.
        stdin=sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if named else None,
        stdin_filename=options.stdin_filename,
        kinds=tuple(options.kinds),
        env_files=tuple(options.env_files),
        use_process_env=options.use_process_env,
        profiles=tuple(options.profiles),
        allow_outside_root=options.allow_outside_root,
        merge_overrides=not options.no_merge_overrides,
        changed=options.changed,
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
        _echo(f"composelint: warning: {warning}", err=True)
    if outcome.recorded is not None:
        count = outcome.recorded
        _echo(
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
        _echo(f"composelint: warning: {line_text(warning)}", err=True)
    stdin = request.stdin_filename and "-" in request.paths
    if diff:
        for path, (before, after) in sorted(fixed.changes.items()):
            lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True), path, path)
            _echo("".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines), nl=False)
        count = len(fixed.applied)
        _echo(f"composelint: would fix {count} finding{'s' if count != 1 else ''}.", err=True)
        return fixed
    failed = set()
    for path, (before, after) in sorted(fixed.changes.items()):
        if stdin and path == fixed.stdin:
            continue
        try:
            write_fixed(path, before, after)
        except FixError as error:
            failed.add(path)
            _echo(f"composelint: warning: {line_text(str(error))}", err=True)
    if stdin:
        text = fixed.changes.get(fixed.stdin or "", (None, None))[1]
        _echo(text if text is not None else fixed.result.lint.texts.get(fixed.stdin or "", ""), nl=False)
    done = [item for item in fixed.applied if item.finding.fix and not item.finding.fix.paths & failed]
    if show_fixes:
        _list_fixes(done)
    remaining = len(fixed.result.findings)
    line = f"composelint: {len(done)} fixed, {remaining} remaining"
    hidden = len(fixed.fixable("unsafe")) if not unsafe else 0
    if hidden:
        line += f" ({hidden} fixable with --unsafe-fixes)"
    _echo(line + ".", err=True)
    return fixed


def _list_fixes(done) -> None:
    """Per file, how many findings of each rule were fixed (like ruff's --show-fixes)."""
    from collections import Counter

    by_file: dict[str, Counter] = {}
    for item in done:
        by_file.setdefault(item.finding.span.path, Counter())[(item.rule.code, item.rule.name)] += 1
    if not by_file:
        _echo("No fixes applied.", err=True)
    for path, counts in sorted(by_file.items()):
        _echo(f"Fixed in {path}:", err=True)
        for (code, name), count in sorted(counts.items()):
            _echo(f"  {count} x {code} ({name})", err=True)


class ProgressBar:
    """`Request.progress` for a person at a terminal: a bar on stderr, drawn once a run has
    PROGRESS_FROM projects (a shorter run is over before a bar would tell anything)."""

    WIDTH = 36

    def __init__(self) -> None:
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\rcomposelint: linting  [{bar}]  {done}/{total}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        """Leave the finished bar on its own line, so the report starts below it."""
        if self.drawn:
            _echo("", err=True)


def _guard(verbose: bool, function: Callable, *args):
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
    _write(text, output_file, to_stderr)
    for report in reports:
        report_format, _, report_path = report.partition(":")
        _write(render_parts(report_format, result), report_path)
    if result.test_data and not quiet and (statistics or not FORMATS[output_format].summary):
        _echo(f"composelint: {test_data_note(result)}", err=True)


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


def model_command(options: argparse.Namespace) -> None:
    """Print the merged network-config model: what will run, on which network, reachable how."""

    def show():
        from composelint.app import LintError, load_projects

        request = _request(options)
        try:
            projects = load_projects(request)
        except LintError as error:
            _fail(*error.lines)
        if options.output_format == "json":
            from composelint.report.model import render_model

            text = render_model(projects)
        else:
            from composelint.report.picture import render_picture

            reported = _run(request).lint.reported
            text = render_picture(options.output_format, projects, reported, options.all_workloads)
        _write(text, options.output_file)

    _guard(options.verbose, show)


def _write(text: str | Iterable[str], path: str | None, to_stderr: bool = False) -> None:
    """The report to stdout (or stderr), or to a file (exit 2 when it cannot be written); a report
    in parts is written in batches of about 64 KB as it is made."""
    batches = [text] if isinstance(text, str) else _batches(text)
    if not path:
        for batch in batches:
            _echo(batch, err=to_stderr, nl=False)
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


def rule_command(options: argparse.Namespace) -> None:
    """Show the documentation of a rule, by code or name."""
    from composelint.docs import render_rule
    from composelint.rules import all_rules

    rules = all_rules()
    selector = options.selector
    found = rules.get(selector.upper()) or next(
        (r for r in rules.values() if r.name == selector.lower()), None
    )
    if found is None:
        _fail(f"unknown rule `{selector}`")
    _echo(render_rule(found, options.output_format), nl=False)


def rules_command(options: argparse.Namespace) -> None:
    """List every rule."""
    from composelint.docs import rule_json, rules_table
    from composelint.rules import all_rules

    rules = list(all_rules().values())
    if options.output_format == "json":
        import json

        _echo(json.dumps([rule_json(rule) for rule in rules], indent=2))
    elif options.output_format == "markdown":
        _echo(rules_table(rules), nl=False)
    else:
        for rule in rules:
            default = "on" if rule.default_on else "opt-in"
            _echo(
                f"{rule.code}  {rule.name:<32} {rule.severity:<8} {rule.group:<10} {default:<7} {rule.summary}"
            )


def server_command(options: argparse.Namespace) -> None:
    """Run the language server over stdio."""
    try:
        from composelint.server import serve
    except ImportError as error:
        _fail(f"the language server needs pygls: pip install 'composelint[lsp]' ({error})")
    serve()


# name -> (summary, description, its parser, what runs it)
COMMANDS: dict[
    str, tuple[str, str, Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace], None]]
] = {
    "check": (
        "Lint compose projects and shell scripts (default: the current directory).",
        "Settings come from the nearest configuration file of each linted file; options given here win\n"
        "(--select and --ignore replace the file's lists, --extend-select and --extend-exclude append).",
        _check_parser,
        check,
    ),
    "model": (
        "Print the merged network-config model: what will run, on which network, reachable how.",
        "",
        _model_parser,
        model_command,
    ),
    "rule": ("Show the documentation of a rule, by code or name.", "", _rule_parser, rule_command),
    "rules": ("List every rule.", "", _rules_parser, rules_command),
    "server": (
        "Run the language server over stdio (needs the `lsp` extra: pip install 'composelint[lsp]').",
        "",
        _server_parser,
        server_command,
    ),
}
