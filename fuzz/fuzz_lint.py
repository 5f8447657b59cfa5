"""Coverage-guided fuzzing of the whole pipeline with atheris (issue 17).

The input bytes become a small tree, a compose file, its `.env`, a configuration file and a
shell script, linted through `composelint.app.run` and rendered in every format.  Anything but a
finding is a crash: save the input under fuzz/crashes/ and turn it into a fixture.

    pip install atheris
    python fuzz/fuzz_lint.py -max_total_time=3600 fuzz/corpus   # an hour
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from composelint.app import LintError, Request, run
    from composelint.config import Overrides
    from composelint.report import render
    from composelint.report.formats import FORMAT_NAMES

FILES = ("compose.yaml", ".env", ".composelint.yaml", "run.sh", "other.yaml")


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name in FILES:
            (root / name).write_bytes(provider.ConsumeBytes(provider.ConsumeIntInRange(0, 2000)))
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
