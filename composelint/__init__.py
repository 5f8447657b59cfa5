"""composelint: a static linter for container network and isolation configuration.

`from composelint import lint` lints files or text from Python; `run(Request(...))` takes every
option of `composelint check`; `fix(Request(...))` computes what `check --fix` would write.  Both are imported on first use, so the command line starts fast.
"""

__version__ = "0.2.0"  # the one place: pyproject.toml reads it, CHANGELOG.md and the tag follow it

__all__ = ["Fixed", "LintError", "Request", "Result", "fix", "lint", "run"]


def __getattr__(name: str):
    if name in __all__:
        from composelint import app

        return getattr(app, name)
    raise AttributeError(f"module 'composelint' has no attribute {name!r}")
