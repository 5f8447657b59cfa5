"""The documented bounds on input (README, "Security model").

A linted tree may be hostile, so the work one input can cause is bounded: any
single input of 10 MiB or less is linted in seconds and bounded memory.  A
bound that is hit is finding CL010 (limit-exceeded) where it was hit, and
what lies past it is not linted; nothing is cut off silently.
"""

from __future__ import annotations

MAX_FILE_BYTES = 10 * 1024 * 1024  # any file or standard input, checked while reading
MAX_YAML_DEPTH = 300  # nested collections in a YAML document (compose and configuration files)
MAX_EXPANDED_NODES = 200_000  # YAML nodes once aliases are expanded, per file and per project
MAX_INTERPOLATION_DEPTH = 50  # `${A:-${B:-...}}` nesting
MAX_VALUE_CHARS = 1024 * 1024  # one interpolated value (`.env` or compose)
MAX_INTERPOLATED_CHARS = 32 * 1024 * 1024  # everything substituted in one project
MAX_CHAIN = 64  # `include` or `extends` chain length
MAX_PROJECT_FILES = 1_000  # compose files read for one project (includes, extends)
MAX_DIRECTORY_DEPTH = 64  # directories below a walked path
MAX_INTEGER_DIGITS = 20  # digits of a number in a port, a size or a count
MAX_UNIT_BYTES = 1024 * 1024  # a systemd or Quadlet unit (real ones: a few KB)
MAX_DEVCONTAINER_BYTES = 64 * 1024  # a devcontainer.json (real ones: a few KB; json-five reads ~40 KB/s)
MAX_CI_BYTES = 1024 * 1024  # a CI file: GitHub Actions, GitLab CI (corpus: up to 49 KB; ~3 s per MiB)
MAX_MAKEFILE_BYTES = 1024 * 1024  # a Makefile (corpus: up to 57 KB; one rule of 1 MiB of recipe lines ~3 s)
MAX_DOCKERFILE_BYTES = 1024 * 1024  # a Dockerfile (real ones: a few KB; 10 MB of RUN took 580-660 MB)
MAX_MARKDOWN_BYTES = 4 * 1024 * 1024  # a Markdown file (real ones: up to about 120 KB)
MAX_JOBS = 2_000  # jobs of a GitLab CI file or rules of a Makefile read (about 1.4 ms and 0.3 ms each)
MAX_BLOCKS = 2_000  # code blocks read in one Markdown file (about 1 ms each; real files: a few dozen)
MAX_RUN_INSTRUCTIONS = 2_000  # RUN instructions read in one Dockerfile (real ones: a few dozen)
