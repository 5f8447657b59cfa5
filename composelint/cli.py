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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", "output_format", type=click.Choice(["auto", "full", "concise", "json"]),
              default="auto", envvar="COMPOSELINT_OUTPUT_FORMAT", show_default=True,
              help="Report format; auto = full on a terminal, concise otherwise.")
@click.option("--select", "select", multiple=True, help="Rules to run instead of the defaults (codes, prefixes, names, groups, ALL).")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selection.")
@click.option("--ignore", multiple=True, help="Rules not to run.")
@click.option("--fail-on", "--failure-threshold", "fail_on", type=click.Choice(FAIL_LEVELS), default="warning",
              show_default=True, help="Exit 1 when a finding of this severity or higher is reported.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--stdin-filename", help="Name to use for input read from `-`.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore `# composelint:` comments.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of internal errors.")
def check(paths, output_format, select, extend_select, ignore, fail_on, exit_zero, stdin_filename,
          statistics, no_inline_suppressions, color, verbose):
    """Lint compose files (default: the current directory)."""
    try:
        _check(paths or (".",), output_format, select, extend_select, ignore, fail_on, exit_zero,
               stdin_filename, statistics, no_inline_suppressions, color)
    except SystemExit:
        raise
    except Exception as error:  # the one place that turns a bug into exit 2
        if verbose:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --verbose for the traceback)")


def _check(paths, output_format, select, extend_select, ignore, fail_on, exit_zero, stdin_filename,
           statistics, no_inline_suppressions, color) -> None:
    from composelint.discovery import DiscoveryError, decode, discover, read_text
    from composelint.engine import SelectionError, lint, select_rules, severity_rank
    from composelint.report import render, statistics as rule_statistics
    from composelint.sources.compose import load_compose

    try:
        rules = select_rules(_split(select) if select else None, _split(extend_select), _split(ignore))
    except SelectionError as error:
        _fail(str(error))
    inputs: list[tuple[str, str]] = []
    try:
        files = discover([p for p in paths if p != "-"])
        if "-" in paths:
            name = stdin_filename or "-"
            inputs.append((name, decode(name, sys.stdin.buffer.read())))
        for path in files:
            inputs.append((_display(path), read_text(path)))
    except DiscoveryError as error:
        _fail(str(error))
    projects = [load_compose(path, text) for path, text in inputs]
    result = lint(projects, rules, inline_suppressions=not no_inline_suppressions)

    tty = sys.stdout.isatty()
    if output_format == "auto":
        output_format = "full" if tty else "concise"
    use_color = color == "always" or (color == "auto" and tty and "NO_COLOR" not in os.environ)
    if statistics:
        rows = rule_statistics(result)
        if output_format == "json":
            import json
            click.echo(json.dumps([{"code": c, "name": n, "count": k} for k, c, n in rows], indent=2))
        else:
            for count, code, name in rows:
                click.echo(f"{count:>5}  {code}  {name}")
    else:
        click.echo(render(output_format, result, color=use_color), nl=False, color=use_color)
    if exit_zero or fail_on == "never":
        sys.exit(0)
    threshold = severity_rank(fail_on)
    sys.exit(1 if any(severity_rank(item.severity) <= threshold for item in result.active) else 0)


def _display(path: str) -> str:
    """Paths under the working directory are shown relative to it, with `/`."""
    relative = os.path.relpath(path)
    shown = path if relative.startswith("..") else relative
    return shown.replace(os.sep, "/")


@main.command("rule")
@click.argument("selector")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule_command(selector, output_format):
    """Show the documentation of a rule, by code or name."""
    from composelint.rules import all_rules

    rules = all_rules()
    found = rules.get(selector.upper()) or next((r for r in rules.values() if r.name == selector.lower()), None)
    if found is None:
        _fail(f"unknown rule `{selector}`")
    if output_format == "json":
        import json
        click.echo(json.dumps(_rule_json(found), indent=2))
        return
    references = f"\n\n## References\n" + "\n".join(f"- {r}" for r in found.references) if found.references else ""
    default = "on by default" if found.default_on else "opt-in"
    click.echo(f"# {found.code} {found.name}\n\nSeverity: {found.severity}. Group: {found.group}. {default}.\n\n"
               f"{found.doc}{references}\n\nDocs: {found.url}")


def _rule_json(rule) -> dict:
    return {"code": rule.code, "name": rule.name, "severity": rule.severity, "group": rule.group,
            "default": rule.default_on, "summary": rule.summary, "references": list(rule.references),
            "url": rule.url, "doc": rule.doc}


@main.command("rules")
@click.option("--output-format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def rules_command(output_format):
    """List every rule."""
    from composelint.rules import all_rules

    rules = list(all_rules().values())
    if output_format == "json":
        import json
        click.echo(json.dumps([_rule_json(rule) for rule in rules], indent=2))
        return
    if output_format == "markdown":
        click.echo("| code | name | severity | group | default | what it reports |\n|---|---|---|---|---|---|")
        for rule in rules:
            default = "on" if rule.default_on else "opt-in"
            click.echo(f"| {rule.code} | `{rule.name}` | {rule.severity} | {rule.group} | {default} | {rule.summary} |")
        return
    for rule in rules:
        default = "on" if rule.default_on else "opt-in"
        click.echo(f"{rule.code}  {rule.name:<32} {rule.severity:<8} {rule.group:<10} {default:<7} {rule.summary}")
