"""Release contract: the version in one place, CHANGELOG and README follow it, and the release
workflow (not run here) is valid and publishes only what the package check built, by trusted
publishing from tags."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT, check_github_schema
from ruamel.yaml import YAML

import composelint

VERSION = composelint.__version__
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORKFLOW_PATH = ROOT / ".github" / "workflows" / "release.yml"
WORKFLOW = YAML(typ="safe").load(WORKFLOW_PATH.read_text(encoding="utf-8"))


def test_version_is_set_in_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "composelint.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_changelog_and_readme_name_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    # Changes landed since the release wait under `## [Unreleased]` (Keep a Changelog).
    released = [v for v in re.findall(r"^## \[([^\]]+)\]", changelog, re.M) if v != "Unreleased"]
    assert released[0] == VERSION
    assert re.findall(r"^\s+rev: (\S+)", README, re.M) == [f"v{VERSION}"]  # pre-commit snippet
    pinned = re.findall(r"git\+\S+@(v[\d.]+)", README) + re.findall(r"uses: \S+/composelint@(\S+)", README)
    assert pinned and set(pinned) == {f"v{VERSION}"}


def test_release_workflow_is_valid_for_github():
    check_github_schema(WORKFLOW_PATH, "vendor.github-workflows")


def test_release_workflow_publishes_tags_by_trusted_publishing():
    # YAML 1.1 reads the key `on` as True
    trigger = WORKFLOW.get("on", WORKFLOW.get(True))
    assert trigger == {"push": {"tags": ["v*"]}}
    assert WORKFLOW["permissions"] == {"contents": "read"}
    jobs = WORKFLOW["jobs"]
    assert set(jobs) == {"build", "publish"}
    build, publish = jobs["build"], jobs["publish"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert '= "$GITHUB_REF_NAME"' in runs and "__version__" in runs  # tag and version agree
    assert "bash .ci/package dist" in runs
    assert "permissions" not in build  # only the publishing job may ask for an identity token
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert uses[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in step.get("with", {}) for step in publish["steps"])  # no token
    uploaded = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    downloaded = next(
        s for s in publish["steps"] if s.get("uses", "").startswith("actions/download-artifact")
    )
    assert uploaded["with"]["name"] == downloaded["with"]["name"]
    assert uploaded["with"]["path"].rstrip("/") == downloaded["with"]["path"].rstrip("/") == "dist"


def test_ci_runs_the_package_check():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[release]' && bash .ci/package" in ci


def test_the_repository_url_is_set_in_one_step_and_checked_at_release(tmp_path):
    """The README's placeholders become the published repository: pip, pre-commit and the Action
    lines then name it, pyproject.toml links it, and `--check` (a release workflow step) passes."""
    import shutil
    import subprocess
    import sys

    from packaging.requirements import Requirement

    for name in ("README.md", "action.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    script = [sys.executable, str(ROOT / "scripts" / "set_repository_url.py"), "--root", str(tmp_path)]
    runs = "\n".join(step.get("run", "") for step in WORKFLOW["jobs"]["build"]["steps"])
    assert "python scripts/set_repository_url.py --check" in runs
    if "REPOSITORY_URL" in README:
        assert subprocess.run([*script, "--check"], capture_output=True, timeout=30).returncode == 1
    bad = subprocess.run([*script, "http://example.org"], capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "expected https://HOST/OWNER/NAME" in bad.stderr
    url = "https://github.com/example-org/composelint"
    subprocess.run([*script, url], check=True, capture_output=True, timeout=30)
    assert subprocess.run([*script, "--check"], capture_output=True, timeout=30).returncode == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    requirements = re.findall(r"""pip install ["']([^"']+ @ git\+[^"']+)["']""", readme)
    assert requirements and {Requirement(r).url for r in requirements} == {f"git+{url}@v{VERSION}"}
    assert re.findall(r"^\s+- repo: (\S+)", readme, re.M) == [url]
    assert re.findall(r"uses: (\S+)/composelint@", readme) == ["example-org"]
    project = tomllib.loads((tmp_path / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Repository"] == url
