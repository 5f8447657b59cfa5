"""`.env` files as Compose reads them (docs/semantics.md 5.8)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from composelint.sources.compose.dotenv import DotenvError, parse_dotenv


def test_syntax():
    text = (
        "# a comment\n"
        "\n"
        "PLAIN=value\n"
        "export EXPORTED=1\n"
        "COLON: two words # trailing comment\n"
        "HASH=a#b\n"
        "SINGLE='${PLAIN} stays'\n"
        'DOUBLE="line\\nbreak ${PLAIN}"\n'
        'MULTI="first\nsecond"\n'
        "REF=${PLAIN}-${MISSING:-default}\n"
        "EMPTY=\n"
        "DOTTED.KEY-1=x\n"
    )
    assert parse_dotenv(text) == {
        "PLAIN": "value",
        "EXPORTED": "1",
        "COLON": "two words",
        "HASH": "a#b",
        "SINGLE": "${PLAIN} stays",
        "DOUBLE": "line\nbreak value",
        "MULTI": "first\nsecond",
        "REF": "value-default",
        "EMPTY": "",
        "DOTTED.KEY-1": "x",
    }


def test_crlf_line_endings():
    assert parse_dotenv("A=1\r\nB=2\r\n") == {"A": "1", "B": "2"}


def test_bare_key_takes_the_environment_value_only_when_given():
    assert parse_dotenv("HOME\n") == {}
    assert parse_dotenv("HOME\n", {"HOME": "/root"}) == {"HOME": "/root"}


def test_environment_wins_over_the_file():
    assert parse_dotenv("BIND_IP=0.0.0.0\n", {"BIND_IP": "127.0.0.1"}) == {"BIND_IP": "127.0.0.1"}


@pytest.mark.parametrize(
    "text, line",
    [("GOOD=1\nnot an assignment\n", 2), ("A='unterminated\n", 1), ("=value\n", 1), ("A=${\n", 1)],
)
def test_errors_name_the_line(text, line):
    with pytest.raises(DotenvError) as error:
        parse_dotenv(text)
    assert error.value.line == line


@given(st.text())
def test_never_raises_anything_but_dotenv_error(text):
    with contextlib.suppress(DotenvError):
        parse_dotenv(text)
