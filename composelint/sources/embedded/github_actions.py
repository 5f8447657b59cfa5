"""GitHub Actions workflows (`.github/workflows/*.y(a)ml`) and composite actions (`action.y(a)ml`).

Each job is a project; in it:

* every `run:` step is a script of its own (each step is a new shell), read when its shell is a
  POSIX one: the step's `shell:`, else the job's and then the workflow's `defaults.run.shell`,
  else bash (pwsh on a `windows` runner, which is not read, nor are pwsh, python, cmd...);
* the job's `container:` and each of `services:` is a `docker create` of its `image` with its
  `options` (read with the docker grammar), `env`, `ports` (published) and `volumes` (the keys
  of the table of Docker settings' `github_actions` column), named by the service id and joined
  to the job's network, as the runner does.  On a GitHub-hosted runner
  (`runs-on` names only `ubuntu-*`, `windows-*`, `macos-*` images, or `${{ matrix.NAME }}` whose
  every value is one) the project's host is ephemeral, unless an `env` of the workflow, the job
  or a step sends docker/podman commands to another daemon (`DOCKER_HOST`, `DOCKER_CONTEXT`,
  `CONTAINER_HOST`): its published ports reach nobody (CL202, CL204, CL210), its servers live
  for the job (CL701) and escaping to it gains nothing (CL101, CL3xx, CL4xx: the rules declared
  `lasting_hosts_only`).  A shell script is on one when only such jobs' `run:` steps name it by
  path, or when it lies below `.github/` and every job of the repository's workflows is on one
  (`hosted_ci_script`).

`${{ ... }}` expressions are values only known at run time.  A composite action's steps form
one project.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable

from composelint.limits import MAX_CI_BYTES
from composelint.model import Project
from composelint.patterns import lazy_pattern
from composelint.settings import run_flags_by_key
from composelint.sources.compose.yaml_tree import YMap, YNode, YScalar, YSeq, read_yaml
from composelint.sources.docker_cli.reader import Timeline
from composelint.sources.embedded.snippets import (
    HostFile,
    Snippet,
    add_environment_entry,
    embedded_project,
    mentions_tool,
    read_snippet,
    unknown_value,
)
from composelint.sources.files import is_inside, read_text, too_large

KIND = "github-actions"
POSIX_SHELLS = frozenset({"bash", "sh", "dash", "ksh", "ash", "zsh"})
NETWORK = "github_network"  # the runner's network for a job's containers
_EXPRESSION = lazy_pattern(r"\$\{\{.*?\}\}", re.DOTALL)
_BREAKS = lazy_pattern("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks
_SERVICE_ID = lazy_pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_HOSTED_LABEL = lazy_pattern(r"(ubuntu|windows|macos)-[\w.-]+")
_MATRIX_VALUE = lazy_pattern(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
# `env` keys that send docker/podman commands to another daemon than the runner's.
_DAEMON_VARIABLES = frozenset({"DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINER_CONNECTION"})
# Commands with which a step runs or copies what it names on another machine.
_REMOTE_COMMANDS = frozenset({"ssh", "scp", "sftp", "rsync", "sshpass", "ansible", "ansible-playbook"})
_DEFAULT_DIRECTORY = ("defaults", "run", "working-directory")
_WORD = lazy_pattern(r"[^\s;&|()<>`'\"]+")  # a shell word, roughly: enough to find the paths it names
# A relative path a step may run: with a `/` (`ci/test.sh`) or a script's suffix; no variable.
_LOCAL_PATH = lazy_pattern(r"[^$/~-][^$]*/[^$]*|[^$/~-][^$/]*\.sh")
_WORKSPACE = lazy_pattern(r"\$\{\{\s*github\.workspace\s*\}\}")
_COMMAND_SEPARATORS = lazy_pattern(r"[\n;&|()]+")
_ASSIGNMENT = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*=")
_RUNNING_WRAPPERS = frozenset({"sudo", "bash", "sh", "source", ".", "exec", "time", "env", "nohup", "!"})
# A job container's keys -> the `docker create` flag the runner passes them as.
CONTAINER_FLAGS = {key: flag.spellings[0] for key, flag in run_flags_by_key("github_actions").items()}


def without_expressions(text: str) -> str:
    """`${{ ... }}` replaced by an unknown shell value of the same length."""
    return _EXPRESSION.sub(lambda m: unknown_value(len(m.group())), text)


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    shown = display(path)
    text = (texts[path] if path in texts else read_text(path)).removeprefix("\ufeff")
    host = HostFile(shown, text, _BREAKS)
    whole = embedded_project(host, KIND, shown)  # the file: its YAML errors
    if len(text) > MAX_CI_BYTES:  # each step is a script of its own: ~3 s and 170 MB per MiB
        whole.diagnostics.append(too_large(shown, "Workflow file", MAX_CI_BYTES))
        return [whole]
    document = read_yaml(shown, text)
    root = document.roots[0] if document.roots else None
    whole.diagnostics.extend(document.diagnostics)
    if not isinstance(root, YMap):
        return [whole]
    runs = root.get("runs")
    if isinstance(runs, YMap):  # a composite action
        project = embedded_project(host, KIND, f"{shown} (action)")
        _steps(project, host, runs.get("steps"), None, Timeline())
        return [whole, project]
    jobs = root.get("jobs")
    projects = [whole]
    for key, job in jobs.items if isinstance(jobs, YMap) else []:
        if not isinstance(job, YMap):
            continue
        project = embedded_project(host, KIND, f"{shown} job {key.text}")
        steps = job.get("steps")
        step_list = steps.items if isinstance(steps, YSeq) else []
        project.ephemeral_host = _hosted_runner(job) and not _other_daemon(root, job, *step_list)
        timeline = Timeline()  # the containers start before the steps, which run in order
        _containers(project, host, key, job, timeline)
        _steps(project, host, steps, _default_shell(job, root), timeline)
        projects.append(project)
    return projects


def _default_shell(job: YMap, workflow: YMap) -> str:
    """The shell of a `run:` step without `shell:`."""
    for owner in (job, workflow):
        shell = _at(owner, "defaults", "run", "shell")
        if isinstance(shell, YScalar):
            return shell.text
    runs_on = job.get("runs-on")
    labels = runs_on.items if isinstance(runs_on, YSeq) else [runs_on]
    windows = any(isinstance(label, YScalar) and "windows" in label.text.lower() for label in labels)
    return "pwsh" if windows else "bash"


def _hosted_runner(job: YMap) -> bool:
    """`runs-on` names only GitHub-hosted runner images (`ubuntu-latest`, `[ubuntu-24.04]`, or
    `${{ matrix.os }}` whose every value is one): a VM made for this job.  A self-hosted label, a
    group or any other expression may be a lasting machine."""
    runs_on = job.get("runs-on")
    labels = runs_on.items if isinstance(runs_on, YSeq) else [runs_on]
    return bool(labels) and all(_hosted_label(label, job) for label in labels)


def _hosted_label(label: YNode | None, job: YMap) -> bool:
    if not isinstance(label, YScalar):
        return False
    text = label.text.strip()
    matrix = _MATRIX_VALUE.fullmatch(text)
    values = _matrix_values(job, matrix.group(1)) if matrix else [label]
    return bool(values) and all(
        isinstance(value, YScalar) and _HOSTED_LABEL.fullmatch(value.text.strip()) for value in values
    )


def _matrix_values(job: YMap, name: str) -> list[YNode]:
    """Every value `matrix.NAME` takes: its list in `strategy.matrix` and the `include` entries
    that set it; none when the matrix, the list or `include` is an expression (`fromJSON(...)`)."""
    matrix = _at(job, "strategy", "matrix")
    if not isinstance(matrix, YMap):
        return []
    listed, include = matrix.get(name), matrix.get("include")
    if not isinstance(listed, YSeq | None) or not isinstance(include, YSeq | None):
        return []
    values = list(listed.items) if listed is not None else []
    for entry in include.items if include is not None else []:
        if not isinstance(entry, YMap):
            return []
        value = entry.get(name)
        if value is not None:
            values.append(value)
    return values


def hosted_ci_script(script: str, root: str) -> bool:
    """The script runs on a machine made for one job (a GitHub-hosted runner) whenever the
    repository's workflows (the nearest `.github/workflows` above it, inside `root`) run it: a
    `run:` step of a job on such a runner names it by path (`run: ./ci/start-services.sh`) and
    nothing else in the workflows names it, or it lies below `.github` (`.github/scripts/*.sh`,
    which only the workflows run) and every job of every workflow is on such a runner.  A
    self-hosted or undecidable job naming it, a step that may send it or its commands elsewhere
    (`ssh`, `DOCKER_HOST` in `env`), an unreadable workflow or none at all: it may run on a
    lasting machine.  Nothing outside `root` is read, nor is any file the workflows name."""
    workspace = _workspace(script, root)
    if workspace is None:
        return False
    workflows = os.path.join(workspace, ".github", "workflows")
    stamps = _stamps(workflows, lambda name: name.endswith((".yml", ".yaml")))
    jobs = _workflow_jobs(workflows, root, stamps) if stamps else None
    if jobs is None:
        return False
    all_hosted, named = jobs
    relative = os.path.relpath(os.path.realpath(script), workspace)  # `_workspace` is resolved
    below_github = relative.startswith(".github" + os.sep)
    if relative in named:
        return named[relative] and (below_github or not _run_by_hand(workspace, relative, root))
    return below_github and all_hosted


# A directory's files of one kind: (name, mtime, size) of each (`_stamps`).
_Stamps = tuple[tuple[str, int, int], ...]
# Files at the top of a checkout that tell people what to run on their own machine.
_BY_HAND = ("Makefile", "GNUmakefile", "makefile", "justfile", "Justfile", "Taskfile.yml", "package.json")
_BY_HAND_PREFIXES = ("README", "CONTRIBUTING", "DEVELOPMENT", "HACKING")


def _run_by_hand(workspace: str, relative: str, root: str) -> bool:
    """A file at the top of the checkout that developers follow (Makefile, justfile, package.json,
    README, CONTRIBUTING...) names the script: it runs on their machines too, not only on the
    runner.  An unreadable or oversized one counts as naming it."""
    stamps = _stamps(workspace, lambda name: name in _BY_HAND or name.upper().startswith(_BY_HAND_PREFIXES))
    text = _hand_run_text(workspace, root, stamps) if stamps is not None else None
    return text is None or relative.replace(os.sep, "/") in text


@functools.lru_cache(maxsize=64)
def _hand_run_text(workspace: str, root: str, stamps: _Stamps) -> str | None:
    """The texts of those files, joined; None when one cannot be read."""
    texts = _texts(workspace, root, stamps)
    return None if texts is None else "\n".join(texts)


def _stamps(directory: str, wanted: Callable[[str], bool]) -> _Stamps | None:
    """Name, mtime and size of the files of `directory` that `wanted` picks, in name order: the
    key under which what is read from them is kept, so a changed file is read again.  None when
    the directory or one of them cannot be listed."""
    try:
        names = sorted(name for name in os.listdir(directory) if wanted(name))
        statuses = [os.stat(os.path.join(directory, name)) for name in names]
    except OSError:
        return None
    return tuple(
        (name, status.st_mtime_ns, status.st_size) for name, status in zip(names, statuses, strict=True)
    )


def _texts(directory: str, root: str, stamps: _Stamps) -> list[str] | None:
    """The texts of the files `stamps` names, read inside `root`; None when one is over the size
    bound or cannot be read."""
    texts = []
    for name, _, size in stamps:
        if size > MAX_CI_BYTES:
            return None
        try:
            texts.append(read_text(os.path.join(directory, name), root))
        except (OSError, ValueError):
            return None
    return texts


def _workspace(script: str, root: str) -> str | None:
    """The nearest directory above the script, inside `root`, holding `.github/workflows`: the
    checkout the workflows' steps run in."""
    top = os.path.realpath(root)
    directory = os.path.realpath(os.path.dirname(os.path.abspath(script)))
    # Paths resolved once, then climbed by name: resolving at every level costs the square of
    # the depth on a deep tree.
    while os.path.commonpath((top, directory)) == top:
        workflows = os.path.join(directory, ".github", "workflows")
        if os.path.isdir(workflows):
            return directory if is_inside(workflows, root) else None
        if directory == top:
            break
        directory = os.path.dirname(directory)
    return None


@functools.lru_cache(maxsize=64)
def _workflow_jobs(workflows: str, root: str, stamps: _Stamps) -> tuple[bool, dict[str, bool]] | None:
    """Whether every job of the workflow files (`stamps`: name, mtime, size, so a changed file is
    read again) runs on a GitHub-hosted runner, and each path the jobs name (relative to the
    checkout) -> whether every place naming it is a `run:` step on such a runner that runs it
    there.  None when a file cannot be read."""
    texts = _texts(workflows, root, stamps)
    if texts is None:
        return None
    all_hosted = True
    named: dict[str, bool] = {}
    for (name, _, _), text in zip(stamps, texts, strict=True):
        try:
            document = read_yaml(name, text)
        except ValueError:
            return None
        top = document.roots[0] if document.roots else None
        jobs = top.get("jobs") if isinstance(top, YMap) else None
        if not isinstance(top, YMap) or not isinstance(jobs, YMap):
            continue  # not a workflow (a composite action's metadata, a template): runs no job
        for _, job in jobs.items:
            hosted = isinstance(job, YMap) and _hosted_runner(job) and not _other_daemon(top, job)
            all_hosted = all_hosted and hosted
            steps = job.get("steps") if isinstance(job, YMap) else None
            runs: dict[int, YMap] = {}  # each `run:` scalar (by identity) -> its step
            for entry in steps.items if isinstance(steps, YSeq) else []:
                run = entry.get("run") if isinstance(entry, YMap) else None
                if isinstance(entry, YMap) and isinstance(run, YScalar):
                    runs[id(run)] = entry
            for node in _scalars(job):
                step = runs.get(id(node))
                on_runner = hosted and step is not None and _runs_here(step, node)
                directory = _working_directory(step, job, top) if step is not None else ""
                run_here = _run_paths(node.text, directory) if on_runner else set()
                for path in _paths(node.text, directory):
                    named[path] = named.get(path, True) and path in run_here
    return all_hosted, named


def _other_daemon(*owners: YNode | None) -> bool:
    """An `env` of these (workflow, job, step) sends docker/podman commands to another daemon."""
    for owner in owners:
        env = owner.get("env") if isinstance(owner, YMap) else None
        if isinstance(env, YMap) and any(key.text in _DAEMON_VARIABLES for key, _ in env.items):
            return True
    return False


def _scalars(node: YNode | None) -> list[YScalar]:
    """Every scalar value below a node (not the keys)."""
    if isinstance(node, YScalar):
        return [node]
    if isinstance(node, YMap):
        return [scalar for _, value in node.items for scalar in _scalars(value)]
    if isinstance(node, YSeq):
        return [scalar for item in node.items for scalar in _scalars(item)]
    return []


def _runs_here(step: YMap, run: YScalar) -> bool:
    """The step runs what it names on the job's runner, with the runner's daemon: no `env` sending
    commands elsewhere, no command that copies or runs it on another machine (`ssh`, `scp`)."""
    return not _other_daemon(step) and not any(word in _REMOTE_COMMANDS for word in _WORD.findall(run.text))


def _working_directory(step: YMap, job: YNode, workflow: YMap) -> str | None:
    """The step's `working-directory` (its own, the job's or the workflow's `defaults.run`),
    relative to the checkout; None when an expression."""
    for owner, keys in (
        (step, ("working-directory",)),
        (job, _DEFAULT_DIRECTORY),
        (workflow, _DEFAULT_DIRECTORY),
    ):
        directory = _at(owner, *keys)
        if isinstance(directory, YScalar):
            return None if "${{" in directory.text else directory.text.strip()
    return ""


def _run_paths(text: str, directory: str | None) -> set[str]:
    """The paths `text` runs: each command's program, past assignments and the wrappers that run
    their argument (`sudo`, `bash -e`, `env X=1`).  A path only mentioned (`shellcheck ci/x.sh`,
    `cat ci/x.sh`) is not run here: the script may run elsewhere."""
    run: set[str] = set()
    for command in _COMMAND_SEPARATORS.split(_WORKSPACE.sub("$GITHUB_WORKSPACE", text)):
        for word in _WORD.findall(command):
            if word in _RUNNING_WRAPPERS or word.startswith("-") or _ASSIGNMENT.match(word):
                continue
            path = _path(word, directory)
            if path is not None:
                run.add(path)
            break
    return run


def _paths(text: str, directory: str | None) -> list[str]:
    """The paths inside the checkout the words of `text` name (`./ci/test.sh`,
    `$GITHUB_WORKSPACE/ci/test.sh`), normalised relative to it; words with other variables,
    absolute paths and paths leaving the checkout name none."""
    words = _WORD.findall(_WORKSPACE.sub("$GITHUB_WORKSPACE", text))
    return [path for word in words if (path := _path(word, directory)) is not None]


def _path(word: str, directory: str | None) -> str | None:
    """The path inside the checkout one word names (see `_paths`), or None."""
    if word.startswith(("$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/")):
        written = word.partition("/")[2]
    elif directory is None or not _LOCAL_PATH.fullmatch(word):
        return None
    else:
        written = os.path.join(directory, word)
    path = os.path.normpath(written)
    return None if path == ".." or path.startswith(("..", "/")) else path


def _at(node: YNode | None, *keys: str) -> YNode | None:
    for key in keys:
        node = node.get(key) if isinstance(node, YMap) else None
    return node


def _steps(
    project: Project, host: HostFile, steps: YNode | None, default_shell: str | None, timeline: Timeline
) -> None:
    for step in steps.items if isinstance(steps, YSeq) else []:
        run = step.get("run") if isinstance(step, YMap) else None
        if not isinstance(run, YScalar) or not isinstance(step, YMap) or not mentions_tool(run.text):
            continue  # (read_snippet would skip it too, after mapping every character)
        shell = step.get("shell")
        command = shell.text if isinstance(shell, YScalar) else (default_shell or "bash")
        program = command.split()[0].rsplit("/", 1)[-1] if command.split() else ""
        if program not in POSIX_SHELLS:
            continue
        snippet = Snippet()
        snippet.add_scalar(host, run, without_expressions(run.text))
        read_snippet(project, host, snippet, timeline=timeline)


def _containers(project: Project, host: HostFile, job_key: YScalar, job: YMap, timeline: Timeline) -> None:
    """The job container and the service containers, as `docker create` commands; the service
    containers are `job_service`, the job container `job_container`."""
    containers: list[tuple[YScalar, YNode, str | None]] = []
    container = job.get("container")
    if container is not None:
        containers.append((job.key_node("container") or job_key, container, None))
    services = job.get("services")
    for key, service in services.items if isinstance(services, YMap) else []:
        containers.append((key, service, key.text))
    if not containers:
        return
    snippet = Snippet()
    at = host.offset(job_key.span.line, job_key.span.column)
    snippet.add_at(f"docker network create {NETWORK}\n", at)
    for key, spec, name in containers:
        _create(snippet, host, key, spec, name)
    before = len(project.workloads)
    read_snippet(project, host, snippet, timeline=timeline)
    service_ids = {name for _, _, name in containers if name}
    for workload in project.workloads[before:]:
        workload.job_service = workload.name in service_ids  # named by its id (the job container is not)
        workload.job_container = not workload.job_service


def _create(snippet: Snippet, host: HostFile, key: YScalar, spec: YNode, name: str | None) -> None:
    at = host.offset(key.span.line, key.span.column)
    image = spec if isinstance(spec, YScalar) else (spec.get("image") if isinstance(spec, YMap) else None)
    if not isinstance(image, YScalar) or not image.text:
        return  # no image: GitHub skips the container
    snippet.add_at(f"docker create --network {NETWORK}", at)
    if name and _SERVICE_ID.fullmatch(name):
        snippet.add_at(" --name ", at)
        snippet.add(name, at)
    if isinstance(spec, YMap):
        options = spec.get("options")
        if isinstance(options, YScalar):
            snippet.add_at(" ", at)
            snippet.add_scalar(host, options, without_expressions(options.text).replace("\n", " "))
        for field, flag in CONTAINER_FLAGS.items():
            entries = spec.get(field)
            if isinstance(entries, YMap):  # env: NAME: value
                for variable, value in entries.items:
                    if isinstance(value, YScalar):
                        known = _EXPRESSION.search(value.text) is None
                        add_environment_entry(snippet, host, flag, variable, value, at, known)
            for entry in entries.items if isinstance(entries, YSeq) else []:
                if isinstance(entry, YScalar):
                    snippet.add_at(f" {flag} ", at)
                    snippet.add_scalar(host, entry, without_expressions(entry.text))
    snippet.add_at(" ", at)
    snippet.add_scalar(host, image, without_expressions(image.text))
    snippet.add_at("\n", at)
