"""Compose projects as Compose loads them: overrides, .env, interpolation, extends,
include, profiles.  Each fixture project under fixtures/projects/ marks its
expected findings with `# expect: CODE@COLUMN` in whichever file they belong
to; `expect-model.json` holds hand-written facts about the merged model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, expectations, lint_json, run_cli

PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


def _relative(path: str, project: Path) -> str:
    return str(Path(path).resolve().relative_to(project.resolve()))


def _expected(project: Path) -> set[tuple[str, str, int, int]]:
    found = set()
    for path in project.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            found |= {
                (str(path.relative_to(project)), code, line, column)
                for code, line, column, _ in expectations(path)
            }
    return found


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_findings_land_in_the_right_file_and_line(project: Path):
    report = lint_json(str(project))
    actual = {
        (_relative(f["path"], project), f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
        for f in report["findings"]
        if f["suppressed"] is None
    }
    assert actual == _expected(project)


MODEL_PROJECTS = [p for p in PROJECTS if (p / "expect-model.json").is_file()]


def _at(value: dict | None, project: Path) -> str | None:
    return None if value is None else f"{_relative(value['path'], project)}:{value['line']}"


@pytest.mark.parametrize("project", MODEL_PROJECTS, ids=[p.name for p in MODEL_PROJECTS])
def test_merged_model(project: Path):
    result = run_cli("model", str(project))
    assert result.exit_code == 0, result.output
    [model] = [p for p in json.loads(result.stdout)["projects"] if p["workloads"]]
    workloads = {w["name"]: w for w in model["workloads"]}
    expected = json.loads((project / "expect-model.json").read_text())["workloads"]
    assert set(workloads) == set(expected)
    for name, facts in expected.items():
        workload = workloads[name]
        assert workload["network_namespace"]["kind"] == facts["network_namespace"], name
        assert workload["networks"] == facts["networks"], name
        assert [[p["spec"], p["binds"], _at(p["at"], project)] for p in workload["ports"]] == facts[
            "ports"
        ], name
        for key in ("privileged", "pid", "image"):
            if key in facts:
                value = workload[key]
                assert (None if value is None else [value["value"], _at(value["at"], project)]) == facts[
                    key
                ], name


def test_profiles_restrict_the_linted_services():
    project = FIXTURES / "projects" / "profiles"
    everything = {f["code"] for f in lint_json(str(project))["findings"]}
    assert {"CL301", "CL302"} <= everything
    other = lint_json("--profile", "web", str(project))
    assert not any(f["workload"] == "debug-shell" for f in other["findings"])
    debug = lint_json("--profile", "debug", str(project))
    assert any(f["workload"] == "debug-shell" for f in debug["findings"])


def test_explicit_file_set_and_no_merge_overrides():
    project = FIXTURES / "projects" / "override-narrowing"
    base = str(project / "compose.yaml")
    merged = {f["code"] for f in lint_json(base)["findings"]}
    assert "CL212" in merged  # a named base file is linted with its override
    alone = {f["code"] for f in lint_json("--no-merge-overrides", base)["findings"]}
    assert "CL212" not in alone and "CL202" in alone
    explicit = {
        f["code"] for f in lint_json("-f", base, "-f", str(project / "compose.override.yaml"))["findings"]
    }
    assert explicit == merged


def test_env_file_option_replaces_dotenv(tmp_path: Path):
    project = FIXTURES / "projects" / "unset-bind-address"
    env = tmp_path / "local.env"
    env.write_text("BIND_IP=127.0.0.1\n")
    codes = {f["code"] for f in lint_json("--env-file", str(env), str(project))["findings"]}
    assert codes == set()


def test_process_env_only_when_asked(monkeypatch):
    project = str(FIXTURES / "projects" / "unset-bind-address")
    monkeypatch.setenv("BIND_IP", "127.0.0.1")
    assert "CL202" in {f["code"] for f in lint_json(project)["findings"]}
    assert "CL202" not in {f["code"] for f in lint_json("--use-process-env", project)["findings"]}


def test_env_values_are_never_printed(tmp_path: Path):
    (tmp_path / ".env").write_text("SECRET_IP=10.1.2.3\n")
    (tmp_path / "compose.yaml").write_text(
        'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "${SECRET_IP}:8080:22"\n'
    )
    for output_format in ("full", "concise", "json"):
        result = run_cli("check", "--output-format", output_format, "--select", "ALL", str(tmp_path))
        assert "10.1.2.3" not in result.stdout


def test_allow_outside_root_follows_the_reference():
    project = str(FIXTURES / "projects" / "outside-root" / "project")
    assert {f["code"] for f in lint_json(project)["findings"]} == {"CL006"}
    followed = {f["code"] for f in lint_json("--allow-outside-root", project)["findings"]}
    assert "CL301" in followed and "CL006" not in followed


def test_named_base_and_override_are_one_project():
    # pre-commit passes both files of a project; each finding must appear once.
    project = FIXTURES / "projects" / "override-narrowing"
    both = lint_json(str(project / "compose.yaml"), str(project / "compose.override.yaml"))
    keys = [(f["path"], f["code"], f["range"]["start"]["line"]) for f in both["findings"]]
    assert len(keys) == len(set(keys))
    only_override = lint_json(str(project / "compose.override.yaml"))
    assert {f["code"] for f in only_override["findings"]} == {f["code"] for f in both["findings"]}


def test_image_variables_keep_the_repository_from_every_source():
    """A tag or registry host in a variable (or a CI expression) keeps the repository the image
    table and the rules read; a repository in a variable leaves the image unknown.  Compose's
    `${X:-default}` resolves as Compose resolves it."""
    from composelint.app import Request, load_projects

    project = FIXTURES / "projects" / "image-variables"
    repositories = {
        (Path(w.span.path).name, w.name): w.image.value.repository if w.image else None
        for p in load_projects(Request(paths=(str(project),)))
        for w in p.workloads
    }
    assert repositories == {
        ("compose.yaml", "tagged"): "postgres",
        ("compose.yaml", "defaulted"): "jitsi/web",
        ("compose.yaml", "mirrored"): "bitnami/redis",
        ("compose.yaml", "chosen"): "",
        ("run.sh", "tagged"): "postgres",
        ("run.sh", "mirrored"): "bitnami/redis",
        ("run.sh", "chosen"): None,
        ("README.md", "documented"): "grafana/grafana",
        ("ci.yml", "node #1"): "node",  # the job's own container
        ("ci.yml", "database"): "postgres",
        ("ci.yml", "matrixed"): "mysql",
        (".gitlab-ci.yml", "db"): "mirror/postgres",
        (".gitlab-ci.yml", "cache"): "redis",
        ("devcontainer.json", "dev"): "mcr.microsoft.com/devcontainers/python",
    }


def test_networks_of_a_declarations_file_above_count_only_inside_the_linted_directory():
    """The app store's `apps/docker-compose.common.yml` declares `tipi_main_network` for the apps
    below it when the linted directory holds it; an app's directory or file linted alone is as
    before: its attachment to the common network is reported."""
    store = FIXTURES / "projects" / "app-store"
    app = store / "apps" / "own-network"

    def undeclared(*args: str) -> set[tuple[str, str]]:
        report = lint_json("--select", "CL106", *args)
        return {(Path(f["path"]).parent.name, f["message"].split("`")[3]) for f in report["findings"]}

    common = {("own-network", "tipi_main_network")}
    assert undeclared(str(store / "apps")) == {("unknown-network", "boards_db")}
    assert undeclared(str(store / "apps") + "/") == {("unknown-network", "boards_db")}
    assert undeclared(str(app)) == common
    assert undeclared(str(app / "docker-compose.yml")) == common
    assert undeclared("-f", str(app / "docker-compose.yml")) == common


def test_a_declarations_file_counts_from_the_directory_named_dot(monkeypatch):
    """`check .` in the store's `apps/` gives what `check /abs/apps` gives (the top is climbed to)."""
    monkeypatch.chdir(FIXTURES / "projects" / "app-store" / "apps")
    report = lint_json("--select", "CL106", ".")
    assert {f["message"].split("`")[3] for f in report["findings"]} == {"boards_db"}


def test_an_override_with_only_networks_is_no_base_for_the_projects_below():
    """`proxied/docker-compose.override.yml` belongs to `proxied/docker-compose.yml`: `worker/`,
    which nothing declares `proxy` for, is still reported."""
    report = lint_json("--select", "CL106", str(FIXTURES / "projects" / "app-store" / "proxied"))
    assert [(Path(f["path"]).parent.name, f["range"]["start"]["line"]) for f in report["findings"]] == [
        ("worker", 5)
    ]
