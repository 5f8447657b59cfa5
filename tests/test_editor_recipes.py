"""README editor recipes run in the editor they name: the Neovim 0.7-0.10 recipe, as written, in a
headless Neovim (Debian's 0.7.2 here) against the real language server, shows the findings of a
compose file at their positions.  Skipped where `nvim` is not installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")

SHOW_DIAGNOSTICS = """
vim.cmd("edit compose.yaml")
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100)
for _, d in ipairs(vim.diagnostic.get(0)) do
  io.stdout:write(string.format("%d:%d %s\\n", d.lnum + 1, d.col + 1, d.code))
end
vim.cmd("qa!")
"""


def test_neovim_0_7_recipe_shows_diagnostics(tmp_path: Path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("nvim is not installed (Debian: apt-get install neovim)")
    pytest.importorskip("pygls", reason="the language server needs the lsp extra")
    recipe = README.split("Neovim 0.7 to 0.10, without a plugin", 1)[1]
    recipe = re.search(r"```lua\n(.*?)```", recipe, re.S).group(1)
    (tmp_path / "init.lua").write_text(recipe, encoding="utf-8")
    (tmp_path / "show.lua").write_text(SHOW_DIAGNOSTICS, encoding="utf-8")
    shutil.copy(FIXTURES / "examples" / "host-mode" / "compose.yaml", tmp_path / "compose.yaml")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [nvim, "--headless", "--clean", "-u", "init.lua", "-c", "luafile show.lua"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    shown = set(result.stdout.split())
    assert {"5:19", "CL101", "12:19", "CL102"} <= shown, result.stdout + result.stderr
