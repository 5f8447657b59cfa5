"""Files a script sources (`. ./lib.sh`, `source "$(dirname "$0")/lib.sh"`): their functions
and variables join the script's, with positions kept in the sourced file.

Only regular files inside the project root are read: the repository (the nearest directory
above the script that holds `.git`), else the working directory when the script is below it,
else the script's own directory.  A sourced path is looked up next to the file that sources
it, then from the working directory.  A file already being read (a cycle) is skipped; sources
nest at most MAX_SOURCE_DEPTH deep and at most MAX_SOURCED files are read for one script.
Values assigned in a sourced env file (`.env`, `*.env`) are masked in every output, like the
values of a compose project's env files.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from composelint.sources.files import UnreadableFile, is_inside, read_text

MAX_SOURCE_DEPTH = 8
MAX_SOURCED = 64
MAX_SOURCED_CHARACTERS = 4 * 1024 * 1024  # as for the script itself


def project_root(script: str) -> str:
    directory = os.path.dirname(os.path.abspath(script))
    here = directory
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    working = os.getcwd()
    return working if is_inside(directory, working) else directory


class Sources:
    """The sourced files of one script: where to look, what is being read, how many were read."""

    def __init__(self, script: str, root: str, display: Callable[[str], str]):
        self.root = os.path.realpath(root)
        self.display = display
        self.stack = [os.path.realpath(script)]
        self.count = 0

    def locate(self, written: str) -> str | None:
        """The real path of the file `written` names, if it is a file inside the root."""
        if not written:
            return None
        if os.path.isabs(written):
            candidates = [written]
        else:
            candidates = [os.path.join(os.path.dirname(self.stack[-1]), written), os.path.abspath(written)]
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if os.path.isfile(real) and is_inside(real, self.root):
                return real
        return None

    def read(self, real: str) -> str | None:
        try:
            text = read_text(real, self.root).removeprefix("\ufeff")
        except UnreadableFile:
            return None
        return text if len(text) <= MAX_SOURCED_CHARACTERS else None

    def reading_env_file(self) -> bool:
        """Whether the file being sourced is an env file (`.env`, `.env.local`, `prod.env`): its
        values may be secrets, shown as `${NAME}` in every output."""
        name = os.path.basename(self.stack[-1])
        return len(self.stack) > 1 and (name.startswith(".env") or name.endswith(".env"))
