"""Coverage-guided fuzzing of the whole pipeline with atheris (issue 17).

An input is a small tree of files (fuzz/inputs.py: compose and its `.env`, a configuration file,
a shell script, Markdown, a workflow, a devcontainer.json, Quadlet and systemd units...).
The tree is linted through `composelint.app.run` with every rule and rendered in every format.
Anything but a finding is a crash: libFuzzer saves the input as crash-*; turn it into a fixture.

    pip install atheris
    python fuzz/seeds.py /tmp/seeds ../shared/corpus          # real files as seed inputs
    nice -n 19 python fuzz/fuzz_lint.py -max_total_time=3600 -timeout=20 -max_len=16384 \\
        fuzz/corpus /tmp/seeds                                 # an hour; new inputs go to fuzz/corpus
"""

from __future__ import annotations

import sys
import tempfile
from importlib import import_module
from pathlib import Path

import atheris
from inputs import tree

with atheris.instrument_imports():
    from composelint.app import LintError, Request, run
    from composelint.config import Overrides
    from composelint.report import render
    from composelint.report.formats import FORMAT_NAMES
    from composelint.rules import all_rules
    from composelint.sources.kinds import FRONT_ENDS, SET_FRONT_ENDS

    # Imported on first use by the pipeline: imported here, so that their code is instrumented too.
    all_rules()
    for module in (*FRONT_ENDS.values(), *SET_FRONT_ENDS.values()):
        import_module(module)


def one_input(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in tree(data).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        try:
            result = run(Request(paths=(str(root),), overrides=Overrides(select=["ALL"]), jobs=1))
        except LintError as error:  # an unusable configuration file: a usage error, not a crash
            if error.config is None:
                raise
            return
        for name in FORMAT_NAMES:
            render(name, result.lint).encode("utf-8")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
