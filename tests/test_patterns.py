"""Module-level patterns are compiled on first use, and each one compiles."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys

import composelint
from composelint.patterns import _Pending, lazy_pattern


def test_a_lazy_pattern_answers_as_the_compiled_one():
    lazy, compiled = lazy_pattern(r"(?P<key>\w+)=(\d*)", re.I), re.compile(r"(?P<key>\w+)=(\d*)", re.I)
    text = "a=1 B=22 c="
    assert lazy.search(text).span() == compiled.search(text).span()  # type: ignore[union-attr]
    assert lazy.match("x") is compiled.match("x") is None and bool(lazy.fullmatch("a=1"))
    assert (lazy.sub(r"\2", text), lazy.subn("", text)) == (
        compiled.sub(r"\2", text),
        compiled.subn("", text),
    )
    assert (lazy.findall(text), lazy.split(text)) == (compiled.findall(text), compiled.split(text))
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert (lazy.pattern, lazy.flags, lazy.groups, lazy.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
        compiled.groupindex,
    )
    assert lazy_pattern(rb"^#!").match(b"#!/bin/sh")


def test_every_pattern_of_the_package_compiles():
    pending = []
    for module in pkgutil.walk_packages(composelint.__path__, "composelint."):
        if module.name == "composelint.__main__":
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, _Pending):
                pending.append(value)
    assert len(pending) > 100
    for pattern in pending:
        assert isinstance(pattern.groups, int)  # compiles it; an invalid pattern raises re.error


def test_starting_compiles_no_pattern_of_the_package():
    code = (
        "import re, sys; compiled = []; original = re.compile\n"
        "def counting(pattern, flags=0):\n"
        "    if sys._getframe(1).f_globals.get('__name__', '').startswith('composelint'):\n"
        "        compiled.append(pattern)\n"
        "    return original(pattern, flags)\n"
        "re.compile = counting\n"
        "import composelint.cli, composelint.app, composelint.rules\n"
        "composelint.rules.all_rules()\n"
        "print(compiled)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
