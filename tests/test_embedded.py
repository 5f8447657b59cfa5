"""Container commands embedded in other files: Markdown code blocks, GitHub Actions, GitLab CI,
Makefiles, bats tests and Dockerfile `RUN` instructions.  Each fixture under fixtures/embedded/ marks its findings with
`# expect: CODE@COLUMN` on the line of the finding, in the host file's own lines and columns; a
fixture without marks must have no finding (text fences, console output, pwsh steps, ...)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, expectations, lint_json, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composelint.discovery import kind_by_name
from composelint.sources.kinds import load

EMBEDDED = FIXTURES / "embedded"
FILES_FOUND = sorted(p for p in EMBEDDED.rglob("*") if p.is_file())
CASES = [p for p in FILES_FOUND if kind_by_name(str(p))]  # not ci/deploy.yml: reached by an include


def _expected(path: Path) -> set[tuple[str, int, int]]:
    return {(code, line, column) for code, line, column, _ in expectations(path)}


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(EMBEDDED)) for p in CASES])
def test_findings_at_host_line_and_column(path: Path):
    assert kind_by_name(str(path)) not in ("compose", "shell")
    report = lint_json("--extend-select", "CL008", str(path))
    actual = {
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
        for f in report["findings"]
        if Path(f["path"]).resolve() == path.resolve()
    }
    assert actual == _expected(path)


def test_directory_walk_finds_every_kind_in_hidden_directories():
    report = lint_json("--extend-select", "CL008", str(EMBEDDED))
    assert report["summary"]["files_by_kind"] == {
        "bats": 1,
        "dockerfile": 3,
        "github-actions": 3,
        "gitlab-ci": 2,  # ci/deploy.yml through the include
        "makefile": 4,
        "markdown": 10,
    }
    actual = {
        (Path(f["path"]).resolve(), f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
        for f in report["findings"]
    }
    expected = {(path.resolve(), *item) for path in FILES_FOUND for item in _expected(path)}
    assert actual == expected


def test_kind_selects_embedded_kinds():
    report = lint_json("--kind", "markdown", "--kind", "bats", str(EMBEDDED))
    assert report["summary"]["files_by_kind"] == {"bats": 1, "markdown": 10}
    assert {f["source_kind"] for f in report["findings"]} == {"bats", "markdown"}


def test_image_placeholder_is_only_a_docker_library_template_s(tmp_path: Path):
    """`%%IMAGE%%` (and `%%REPO%%`) is the page's image in a docker-library docs template
    (`<image>/content.md`, fixtures/embedded/markdown/docker-library), and nothing elsewhere: a
    README writing it shows no image."""
    from composelint.app import Request, load_projects

    text = "```bash\ndocker run --name some-%%REPO%% --cap-add sys_ptrace -it --rm %%IMAGE%% swift\n```\n"
    for name in ("README.md", "swift/README.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "swift" / "content.md").write_text(text)
    images = {
        Path(w.span.path).relative_to(tmp_path).as_posix(): (w.name, w.image and w.image.value.written)
        for p in load_projects(Request(paths=(str(tmp_path),), relative_paths=False))
        for w in p.workloads
    }
    assert images == {
        "README.md": ("some-%%REPO%%", "%%IMAGE%%"),
        "swift/README.md": ("some-%%REPO%%", "%%IMAGE%%"),
        "swift/content.md": ("some-swift", "swift"),
    }


def test_suppression_comment_inside_a_code_block(tmp_path: Path):
    (tmp_path / "README.md").write_text(
        "```sh\n"
        "# composelint: ignore=CL301 -- the CI image needs it\n"
        "docker run --privileged ci-image\n"
        "docker run --pid=host ci-image\n"
        "```\n"
    )
    report = lint_json(str(tmp_path))
    active = [(f["code"], f["range"]["start"]["line"]) for f in report["findings"] if f["suppressed"] is None]
    suppressed = [f["code"] for f in report["findings"] if f["suppressed"] is not None]
    assert active == [("CL302", 4)] and suppressed == ["CL301"]


def test_suppression_comment_above_a_run_instruction(tmp_path: Path):
    (tmp_path / "Dockerfile").write_text(
        "FROM docker:27-dind\n"
        "# composelint: ignore=CL308 -- the e2e image mounts filesystems during the build\n"
        "RUN docker run --cap-add SYS_ADMIN tester:1.4 ./e2e.sh \\\n"
        "    && docker run --pid=host tester:1.4 ps\n"
    )
    report = lint_json(str(tmp_path))
    found = [(f["code"], f["range"]["start"]["line"], f["suppressed"] is None) for f in report["findings"]]
    assert found == [("CL308", 3, False), ("CL302", 4, True)]


def test_an_included_gitlab_file_is_linted_once(tmp_path: Path):
    (tmp_path / ".gitlab" / "ci").mkdir(parents=True)
    (tmp_path / ".gitlab-ci.yml").write_text("include:\n  - local: .gitlab/ci/build.yml\n")
    (tmp_path / ".gitlab" / "ci" / "build.yml").write_text(
        "build:\n  script:\n    - docker run --privileged alpine\n"
    )
    report = lint_json(str(tmp_path))
    assert [(Path(f["path"]).name, f["code"]) for f in report["findings"]] == [("build.yml", "CL301")]


def test_markdown_on_standard_input_by_name():
    report = lint_json(
        "--stdin-filename", "docs/run.md", "-", input="```console\n$ docker run --net=host nginx\n```\n"
    )
    assert [(f["path"], f["code"], f["range"]["start"]["column"]) for f in report["findings"]] == [
        ("docs/run.md", "CL101", 14)
    ]


def test_markdown_explained_examples_are_reported_without_their_sentences(tmp_path):
    """explained.md has no finding only because of what its sections say: its code blocks alone, in
    a document without sentences, are reported by every rule that leaves out an explained setting."""
    text = (EMBEDDED / "markdown" / "explained.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```.*?^```$", text, re.DOTALL | re.MULTILINE)
    (tmp_path / "README.md").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    codes = Counter(f["code"] for f in lint_json(str(tmp_path / "README.md"))["findings"])
    assert codes == {
        "CL101": 2,  # --network=host; network_mode: host
        "CL301": 1,
        "CL302": 1,
        "CL303": 1,
        "CL304": 1,
        "CL305": 1,
        "CL306": 1,
        "CL307": 2,  # --pid=container:, --ipc=container:
        "CL308": 2,  # sys_ptrace; SYS_ADMIN of the FUSE mount
        "CL309": 2,  # NET_ADMIN on the command line and in Compose
        "CL310": 2,
        "CL311": 2,
        "CL312": 1,
        "CL313": 1,
        "CL314": 1,
        "CL403": 3,  # /dev/sdc, /dev/snd, /dev/fuse
    }


# --- No input crashes a front end -------------------------------------------------------------

SHELLISH = st.lists(
    st.sampled_from(
        [
            "docker run ",
            "--privileged ",
            "-p 80:80 ",
            "--net=host ",
            "$ ",
            "> ",
            "# ",
            "\\\n",
            "\n",
            "\t",
            '"',
            "'",
            "$(",
            ")",
            "${{ x }}",
            "$$",
            "@",
            "-",
            "```",
            "```sh\n",
            "~~~console\n",
            "run: |\n  ",
            "script:\n  - ",
            "jobs:\n  a:\n    steps:\n      - run: ",
            "services:\n  a:\n    image: x\n",
            '@test "x" {\n',
            "target:\n",
            "DOCKER ?= docker\n",
            "RUN = $(DOCKER) run $(RUN)\n",
            "$(RUN) ",
            "$(CONTAINER_ENGINE) ",
            "${CONTAINER_RUNTIME} ",
            "\r",
            "\u00e9",
            "\x00",
            "{",
            "}",
            "RUN ",
            "FROM docker\n",
            "RUN <<EOF\n",
            "EOF\n",
            '["docker", "run"]',
            'SHELL ["pwsh"]\n',
            "# escape=`\n",
            "`",
        ]
    ),
    max_size=40,
).map("".join)

FILES = {
    "markdown": "README.md",
    "github-actions": ".github/workflows/ci.yml",
    "gitlab-ci": ".gitlab-ci.yml",
    "makefile": "Makefile",
    "bats": "test.bats",
    "dockerfile": "Dockerfile",
}


@pytest.mark.parametrize("kind", sorted(FILES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(SHELLISH, st.text(max_size=200)))
def test_no_input_crashes_a_front_end(kind: str, text: str):
    name = FILES[kind]
    for project in load(kind, [name], None, display=str, texts={name: text}):
        for workload in project.workloads:
            assert workload.span.path == name and workload.span.line >= 1 and workload.span.column >= 1


def test_readme_example_is_the_real_output():
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Markdown, CI files", 1)[1]
    block = section.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    command, shown = block[0].removeprefix("$ composelint ").split(), block[1:]
    lines = run_cli(*command).stdout.splitlines()
    assert len(lines) == len(shown)
    for line, documented in zip(lines, shown, strict=True):
        assert line.startswith(documented.removesuffix("..."))


def test_configuration_schema_lists_every_kind():
    import json

    from composelint.discovery import KINDS

    schema = json.loads((ROOT / "schemas" / "composelint-config.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["kinds"]["items"]["enum"]) == set(KINDS)


def test_a_code_block_the_shell_parser_cannot_read_is_not_reported(tmp_path: Path):
    """Documentation snippets hold placeholders (`<image>`): CL007 is for scripts that run."""
    (tmp_path / "README.md").write_text("Intro\n\n```sh\ndocker run -d \\\n  nginx:1.27 )\n```\n")
    assert lint_json("--select", "CL007", str(tmp_path))["findings"] == []


def test_placeholders_inside_words_name_the_container_and_are_no_invalid_port():
    """`devcontainers/<expected-repository>:dev-<expected tag>` is one image to fill in, not a cut
    command whose image is `devcontainers/` (a container named ` #1`); a port written as
    placeholders is not CL207 (vscode-dev-containers' build README, linuxserver's docs)."""
    report = lint_json("--extend-select", "CL207", str(EMBEDDED / "markdown" / "placeholders.md"))
    assert [(f["code"], f["workload"]) for f in report["findings"]] == [
        ("CL301", "<expected-repository> #1"),
        ("CL202", "llamacpp_python #1"),
    ]
    assert report["findings"][0]["message"].startswith("Container `<expected-repository> #1` (docker run)")


def test_a_yaml_block_that_does_not_parse_is_an_excerpt_not_an_error(tmp_path: Path):
    (tmp_path / "README.md").write_text("```yaml\nservices:\n  web:\n    image: %%IMAGE%%\n```\n")
    assert lint_json(str(tmp_path))["findings"] == []


def test_makefile_variables_that_double_each_other_expand_once(tmp_path: Path):
    """Forty variables each twice the one before would be 2**40 characters: each is expanded once,
    and past the expansion bound the value is unknown, so the command stays (image unknown). The
    time is checked by `python bench/hostile.py 24`."""
    chain = "".join(f"V{n} = $(V{n - 1})$(V{n - 1})\n" for n in range(1, 41))
    (tmp_path / "Makefile").write_text(f"V0 = x\n{chain}run:\n\tdocker run --privileged $(V40)\n")
    report = lint_json(str(tmp_path))
    assert [(f["code"], f["range"]["start"]["line"]) for f in report["findings"]] == [("CL301", 43)]


def test_a_flag_in_a_make_variable_is_one_finding_naming_its_assignment_and_uses():
    """skopeo's CONTAINER_RUN was reported at each of its five uses; the first use keeps it, the
    assignment and the other uses are related locations, and the message names their lines."""
    path = FIXTURES / "embedded" / "makefile" / "macro.mk"
    (finding,) = [f for f in lint_json(str(path))["findings"] if f["code"] == "CL312"]
    assert finding["range"]["start"] == {"line": 7, "column": 2}
    assert [r["range"]["start"]["line"] for r in finding["related"]] == [4, 10, 13, 16]
    assert finding["message"].endswith(
        "(from the make variable assigned at line 4; also used at lines 10, 13 and 16)"
    )


def test_the_public_ports_of_a_service_shown_in_several_blocks_are_one_finding():
    """linuxserver's swag.md shows swag's 80/443 in many code blocks: one CL202 info finding at the
    first port, naming the ports and the line of each other block; the other entries are related.
    Its admin port keeps its own warning."""
    path = FIXTURES / "rules" / "CL202" / "positive_public_by_design.md"
    report = lint_json(str(path))
    (public, admin) = [f for f in report["findings"] if f["code"] == "CL202"]
    assert (public["range"]["start"]["line"], public["severity"]) == (11, "info")
    assert public["message"] == (
        "Ports `443:443` and `80:80` of service `swag` bind all host interfaces; `swag` usually serves "
        "them to the network on purpose (the same at line 19)"
    )
    assert [r["range"]["start"]["line"] for r in public["related"]] == [12, 19, 20]
    assert (admin["range"]["start"]["line"], admin["severity"], admin["related"]) == (13, "warning", [])


def test_a_flag_each_recipe_writes_itself_is_reported_at_each(tmp_path: Path):
    (tmp_path / "Makefile").write_text(
        "a:\n\tdocker run --security-opt label=disable alpine:3.20 true\n"
        "b:\n\tdocker run --security-opt label=disable alpine:3.20 true\n"
    )
    report = lint_json("--select", "CL312", str(tmp_path))
    assert [(f["range"]["start"]["line"], f["related"]) for f in report["findings"]] == [(2, []), (4, [])]


def test_gitlab_jobs_with_docker_in_docker_publish_on_the_jobs_daemon():
    """A port a `docker:dind` job publishes reaches only the job's network: no CL202/CL210 there
    (as for GitHub-hosted runners), nor CL701 for a server image's own password, nor the
    host-isolation rules (`--privileged`, `--net=host`); a job without such a service keeps them."""
    path = FIXTURES / "ci-runners" / "gitlab" / ".gitlab-ci.yml"
    report = lint_json(str(path))
    found = {
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"]) for f in report["findings"]
    }
    assert found == _expected(path)


def test_gitlab_services_get_the_variables_gitlab_passes_them():
    """Each service container gets the file's `variables:` (unless the job does not inherit them),
    the job's and its own; its passwords are its throwaway server's on any runner (it publishes
    no port), its tokens and URLs with a password are reported, once per line."""
    from composelint.app import Request, load_projects

    path = FIXTURES / "ci-runners" / "gitlab-services" / ".gitlab-ci.yml"
    environments = {
        (p.name.rpartition(" job ")[2], w.name): [(v.name, v.literal) for v in w.environment]
        for p in load_projects(Request(paths=(str(path),)))
        for w in p.workloads
    }
    shared = [("POSTGRES_PASSWORD", True), ("REGISTRY_TOKEN", True), ("REDIS_PASSWORD", True)]
    assert environments == {
        ("test", "db"): [*shared, ("POSTGRES_USER", True), ("DATABASE_URL", True)],
        ("test", "mysql #1"): [*shared, ("MYSQL_ROOT_PASSWORD", True), ("MYSQL_PASSWORD", False)],
        ("no-global-variables", "redis #1"): [],
    }
    found = [
        (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
        for f in lint_json(str(path))["findings"]
    ]
    assert sorted(found) == sorted(_expected(path))


@pytest.mark.parametrize("runner", ["github-hosted", "github-self-hosted"])
def test_scripts_below_github_run_where_the_workflows_run(runner: str):
    """A script below `.github/` runs on a machine made for one job when every job of the
    repository's workflows runs on a GitHub-hosted runner: no CL202/CL210, nor CL701 for the
    password of a well-known server image, nor the host-isolation rules (`--privileged`, the
    docker socket); a client's credential and `ssh` are still reported.  One self-hosted job:
    everything is reported."""
    root = FIXTURES / "ci-runners" / runner
    script = root / ".github" / "scripts" / "start_services.sh"
    for target in (root, script):
        report = lint_json(str(target))
        found = {
            (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
            for f in report["findings"]
            if Path(f["path"]).resolve() == script.resolve()
        }
        assert found == _expected(script), target


def test_scripts_named_by_hosted_steps_run_where_those_jobs_run():
    """A script outside `.github/` runs on a GitHub-hosted runner when only `run:` steps of jobs on
    such runners name it by path (from the checkout, a `working-directory`, `${{
    github.workspace }}`): the shapes of fluent-bit's smoke test (`--publish-all`, CL204) and
    juicefs' and apisix's test services are silent, and so is psycopg's test database started in
    the background with a matrix image.  A script a self-hosted job also names, one a step sends
    over `ssh`/`scp`, one only an action's input names, and one no workflow names keep their
    findings, as does a client's credential.  The same whether the directory or one script is
    linted (pre-commit names files)."""
    root = FIXTURES / "ci-runners" / "referenced-scripts"
    files = sorted(p for p in root.rglob("*") if p.is_file())
    expected = {(path.resolve(), *item) for path in files for item in _expected(path)}
    found = {
        (Path(f["path"]).resolve(), f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
        for f in lint_json(str(root))["findings"]
    }
    assert found == expected
    for script in (root / "ci" / "services.sh", root / "ci" / "benchmark.sh"):
        alone = {
            (f["code"], f["range"]["start"]["line"], f["range"]["start"]["column"])
            for f in lint_json(str(script))["findings"]
        }
        assert alone == _expected(script), script


def test_a_changed_workflow_changes_where_the_scripts_run(tmp_path: Path, monkeypatch):
    """The workflows are read again when one changes (the language server lints on every edit)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "scripts").mkdir()
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    workflow.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n")
    script = tmp_path / ".github" / "scripts" / "db.sh"
    script.write_text("docker run -d -p 5432:5432 postgres:16\n")
    assert lint_json(str(script))["findings"] == []
    workflow.write_text("on: push\njobs:\n  test:\n    runs-on: [self-hosted]\n    steps: []\n")
    assert [f["code"] for f in lint_json(str(script))["findings"]] == ["CL210"]
    workflow.unlink()
    assert [f["code"] for f in lint_json(str(script))["findings"]] == ["CL210"]  # no workflow: unknown


def test_workflows_outside_the_project_root_are_not_read(tmp_path: Path, monkeypatch):
    """A `.github/workflows` symlinked out of the project root is not read: the script's runner is
    unknown and its findings stay."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ci.yml").write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n")
    project = tmp_path / "project"
    (project / ".github" / "scripts").mkdir(parents=True)
    (project / ".github" / "workflows").symlink_to(outside)
    script = project / ".github" / "scripts" / "db.sh"
    script.write_text("docker run -d -p 5432:5432 postgres:16\n")
    monkeypatch.chdir(project)
    assert [f["code"] for f in lint_json(str(script))["findings"]] == ["CL210"]


def test_a_script_a_hosted_step_only_mentions_is_not_placed_on_the_runner(tmp_path: Path, monkeypatch):
    """`shellcheck deploy/install.sh` checks the script; it does not run it there, so the script
    may run on a lasting server and keeps its findings.  `bash -e ./ci/db.sh` runs it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: shellcheck deploy/install.sh\n      - run: bash -e ./ci/db.sh\n"
    )
    for name in ("deploy/install.sh", "ci/db.sh"):
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text("docker run -d --privileged -p 5432:5432 postgres:16\n")
    assert sorted(f["code"] for f in lint_json("deploy/install.sh")["findings"]) == ["CL210", "CL301"]
    assert lint_json("ci/db.sh")["findings"] == []


def test_a_script_developers_also_run_is_not_placed_on_the_runner(tmp_path: Path, monkeypatch):
    """`make dev` runs `scripts/dev-up.sh` on a developer's machine as well as on the runner: its
    findings stay.  The same script named by CI alone is the runner's."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./scripts/dev-up.sh\n"
    )
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "dev-up.sh").write_text("docker run -d --privileged -p 5432:5432 postgres:16\n")
    assert lint_json("scripts/dev-up.sh")["findings"] == []
    (tmp_path / "Makefile").write_text("dev:\n\t./scripts/dev-up.sh\n")
    assert sorted(f["code"] for f in lint_json("scripts/dev-up.sh")["findings"]) == ["CL210", "CL301"]
