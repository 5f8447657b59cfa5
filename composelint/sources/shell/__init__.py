"""Shell front end: find every container-tool invocation in a script.

    parse_script(path, text, tools=("docker", "podman", "nerdctl"), *, sources=None) -> ShellScript

`sources` (a `Sources`, sourcing.py) lets the script's `. FILE` / `source FILE` read
files of its project for their functions and variables; without it nothing is read.

tree-sitter-bash is the parser (walked iteratively, syntax_tree.py); from
the first syntax error on, a small lexer of our own takes over (lexer.py)
and a CL007 diagnostic says where and how many commands it recovered.
Words are expanded by our own evaluator (expand.py) with the variables
assigned earlier in the script; nested code (`sh -c`, `eval`, `ssh host
cmd`, `su -c`, here-docs fed to a shell or to ssh) is re-parsed with every
character mapped back to its position in the file (interpreter.py,
positions.py).  `Invocation.via` is "sh -c", "eval", "ssh", "su -c" or
"here-doc": the innermost way the code was reached.

Limits (never an exception; where the parser gave up, CL007, is reported only in a script
that has a container-tool command; a bound that is hit is CL010 where it was hit):
* a script over MAX_SCRIPT_BYTES (4 MiB of UTF-8, as a YAML file) is not parsed (CL010);
* command substitutions nested deeper than 48 levels are not analysed (CL010);
* nested code (sh -c / eval / ssh / here-doc) deeper than 4 levels, or past 256 KiB of nested
  code re-parsed for the script (`eval` of a doubled variable), is not analysed (CL010);
* a variable value over 64 KiB or an array over 4096 elements becomes UNKNOWN;
* the fallback lexer lexes each construct once, inside the construct that holds it (a `$( )` in
  a backtick substitution ends with it), so its work is linear in the script's size;
* a command reached again by another expansion path (`eval "$A;$A"`) is one command.

Positions: 1-based lines counted at LF (a CRLF counts once; a lone CR is an
ordinary character), columns in code points.  Inside nested code a word's
span is exact for text written literally in the file (single- or
double-quoted, unescaped); an escape (`\\"`) maps to the escape sequence,
and text that came from an expansion (`eval "$CMD"`) to that expansion.

Functions: a function that runs its arguments (`"$@"`) is a wrapper at its
call sites; one that prints (`echo`/`printf`) is evaluated where `$(...)`
calls it, at most MAX_CALLS deep and never inside itself (CL007).  Other
commands in function bodies are read once, where written.  Variables keep
the values other branches left as possible alternatives (interpreter.py).

Not modelled yet: brace expansion, globs and `~` (the text stays as
written); `sh <<< "..."` (not read as code); `env -S`, `su --command=...`;
after a syntax error, suppression extents cover simple commands only and
a here-doc piped into a command is not followed.  An unquoted here-doc body
fed to a shell is parsed as written (the outer shell's expansion of it is
not applied first), and nested code sees a copy of all variables, not only
exported ones.
"""

from __future__ import annotations

from composelint.model import Diagnostic, Span
from composelint.sources.docker_cli.words import ShellScript
from composelint.sources.shell.interpreter import Interpreter
from composelint.sources.shell.positions import Code, normalise, utf8_size
from composelint.sources.shell.sourcing import Sources

MAX_SCRIPT_BYTES = 4 * 1024 * 1024  # as MAX_YAML_BYTES: a 100,000-line deploy script is 3.6 MB
DEFAULT_TOOLS = ("docker", "podman", "nerdctl")

__all__ = ["DEFAULT_TOOLS", "MAX_SCRIPT_BYTES", "Sources", "parse_script"]


def parse_script(
    path: str, text: str, tools: tuple[str, ...] = DEFAULT_TOOLS, *, sources: Sources | None = None
) -> ShellScript:
    """Read one script (already decoded, BOM removed; CRLF allowed).  With `sources`, the
    files it sources (`. lib.sh`) are read for their functions and variables (sourcing.py)."""
    script = ShellScript(path, text)
    src = normalise(text)
    size = utf8_size(src)
    if size > MAX_SCRIPT_BYTES:
        script.diagnostics.append(
            Diagnostic(
                "CL010",
                f"Script is larger than {MAX_SCRIPT_BYTES // (1024 * 1024)} MiB ({size} bytes); not parsed",
                Span(path, 1, 1, 1, 1),
            )
        )
        return script
    interpreter = Interpreter(path, src, text, tools, sources)
    try:
        interpreter.run(Code(src))
    except RecursionError:
        interpreter.diagnostics.append(
            Diagnostic(
                "CL010",
                "script nested too deeply for the shell front end; analysis stopped there",
                Span(path, 1, 1, 1, 1),
            )
        )
    script.invocations = sorted(
        interpreter.invocations,
        key=lambda i: (i.span.line, i.span.column, i.span.end_line, i.span.end_column),
    )
    script.diagnostics += interpreter.diagnostics
    if interpreter.invocations:  # else nothing starts a container: what was not parsed does not matter
        script.diagnostics += interpreter.unread
    script.extents = sorted(interpreter.extents)
    script.value_spans = sorted(interpreter.values)
    script.env_values = interpreter.env_values
    return script
