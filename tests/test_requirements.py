"""The image requirements table (composelint/data/image-requirements.json) as the rules read it."""

from __future__ import annotations

import json
import pkgutil

import pytest

from composelint import requirements


@pytest.mark.parametrize("capability", ["SYS_ADMIN", "SYS_PTRACE"])
def test_a_row_may_not_turn_off_the_confinement_that_bounds_its_capability(monkeypatch, capability):
    """CL308 leaves out a documented SYS_ADMIN or SYS_PTRACE because CL310/CL311 still report the
    confinement that bounds it when it is off; a row documenting both would hide both."""
    row = {"images": ["example/fuse"], "cap_add": [capability], "security_opt": ["apparmor"], "reason": "r"}
    table = json.dumps({"rows": [row]}).encode()
    monkeypatch.setattr(pkgutil, "get_data", lambda package, resource: table)
    requirements._table.cache_clear()
    try:
        with pytest.raises(ValueError, match="example/fuse turns confinement off"):
            requirements._table()
    finally:
        monkeypatch.undo()
        requirements._table.cache_clear()
