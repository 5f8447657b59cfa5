"""composelint: a static linter for container network and isolation configuration."""

__version__ = "0.1.0"
