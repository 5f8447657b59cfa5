"""The YAML front end: YAML 1.2 typing, merge keys, duplicate keys, limits, positions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, findings, lint_json
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml.error import YAMLError

from composelint.limits import MAX_YAML_DEPTH
from composelint.model import Span
from composelint.sources.compose import yaml_tree
from composelint.sources.compose.yaml_tree import YMap, YScalar, YSeq, read_yaml


def _root(text: str) -> YMap:
    document = read_yaml("compose.yaml", text)
    assert not document.diagnostics, document.diagnostics
    (root,) = document.roots
    assert isinstance(root, YMap)
    return root


def _values(node: YMap) -> dict[str, object]:
    return {key.text: value.value for key, value in node.items if isinstance(value, YScalar)}


def _cli(path: Path, *args: str) -> subprocess.CompletedProcess:
    """The real executable in a child process: a crash or hang cannot take pytest down."""
    return subprocess.run(
        [sys.executable, "-m", "composelint", "check", "--output-format", "concise", *args, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- YAML 1.2 typing, as Compose v2 reads it ---------------------------------------


def test_yaml_12_typing():
    values = _values(
        _root(
            "port: 22:22\nrestart: no\nflag: on\nyes_: yes\nreal: true\nother: False\n"
            'count: 017\nhex: 0x1F\nnothing: ~\nquoted: "true"\n'
        )
    )
    assert values == {
        "port": "22:22",
        "restart": "no",
        "flag": "on",
        "yes_": "yes",
        "real": True,
        "other": False,
        "count": 15,
        "hex": 31,
        "nothing": None,
        "quoted": "true",
    }


def test_leading_zero_is_octal_as_in_go_yaml():
    # Compose's go-yaml parses ints with ParseInt(s, 0): `- 010` publishes port 8.
    assert _values(_root("a: 010\nb: -010\nc: 0o10\nd: 019\n")) == {"a": 8, "b": -8, "c": 8, "d": "019"}


def test_base60_port_stays_a_string_through_the_cli(tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_text("services:\n  ssh:\n    image: alpine:3.20\n    ports:\n      - 22:22\n")
    report = lint_json("--select", "CL2", str(path))
    ports = [f for f in report["findings"] if f["code"] == "CL208"]
    assert [(f["range"]["start"]["line"], f["range"]["start"]["column"]) for f in ports] == [(5, 9)]
    assert "22:22" in ports[0]["message"]


# -- merge keys ------------------------------------------------------------------------


def test_merge_key_explicit_keys_win_wherever_they_stand():
    root = _root(
        "x-base: &base\n  image: nginx:1.26\n  restart: always\n"
        "services:\n  a:\n    image: nginx:1.27\n    <<: *base\n  b:\n    <<: *base\n    restart: 'no'\n"
    )
    services = root.get("services")
    assert _values(services.get("a")) == {"image": "nginx:1.27", "restart": "always"}
    assert _values(services.get("b")) == {"image": "nginx:1.26", "restart": "no"}


def test_merge_key_list_earlier_source_wins():
    root = _root(
        "x-a: &a {image: a, user: a}\nx-b: &b {image: b, init: true}\nsvc:\n  <<: [*a, *b]\n  init: false\n"
    )
    assert _values(root.get("svc")) == {"image": "a", "user": "a", "init": False}


def test_merged_value_keeps_the_position_of_the_anchor():
    root = _root("x-priv: &priv\n  privileged: true\nservices:\n  a:\n    <<: *priv\n")
    value = root.get("services").get("a").get("privileged")
    assert (value.span.line, value.span.column) == (2, 15)


def test_privileged_from_an_anchor_is_reported_at_the_anchor(tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_text(
        "x-priv: &priv\n  privileged: true\nservices:\n  a:\n    <<: *priv\n    image: x\n"
        "  b:\n    <<: *priv\n    image: y\n"
    )
    # One finding per (rule, location), naming both services (issue 10: was one per service).
    assert findings("--select", "CL301", str(path)) == [("CL301", 2, 15, "error")]
    [finding] = lint_json("--select", "CL301", str(path))["findings"]
    assert "(also `b`, which share this line)" in finding["message"]


def test_merge_of_a_scalar_is_an_error():
    document = read_yaml("c.yaml", "x: &x 1\ny:\n  <<: *x\n")
    assert [(d.code, d.span.line, d.span.column) for d in document.diagnostics] == [("CL001", 3, 3)]


# -- duplicate keys ------------------------------------------------------------------


def test_duplicate_key_reported_at_second_with_first_as_related(tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_text("services:\n  web:\n    image: nginx:1.27\n    read_only: true\n    image: nginx:1.26\n")
    report = lint_json("--select", "CL003", str(path))
    (finding,) = [f for f in report["findings"] if f["code"] == "CL003"]
    assert finding["range"]["start"] == {"line": 5, "column": 5}
    assert finding["severity"] == "error"
    assert [r["range"]["start"] for r in finding["related"]] == [{"line": 3, "column": 5}]
    assert finding["related"][0]["path"] == finding["path"]


def test_two_merge_keys_in_one_mapping_are_duplicates():
    document = read_yaml("c.yaml", "x-a: &a {a: 1}\nx-b: &b {b: 2}\ns:\n  <<: *a\n  <<: *b\n")
    assert [(d.code, d.span.line, d.related[0].line) for d in document.diagnostics] == [("CL003", 5, 4)]


def test_duplicate_keys_in_different_documents_are_fine():
    document = read_yaml("c.yaml", "a: 1\n---\na: 2\n")
    assert not document.diagnostics and len(document.roots) == 2


# -- resource limits ------------------------------------------------------------------


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\nservices:\n  web:\n    image: nginx\n"


def test_billion_laughs_is_rejected(tmp_path):
    """The time is checked by `python bench/hostile.py 12`."""
    path = tmp_path / "compose.yaml"
    path.write_text(_billion_laughs())
    result = _cli(path)
    assert result.returncode == 1, result.stderr
    assert "CL010" in result.stdout and "aliases" in result.stdout
    document = read_yaml("c.yaml", _billion_laughs())
    assert [d.code for d in document.diagnostics] == ["CL010"] and not document.roots


def test_a_document_over_the_alias_bound_adds_nothing_but_its_cl010():
    """The tree is built and the aliases counted in one walk: what the walk had found in the
    document that hits the bound (a duplicate key) is dropped; earlier documents keep theirs."""
    first = "a: 1\na: 2\n"
    bomb = "dup: 1\ndup: 2\n" + _billion_laughs()
    document = read_yaml("c.yaml", first + "---\n" + bomb)
    assert [(d.code, d.span.line) for d in document.diagnostics] == [("CL003", 2), ("CL010", 11)]
    assert not document.roots and document.extents == [(1, 1, 1), (2, 1, 2)]


def test_deep_nesting_is_rejected():
    depth = MAX_YAML_DEPTH + 5
    document = read_yaml("c.yaml", "a: " + "[" * depth + "]" * depth + "\n")
    (diagnostic,) = document.diagnostics
    assert diagnostic.code == "CL010" and "nesting" in diagnostic.message
    assert not document.roots
    block = "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth))
    assert [d.code for d in read_yaml("c.yaml", block).diagnostics] == ["CL010"]


def test_very_deep_nesting_does_not_crash_the_interpreter(tmp_path):
    """ruamel's C composer recurses once per level: 30,000 levels used to segfault."""
    path = tmp_path / "compose.yaml"
    path.write_text("services: " + "[" * 200_000 + "]" * 200_000 + "\n")
    result = _cli(path)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "CL010" in result.stdout and "nesting deeper than" in result.stdout


def _alternating(depth: int) -> str:
    """Mappings and sequences nested in turn, each sequence at its mapping's column."""
    lines, column = [], 0
    for level in range(depth):
        if level % 2 == 0:
            lines.append(" " * column + f"k{level}:")
        else:
            lines.append(" " * column + "-")
            column += 2
    return "\n".join([*lines, " " * column + "end"]) + "\n"


LONG_LINE = "x: " + "long command line " * 30 + "\n"


@pytest.mark.parametrize(
    "text",
    [
        _alternating(MAX_YAML_DEPTH + 4),
        "- " * (MAX_YAML_DEPTH + 4) + "end\n",
        "? " + "- " * 160 + "a\n: " + "- " * (MAX_YAML_DEPTH + 4) + "b\n",
    ],
)
def test_deep_block_nesting_beside_a_long_line_is_rejected(text):
    """A line longer than the depth limit takes the tighter bound (indentation and indicators),
    which still sends a deep file through the walk that measures its depth."""
    assert yaml_tree._nesting_bound(LONG_LINE + "---\n" + text) > MAX_YAML_DEPTH
    diagnostics = read_yaml("c.yaml", LONG_LINE + "---\n" + text).diagnostics
    assert [d.code for d in diagnostics] == ["CL010"] and "nesting" in diagnostics[0].message


def test_a_long_line_of_a_shallow_file_keeps_the_bound_low():
    """A long line alone no longer sends a file through the depth walk (42 of 500 corpus files)."""
    text = (
        "services:\n  web:\n    image: nginx\n    command: " + "x " * 2_000 + "\n    ports:\n      - 80:80\n"
    )
    assert yaml_tree._nesting_bound(text) < MAX_YAML_DEPTH // 10
    assert not read_yaml("c.yaml", _alternating(MAX_YAML_DEPTH - 40) + LONG_LINE).diagnostics


def test_nesting_up_to_the_limit_is_accepted():
    depth = MAX_YAML_DEPTH - 1
    document = read_yaml("c.yaml", "a: " + "[" * depth + "]" * depth + "\n")
    assert not document.diagnostics


# -- positions ------------------------------------------------------------------------


def test_crlf_and_bom_give_correct_positions(tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_bytes(
        b"\xef\xbb\xbfservices:\r\n  web:\r\n    image: nginx:1.27\r\n"
        b"    privileged: true\r\n    pid: host\r\n"
    )
    assert findings("--select", "CL301,CL302", str(path)) == [
        ("CL301", 4, 17, "error"),
        ("CL302", 5, 10, "error"),
    ]


def test_bom_on_a_commented_first_line(tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_bytes(
        b"\xef\xbb\xbf# composelint: disable-file=CL301\r\nservices:\r\n  web:\r\n"
        b"    image: nginx:1.27\r\n    privileged: true\r\n"
    )
    report = lint_json("--select", "CL301", str(path))
    assert [f["suppressed"] for f in report["findings"]] == [{"kind": "inline", "reason": None}]


def test_block_scalar_ends_on_its_last_line():
    root = _root("a: |\n  one\n  two\nb: 1\n")
    assert (root.get("a").span.end_line, root.get("a").span.end_column) == (3, 6)


def test_syntax_error_position():
    document = read_yaml("c.yaml", "services:\n  web:\n    image: nginx: 1.27\n")
    (diagnostic,) = document.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("CL001", 3, 17)


def test_unclosed_quote_at_end_of_file_points_at_the_quote(tmp_path):
    """The parser notices at the end of the stream; the fix belongs where the quote opens."""
    path = tmp_path / "compose.yaml"
    path.write_text('services:\n  web:\n    image: "nginx:1.27\n    restart: always\n')
    assert findings(str(path)) == [("CL001", 3, 12, "error")]


def test_error_at_end_of_file_never_points_past_the_last_line():
    text = "services:\n  web:\n    ports: [\n\n\n"
    (diagnostic,) = read_yaml("c.yaml", text).diagnostics
    assert diagnostic.code == "CL001"
    assert diagnostic.span.line <= len(text.splitlines())


def test_cl001_fixture_at_end_of_file(tmp_path):
    """Companion of fixtures/rules/CL001/positive_unclosed_quote.yaml (the error is at EOF)."""
    path = FIXTURES / "rules" / "CL001" / "positive_unclosed_quote.yaml"
    assert findings(str(path)) == [("CL001", 4, 14, "error")]


# -- documents, tags, odd inputs -------------------------------------------------------


def test_multi_document_file(tmp_path):
    text = "services:\n  web:\n    image: nginx:1.27\n---\nservices:\n  web:\n    privileged: true\n"
    assert len(read_yaml("c.yaml", text).roots) == 2
    path = tmp_path / "compose.yaml"
    path.write_text(text)
    assert findings("--select", "CL301", str(path)) == [("CL301", 7, 17, "error")]


def test_reset_and_override_tags_are_kept():
    root = _root(
        "services:\n  web:\n    ports: !reset []\n    volumes: !override\n      - ./a:/a\n"
        "    image: !reset null\n"
    )
    web = root.get("services").get("web")
    assert isinstance(web.get("ports"), YSeq) and web.get("ports").tag == "!reset"
    assert isinstance(web.get("volumes"), YSeq) and web.get("volumes").tag == "!override"
    assert [item.text for item in web.get("volumes").items] == ["./a:/a"]
    assert web.get("image").tag == "!reset"


def test_non_utf8_file_is_a_finding(tmp_path):
    """A file that cannot be decoded is reported on the file (CL006); the run goes on (issue 17)."""
    path = tmp_path / "compose.yaml"
    path.write_bytes(b"services:\n  web:\n    image: caf\xe9\n")
    result = _cli(path)
    assert result.returncode == 1 and result.stderr == ""
    [line] = result.stdout.splitlines()
    assert "CL006" in line and "not UTF-8 text (byte 31)" in line


def test_empty_and_comment_only_files_give_no_finding(tmp_path):
    for name, text in (("empty.yaml", ""), ("comments.yaml", "# nothing here yet\n"), ("blank.yaml", "\n\n")):
        path = tmp_path / name
        path.write_text(text)
        assert findings("--select", "ALL", str(path)) == []
    assert read_yaml("c.yaml", "").roots == [] and read_yaml("c.yaml", "").diagnostics == []


@given(st.text(alphabet="ab \r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e"))
def test_lines_are_split_at_yaml_line_breaks_only(text):
    """The fast split (str.splitlines) gives what the YAML break pattern gives, whatever the text."""
    assert yaml_tree._yaml_lines(text) == yaml_tree._LINE_BREAK.split(text)


def test_spans_are_one_based_and_end_exclusive():
    root = _root("key: value\n")
    ((key, value),) = root.items
    assert key.span == Span("compose.yaml", 1, 1, 1, 4)
    assert value.span == Span("compose.yaml", 1, 6, 1, 11)


def _shape(node) -> object:
    """A composed node as (tag, value, start, end), its children the same way."""
    value = node.value
    if isinstance(value, list):
        value = [_shape(item) if not isinstance(item, tuple) else tuple(map(_shape, item)) for item in value]
    return (str(node.tag), value, (node.start_mark.line, node.start_mark.column), node.end_mark.index)


def test_the_c_composer_composes_as_ruamels_loader():
    """The composer class made once composes what `YAML.compose_all` does (tags of YAML 1.2 core,
    aliases, several documents, a `%YAML 1.1` directive that Compose ignores)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*compose*.y*ml"))[:60]]
    texts.append("%YAML 1.1\n---\na: &x [yes, 0o17, 1_000, ~]\nb: *x\n---\nc: {d: 1.5e3}\n")
    assert len(texts) > 10
    for text in texts:
        try:
            expected = [_shape(node) for node in yaml_tree._yaml(pure=False).compose_all(text)]
        except YAMLError as error:  # hostile and broken fixtures: the same error
            with pytest.raises(type(error)):
                yaml_tree._composed(text, pure=False)
            continue
        assert [_shape(node) for node in yaml_tree._composed(text, pure=False)] == expected
