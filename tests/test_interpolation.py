"""Compose variable interpolation (docs/semantics.md 5.7)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from composelint.sources.compose.interpolation import InterpolationError, interpolate

ENV = {"SET": "value", "EMPTY": ""}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain", "plain"),
        ("$SET", "value"),
        ("${SET}", "value"),
        ("a${SET}b", "avalueb"),
        ("${UNSET}", ""),
        ("${UNSET:-d}", "d"),
        ("${UNSET-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${SET:-d}", "value"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${UNSET:-${SET}}", "value"),
        ("${UNSET:-${ALSO_UNSET:-deep}}", "deep"),
        ("$$SET", "$SET"),
        ("$${SET}", "${SET}"),
        ("$(cat /run/secret) $1 $ x", "$(cat /run/secret) $1 $ x"),
        ("${UNSET:-127.0.0.1}:8080:80", "127.0.0.1:8080:80"),
    ],
)
def test_values(text, expected):
    assert interpolate(text, ENV).value == expected


def test_unset_variables_are_recorded_but_defaults_are_not_unset():
    result = interpolate("${BIND_IP}:${PORT:-80}:80", ENV)
    assert result.value == ":80:80"
    assert result.variables == ["BIND_IP", "PORT"]
    assert result.unset == ["BIND_IP"]
    assert result.from_variable


@pytest.mark.parametrize("text", ["${UNSET:?must be set}", "${UNSET?must be set}", "${EMPTY:?no}"])
def test_required_variable_missing_is_an_input_not_an_error(text):
    # The deploying person or tool sets it; CL005 reports it where a decision depends on it.
    result = interpolate(text, ENV)
    assert result.value == ""
    assert result.unset == [text[2:7]]


def test_required_variable_present():
    assert interpolate("${SET:?x}", ENV).value == "value"
    assert interpolate("${EMPTY?x}", ENV).value == ""


@pytest.mark.parametrize("text", ["${", "${SET", "${1ABC}", "${SET!x}", "${}", "${UNSET:-abc"])
def test_malformed(text):
    with pytest.raises(InterpolationError, match="invalid interpolation format"):
        interpolate(text, ENV)


@given(st.text())
def test_never_raises_anything_but_interpolation_error(text):
    with contextlib.suppress(InterpolationError):
        interpolate(text, ENV)


@given(st.text(alphabet=st.characters(blacklist_characters="$")))
def test_text_without_dollar_is_unchanged(text):
    assert interpolate(text, ENV).value == text
