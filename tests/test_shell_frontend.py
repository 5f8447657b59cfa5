"""The shell front end: which container-tool invocations a script contains,
with the words the shell would pass and where each word is written.

Scripts are in fixtures/shell/; positions are `line:column` (1-based, code points).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composelint.sources.directives import scan_directives
from composelint.sources.docker_cli.words import UNKNOWN, Invocation, ShellScript, Word
from composelint.sources.shell import MAX_SCRIPT_BYTES, parse_script
from composelint.sources.shell.interpreter import Interpreter
from composelint.sources.shell.positions import ascii_copy

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "shell"
U = UNKNOWN


def script(name: str) -> ShellScript:
    path = FIXTURES / name
    return parse_script(str(path), path.read_bytes().decode("utf-8"))  # bytes: keep CRLF as written


def parse(text: str, **kwargs) -> ShellScript:
    return parse_script("t.sh", text, **kwargs)


def argv(result: ShellScript) -> list[list[str]]:
    return [[w.text for w in invocation.words] for invocation in result.invocations]


def word(invocation: Invocation, text: str) -> Word:
    return next(w for w in invocation.words if w.text == text)


def at(span) -> str:
    return f"{span.line}:{span.column}"


def whole(span) -> str:
    return f"{span.line}:{span.column}-{span.end_line}:{span.end_column}"


def code_diagnostics(result: ShellScript, rule: str = "CL007") -> list[str]:
    return [d.message for d in result.diagnostics if d.code == rule]


# -- words and positions --


def test_backslash_continuations_keep_every_word_on_its_line():
    first, second = script("continuation.sh").invocations
    assert [w.text for w in first.words] == [
        "docker",
        "run",
        "-d",
        "--name",
        "web",
        "--net=host",
        "-p",
        "8080:80",
        "nginx:1.25",
    ]
    assert whole(first.span) == "3:1-7:13"
    assert at(word(first, "--net=host").span) == "5:3"
    assert at(word(first, "nginx:1.25").span) == "7:3"
    # a continuation inside a word joins it (tree-sitter cuts it in two)
    assert [w.text for w in second.words] == ["docker", "run", "--net=host", "alpine"]
    assert word(second, "--net=host").written == "--net=ho\\\nst"
    assert whole(word(second, "--net=host").span) == "8:12-9:3"


def test_crlf_file_positions_and_words():
    result = script("crlf.sh")
    assert argv(result) == [["docker", "run", "--net=host", "--pid=host", "alpine"]]
    invocation = result.invocations[0]
    assert whole(invocation.span) == "3:1-5:20"
    assert at(word(invocation, "--net=host").span) == "4:3"
    assert at(word(invocation, "--pid=host").span) == "5:3"
    assert at(word(invocation, "alpine").span) == "5:14"
    assert not code_diagnostics(result)


def test_columns_are_code_points_not_bytes():
    result = parse("echo 'héllo wörld ✓ 🐳'; docker run --net=host alpine\n")
    assert at(word(result.invocations[0], "--net=host").span) == "1:36"


def test_tree_sitter_only_sees_ascii():
    # tree-sitter-bash's scanner calls isalpha() on code points: undefined above 255, random segfaults
    text = "echo {\U0010ffff} é🐳\n"
    copy = ascii_copy(text)
    assert copy.isascii() and len(copy) == len(text)
    for _ in range(200):
        assert (
            parse(text + "docker run --net=host {\U0010ffff}\n").invocations[0].words[3].text
            == "{\U0010ffff}"
        )


def test_quotes_and_escapes_are_removed():
    result = parse(
        """docker run "--net=host" '--pid=host' -e "A=\\"q\\"" -e $'X=a\\tb' -e $"L=hi" -v /a\\ b:/c x\n"""
    )
    assert argv(result) == [
        [
            "docker",
            "run",
            "--net=host",
            "--pid=host",
            "-e",
            'A="q"',
            "-e",
            "X=a\tb",
            "-e",
            "L=hi",
            "-v",
            "/a b:/c",
            "x",
        ]
    ]
    words = result.invocations[0].words
    assert words[2].written == '"--net=host"' and at(words[2].span) == "1:12"


def test_split_words_from_tree_sitter_are_merged():
    result = parse('docker run -v $A/x:$B/y -e $"X=hi" alpine\n')
    assert argv(result) == [["docker", "run", "-v", f"{U}/x:{U}/y", "-e", "X=hi", "alpine"]]


# -- data is not code --


def test_echo_printf_comments_for_lists_and_traps_are_data():
    assert script("echo_data.sh").invocations == []


def test_heredocs_to_cat_tee_and_files_are_data():
    result = script("heredoc_data.sh")
    # only the command substitution inside an unquoted body runs, and the command after
    assert argv(result) == [
        ["docker", "run", "-d", "--net=host", "busybox"],
        ["docker", "run", "--name", "after", "alpine"],
    ]
    assert at(result.invocations[0].span) == "14:12"


# -- nested code --


def test_heredoc_fed_to_a_shell_or_ssh_is_code():
    result = script("heredoc_code.sh")
    assert [(i.tool, i.via, at(i.span)) for i in result.invocations] == [
        ("docker", "here-doc", "3:1"),
        ("docker", "here-doc", "7:3"),
        ("podman", "here-doc", "10:1"),
    ]
    assert at(word(result.invocations[0], "--net=host").span) == "3:12"
    assert at(word(result.invocations[1], "--pid=host").span) == "7:17"


def test_ssh_remote_command_column_inside_the_quotes():
    result = script("ssh.sh")
    assert [(i.via, [w.text for w in i.words]) for i in result.invocations] == [
        ("ssh", ["docker", "run", "--net=host", "nginx"]),
        ("ssh", ["docker", "run", "-d", "--pid=host", "busybox"]),
        ("ssh", ["docker", "run", "--privileged", "alpine"]),
    ]
    first = result.invocations[0]
    assert whole(word(first, "--net=host").span) == "2:22-2:32"
    assert word(first, "--net=host").written == "--net=host"
    assert at(word(result.invocations[1], "--pid=host").span) == "3:86"
    assert at(word(result.invocations[2], "--privileged").span) == "4:29"


def test_sh_c_variants():
    result = script("sh_c.sh")
    assert [(i.tool, i.via, at(word(i, "run").span)) for i in result.invocations] == [
        ("docker", "sh -c", "2:15"),
        ("docker", "sh -c", "3:18"),
        ("podman", "sh -c", "4:18"),
        ("nerdctl", "sh -c", "5:19"),
        ("docker", "sh -c", "6:20"),
        ("docker", "su -c", "7:24"),
    ]
    assert at(word(result.invocations[0], "--net=host").span) == "2:19"


def test_eval():
    first, from_variable, escaped = script("eval.sh").invocations
    assert first.via == "eval" and at(word(first, "--net=host").span) == "2:18"
    # code that came from a variable points at the expansion
    assert [w.text for w in from_variable.words] == ["docker", "run", "--privileged", "busybox"]
    assert whole(word(from_variable, "--privileged").span) == "4:7-4:11"
    assert [w.text for w in escaped.words] == ["docker", "run", "--pid=host", "my app"]


def test_command_substitutions_backticks_and_process_substitution():
    result = script("command_substitution.sh")
    assert [(i.tool, at(i.span)) for i in result.invocations] == [
        ("docker", "2:6"),
        ("docker", "3:6"),
        ("docker", "4:13"),
        ("podman", "5:12"),
        ("docker", "6:8"),
    ]
    assert at(word(result.invocations[0], "--net=host").span) == "2:20"


def test_documentation_style_optional_marks_placeholders_and_redirections():
    # bash ends a comment inside backticks at the closing backtick; tree-sitter-bash ran it to the end
    # of the line and lost every later word and command (CL008 on a "flag" spanning the rest). Words
    # after a redirection's target are the command's, as bash reads them; a documentation
    # placeholder (`<ip-from-machine-1>`) is one word to fill in, not two redirections.
    result = script("documentation_style.sh")
    assert argv(result) == [
        ["docker", "run", "-d", "--name=wikijs", "-e", "DB_TYPE=sqlite", "-e", "DB_HOST=", "-p", "3000:3000"]
        + ["-v", "/srv/wikijs:/data", "lscr.io/linuxserver/wikijs:latest"],
        ["docker", "run", "--net=host", "alpine"],
        ["docker", "run", "-d", "--pid=host", "alpine"],
        [
            "docker",
            "run",
            "-e",
            "HOST=<ip-from-machine-1>",
            "-v",
            "</path/to/config>:/config",
            "-p",
            "8080:80",
        ]
        + ["<image>"],
    ]
    assert at(word(result.invocations[0], "-p").span) == "8:3"
    assert at(word(result.invocations[1], "--net=host").span) == "11:28"
    assert not code_diagnostics(result)


def test_placeholders_glued_to_a_word_are_part_of_it_and_redirections_stay():
    # A placeholder after `/` or `-`, with words inside when glued to what precedes it, is one word to
    # fill in; a script's redirections with blanks around (`<in.txt >out.txt`, `<a b> c`) stay
    # redirections.
    result = parse(
        "docker run --rm registry/<expected-repository>:dev-<expected tag> bash\n"
        "docker run -i alpine sort <in.txt >out.txt\n"
        "docker run -i alpine cat <a b> c\n"
        "docker run -i --rm nginx<site.conf 2>/dev/null\n"
    )
    assert argv(result) == [
        ["docker", "run", "--rm", "registry/<expected-repository>:dev-<expected tag>", "bash"],
        ["docker", "run", "-i", "alpine", "sort"],
        ["docker", "run", "-i", "alpine", "cat", "b"],
        ["docker", "run", "-i", "--rm", "nginx"],
    ]


def test_arithmetic_and_substitution_values_are_unknown():
    result = script("arithmetic.sh")
    # $(( )) and $( ) values are unknown, never executed; `$(cd "$(dirname "$0")" && pwd)`
    # is the script's directory, as the script is shown
    assert argv(result) == [
        ["docker", "run", "-p", f"{U}:80", "-v", f"{FIXTURES}:/app", "alpine"],
        ["docker", "run", "-p", f"{U}:80", "alpine"],
    ]
    assert result.invocations[0].words[3].certainty == "unknown"


def test_deeply_nested_substitution_is_bounded():
    """The time is checked by `python bench/hostile.py 25`."""
    text = "X=" + "$(echo " * 3000 + "docker run --net=host a" + ")" * 3000 + "\ndocker run --pid=host b\n"
    result = parse(text)
    assert [w.text for w in result.invocations[-1].words] == ["docker", "run", "--pid=host", "b"]
    assert any("nested deeper" in message for message in code_diagnostics(result, "CL010"))


def test_nested_code_depth_is_capped():
    text = "eval 'eval \"eval eval eval eval docker run --net=host a\"'\n"
    result = parse(text)
    assert result.invocations == []
    assert any("nested more than" in message for message in code_diagnostics(result, "CL010"))


# -- wrappers --


def test_wrappers_are_stripped():
    result = script("wrappers.sh")
    assert [(at(i.span), [w.text for w in i.words][:3]) for i in result.invocations] == [
        ("2:1", ["docker", "run", "--net=host"]),
        ("3:1", ["docker", "run", "--privileged"]),
        ("4:1", ["docker", "run", "--pid=host"]),
        ("5:1", ["docker", "run", "--ipc=host"]),
        ("6:1", ["docker", "run", "--net=host"]),
        ("7:1", ["docker", "run", "--net=host"]),
        ("8:1", ["docker", "run", "--net=host"]),
        ("10:1", ["docker", "run", "--net=host"]),
        ("11:1", ["docker", "ps", "-q"]),
        ("11:16", ["docker", "restart"]),
        ("12:1", ["docker", "run", "--net=host"]),
        ("13:1", ["docker", "run", "--net=host"]),
        ("14:1", ["/usr/local/bin/docker", "run", "--net=host"]),
        ("15:1", ["docker", "run", "--net=host"]),
    ]
    assert {i.tool for i in result.invocations} == {"docker"}
    sudo = result.invocations[1]
    assert at(sudo.words[0].span) == "3:17"  # words[0] is the tool, wrappers removed
    assert whole(sudo.span) == "3:1-3:47"  # the span covers the whole command


def test_time_keyword():
    result = script("wrappers_time.sh")
    assert argv(result) == [
        ["docker", "run", "--uts=host", "alpine"],
        ["docker", "run", "--net=host", "alpine"],
    ]
    assert at(result.invocations[0].words[0].span) == "2:9"


def test_tools_argument():
    result = parse("docker run a\npodman run b\nfinch run c\n", tools=("finch",))
    assert argv(result) == [["finch", "run", "c"]]


# -- variables --


def test_tool_through_a_variable():
    result = script("variables.sh")
    podman, runtime, engine = result.invocations[:3]
    assert (podman.tool, podman.words[0].written, podman.words[0].certainty) == (
        "podman",
        "$DOCKER",
        "definite",
    )
    assert (runtime.tool, runtime.words[0].certainty, at(runtime.words[0].origin)) == (
        "docker",
        "possible",
        "4:20",
    )
    assert (engine.tool, engine.words[0].certainty, at(engine.words[0].origin)) == (
        "nerdctl",
        "possible",
        "6:11",
    )


def test_variables_definite_and_split():
    result = script("variables.sh")
    mode, quoted, split, unsplit, declared = result.invocations[3:]
    net = word(mode, "--net=host")
    assert (net.certainty, net.written, at(net.span)) == ("definite", "--net=$MODE", "9:12")
    assert [w.text for w in quoted.words] == ["docker", "run", "--network", "host", "alpine"]
    assert [w.text for w in split.words] == ["docker", "run", "--net", "host", "-p", "80:80", "alpine"]
    assert {at(w.span) for w in split.words[2:6]} == {"12:12"}  # each split word: the expansion's span
    assert [w.text for w in unsplit.words] == ["docker", "run", "--net host -p 80:80", "alpine"]
    assert [w.text for w in declared.words] == [
        "docker",
        "run",
        "-v",
        "/var/run/docker.sock:/var/run/docker.sock",
        "--pid=host",
        "-m",
        "512m",
        "alpine",
    ]
    assert all(w.certainty == "definite" for w in declared.words)


def test_arrays_of_options():
    result = script("arrays.sh")
    quoted_all, unquoted_star, quoted_star, elements, multiline, empty = result.invocations
    assert [w.text for w in quoted_all.words] == [
        "docker",
        "run",
        "--net",
        "host",
        "-p",
        "80:80",
        "--privileged",
        "alpine",
    ]
    host = quoted_all.words[3]
    assert (whole(host.span), host.written, at(host.origin)) == ("4:13-4:23", "${OPTS[@]}", "2:13")
    assert at(word(quoted_all, "--privileged").origin) == "3:8"
    assert [w.text for w in unquoted_star.words] == [w.text for w in quoted_all.words]
    assert [w.text for w in quoted_star.words] == [
        "docker",
        "run",
        "--net host -p 80:80 --privileged",
        "alpine",
    ]
    assert [w.text for w in elements.words] == ["docker", "run", "--net", "host", "alpine"]
    assert [w.text for w in multiline.words] == ["docker", "run", "--pid=host", "-e A=b c", "alpine"]
    assert [w.text for w in empty.words] == ["docker", "run", "alpine"]


def test_defaults():
    result = script("defaults.sh")
    texts = [[w.text for w in i.words][-2] for i in result.invocations]
    assert texts == [
        "--net=host",
        "--net=host",
        "8080:80",
        "--privileged",
        "--net=bridge",
        "--net=host",
        "--net=a b",
    ]
    mode = word(result.invocations[0], "--net=host")
    assert (mode.certainty, whole(mode.origin), at(mode.span)) == ("possible", "2:26-2:30", "2:12")
    port = word(result.invocations[2], "8080:80")
    assert (port.certainty, at(port.origin)) == ("possible", "4:11")  # ${PORT:=8080} assigned the default
    assert word(result.invocations[4], "--net=bridge").certainty == "definite"  # SET is assigned: no default
    assert word(result.invocations[5], "--net=host").certainty == "definite"  # EMPTY= is set but empty


def test_conditional_assignments_are_possible():
    result = script("conditional.sh")
    expected = [
        ("--net=host", "4:3"),
        ("--pid=host", "7:16"),
        ("--privileged", "10:10"),
        ("--ipc=host", "13:18"),
    ]
    got = [(i.words[2].text, at(i.words[2].origin)) for i in result.invocations]
    assert got == expected
    assert {i.words[2].certainty for i in result.invocations} == {"possible"}


def test_parameters_substitutions_and_read_are_unknown():
    result = script("unknown.sh")
    assert argv(result) == [
        ["docker", "run", f"--net={U}", "alpine"],
        ["docker", "run", U],
        ["docker", "run", f"--net={U}", "alpine"],
        ["docker", "run", f"--pid={U}", "alpine"],
        ["docker", "run", f"--net={U}", "alpine"],
        ["docker", "run", "--name", U, "alpine"],
        ["docker", "run", f"--net={U}", "alpine"],
    ]
    assert {w.certainty for i in result.invocations for w in i.words if not w.known} == {"unknown"}
    assert not result.invocations[0].words[2].known


def test_functions_are_extracted_once_with_variables_at_definition():
    result = script("functions.sh")
    assert [(at(i.span), [w.text for w in i.words]) for i in result.invocations] == [
        ("5:3", ["docker", "run", "--name", U, "--net=host", "nginx"]),
        ("8:3", ["docker", "stop", U]),
        ("14:3", ["docker", "run", "--net=host", "alpine"]),
        ("16:1", ["docker", "run", "--net=host", "busybox"]),
    ]
    # NET=bridge comes after the definition; assignments inside a function are conditional
    assert word(result.invocations[0], "--net=host").certainty == "definite"
    assert word(result.invocations[2], "--net=host").certainty == "possible"
    assert word(result.invocations[3], "--net=host").certainty == "possible"
    assert result.invocations[2].words[3].certainty == "possible"  # `local IMAGE=alpine`, in the function


def test_prefix_assignment_does_not_apply_to_its_own_command():
    result = parse("NET=host docker run --net=$NET alpine\n")
    assert argv(result) == [["docker", "run", f"--net={U}", "alpine"]]


def test_subshell_assignments_do_not_leak():
    result = parse("( NET=host; docker run --net=$NET a )\ndocker run --net=$NET b\n")
    assert argv(result) == [["docker", "run", "--net=host", "a"], ["docker", "run", f"--net={U}", "b"]]


def test_huge_variable_values_become_unknown():
    text = "X=ab\n" + 'X="$X$X"\n' * 40 + "docker run $X alpine\n"
    assert argv(parse(text)) == [["docker", "run", U, "alpine"]]


# -- constructs --


def test_compound_constructs():
    result = script("constructs.sh")
    names = [i.words[-1].text for i in result.invocations]
    assert names == [
        "a1",
        "a2",
        "a3",
        "a4",
        "c1",
        "c2",
        "f1",
        "f2",
        "w1",
        "u1",
        "s1",
        "b1",
        "alpine",
        "l1",
        "/etc/hosts",
        "n1",
        "t1",
        "sel1",
    ]
    assert [w.text for w in result.invocations[6].words] == [
        "docker",
        "run",
        "--name",
        f"c{U}",
        "--net=host",
        "f1",
    ]
    assert not code_diagnostics(result)


# -- errors and limits --


def test_syntax_error_falls_back_to_the_lexer():
    result = script("syntax_error.sh")
    assert [(at(i.span), i.words[-1].text) for i in result.invocations] == [
        ("2:1", "before"),
        ("3:15", "after"),
        ("7:3", "inside"),
    ]
    assert at(word(result.invocations[1], "--pid=host").span) == "3:26"
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "CL007"
    assert at(diagnostic.span) == "3:13"
    assert (diagnostic.span.line, diagnostic.span.column) == (3, 13) and "5 command(s)" in diagnostic.message


def test_fallback_lexer_handles_what_follows_an_error():
    text = (
        "docker run a\n"
        ")\n"  # stray: an error from here on
        "f() {\n  local n=host\n  docker run --net=$n b\n}\n"
        "case $1 in x) docker run c ;; esac\n"
        "X=$(docker run -d d && echo ok)\n"
        "cat <<EOF\ndocker run no\nEOF\n"
        "if [[ -n $y ]]; then sudo docker run e; fi\n"
        'OPTS=(--net host)\ndocker run "${OPTS[@]}" f\n'
        "sh -c 'docker run g'\n"
    )
    result = parse(text)
    assert code_diagnostics(result)
    assert [[w.text for w in i.words] for i in result.invocations] == [
        ["docker", "run", "a"],
        ["docker", "run", "--net=host", "b"],
        ["docker", "run", "c"],
        ["docker", "run", "-d", "d"],
        ["docker", "run", "e"],
        ["docker", "run", "--net", "host", "f"],
        ["docker", "run", "g"],
    ]
    assert result.invocations[1].words[2].certainty == "possible"  # inside a function
    assert at(result.invocations[-1].words[2].span) == "15:19"


def test_script_over_the_size_cap_is_not_parsed():
    text = "docker run --net=host alpine\n" * (5 * 1024 * 1024 // 29 + 1)  # 5 MiB
    assert len(text) > MAX_SCRIPT_BYTES
    result = parse(text)
    assert result.invocations == []
    assert "not parsed" in result.diagnostics[0].message and result.diagnostics[0].code == "CL010"


def test_empty_and_comment_only_scripts():
    for text in ("", "\n\n  \n", "# only a comment\n", "#!/bin/sh\n"):
        result = parse(text)
        assert result.invocations == [] and result.diagnostics == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("docker run -$(){}[]'\"`\\;&|<>\n\r\t#=:~*?!@ab0\u00e9\U0001f433")),
        max_size=300,
    )
    | st.text(max_size=300)
)
def test_parse_script_never_raises(text):
    result = parse(text)
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    for invocation in result.invocations:
        for w in invocation.words:
            assert (
                w.written
                == text[offset(w.span.line, w.span.column) : offset(w.span.end_line, w.span.end_column)]
            )
    assert all(1 <= line <= end_line <= len(starts) for line, _, end_line in result.extents)


# -- suppressions --


def test_extents_cover_compound_commands_for_suppressions():
    path = FIXTURES / "suppressions.sh"
    text = path.read_text(encoding="utf-8")
    result = script("suppressions.sh")
    assert (3, 1, 5) in result.extents  # the if ... fi
    assert (11, 1, 13) in result.extents  # the continued command
    directives = scan_directives(str(path), text, result.extents, result.value_spans)
    scopes = [(d.span.line, d.scope.line, d.scope.end_line) for d in directives]
    # the string and the here-doc body are data: no directive there
    assert scopes == [(2, 3, 5), (13, 13, 13)]
    assert [at(span) for span in result.value_spans] == ["6:6", "7:6", "9:1"]


def test_value_spans_come_from_the_fallback_lexer_too():
    result = parse(")\necho '# composelint: x'\ncat <<E\n# composelint: y\nE\n")
    assert [at(span) for span in result.value_spans] == ["2:6", "4:1"]


def test_comments_in_a_heredoc_fed_to_a_shell_are_comments():
    result = parse("bash <<E\n# composelint: ignore=CL101\ndocker run --net=host a\nE\n")
    assert result.value_spans == []
    assert (3, 1, 3) in result.extents


def test_plain_tool_commands_read_as_the_general_expansion_reads_them(monkeypatch):
    """A tool command written in plain words takes a short path (`Interpreter.plain_invocation`):
    its invocations are the ones the general expansion makes, spans and written text included, in
    a script with LF and with CRLF line ends."""
    text = (FIXTURES / "plain_words.sh").read_text(encoding="utf-8")
    short_path = Interpreter.plain_invocation
    taken: list[bool] = []

    def counted(self, *args):
        taken.append(short_path(self, *args))
        return taken[-1]

    for variant in (text, text.replace("\n", "\r\n")):
        monkeypatch.setattr(Interpreter, "plain_invocation", counted)
        short = parse_script("plain_words.sh", variant)
        monkeypatch.setattr(Interpreter, "plain_invocation", lambda *args: False)
        general = parse_script("plain_words.sh", variant)
        assert short == general
    assert taken.count(True) == 2 * 9  # all but the continuation inside a word, the quote, the variable
    assert len(short.invocations) == 12


def test_a_command_whose_words_all_expand_to_nothing_runs_nothing():
    """`$docker` with `docker=""` leaves no word at all: not a command, and no internal error
    (the check for a line of program output read the first word of an empty list)."""
    result = parse('docker=""\n$docker\n')
    assert argv(result) == []
    assert result.diagnostics == []
