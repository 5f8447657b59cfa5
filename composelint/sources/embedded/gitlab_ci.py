"""GitLab CI (`.gitlab-ci.yml`, `*.gitlab-ci.yml`, `.gitlab/ci/*.yml`) and the local files it includes.

Each job (a top-level mapping other than GitLab's keywords; hidden `.template` jobs too) is a
project.  `before_script` and `script` run in one shell, so they are one script (the
`default:` or top-level `before_script` when the job has none); `after_script` runs in a shell
of its own.  An entry is a line or a block of lines; nested lists are flattened, `!reference`
entries (another job's lines) are not followed.  The job's `services:` (a name or a mapping
with `name` and `alias`) are containers on the job's network, named by their alias, with the
variables GitLab passes them as environment: the file's top-level `variables:` (unless the job's
`inherit: variables: false`), the job's, then the service's own (the keys of the settings
table's `gitlab_ci` column; a later one of a name wins).  A service publishes no port and is
removed with the job: its passwords are its own throwaway server's (`Workload.job_service`, CL701).

`include: local:` files (and `include: 'path.yml'` strings without a scheme) are read as
part of the including file when they lie inside the including file's directory tree.

A job with a Docker-in-Docker service (`docker:dind`, `docker:27-dind`, `docker:${VERSION}-dind`,
`${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24-dind`, inherited from `default:` too) runs its `docker` commands against that service: a daemon made for this one job, whose
published ports only the job's own network reaches and whose host a container gains nothing by
reaching (`Project.ephemeral_host`, as for a GitHub-hosted runner).  A job without one is not taken to be ephemeral: untagged jobs on gitlab.com run on
instance runners that are a fresh VM per job, but a self-managed instance's runners may be a
lasting machine (a shell executor), and the file does not say which instance runs it.
"""

from __future__ import annotations

import os

from composelint.limits import MAX_CI_BYTES, MAX_JOBS
from composelint.model import Project, SourceFile
from composelint.patterns import lazy_pattern
from composelint.settings import run_flags_by_key
from composelint.sources.compose.yaml_tree import YMap, YNode, YScalar, YSeq, read_yaml
from composelint.sources.docker_cli.reader import Timeline
from composelint.sources.embedded.snippets import (
    HostFile,
    Snippet,
    add_environment_entry,
    embedded_project,
    read_snippet,
)
from composelint.values import parse_image

KIND = "gitlab-ci"
KEYWORDS = frozenset(
    {"stages", "variables", "include", "default", "workflow", "image", "services", "cache"}
    | {"before_script", "after_script", "types", "spec"}
)
NETWORK = "gitlab_job"  # services share the job's network
_BREAKS = lazy_pattern("\r\n|[\r\n\x85\u2028\u2029]")
_ALIAS = lazy_pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
# The tag of a Docker-in-Docker image (`dind`, `27.3-dind-rootless`, `${DOCKER_VERSION}-dind`).
_DIND_TAG = lazy_pattern(r"(?:.*-)?dind(?:-rootless)?")
MAX_INCLUDES = 50
# How the runner passes `variables:` entries to a service container (`--env`).
VARIABLES_FLAG = run_flags_by_key("gitlab_ci")["variables"].spellings[0]


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    """The jobs of the file and of the local files it includes."""
    projects: list[Project] = []
    root = os.path.dirname(os.path.abspath(path))
    todo, seen = [path], set[str]()
    while todo and len(seen) < MAX_INCLUDES:
        current = todo.pop(0)
        real = os.path.normpath(os.path.abspath(current))
        if real in seen:
            continue
        seen.add(real)
        found, includes = _load_file(current, display, texts, "base" if current == path else "include", root)
        projects.extend(found)
        # `local:` paths are relative to the repository: here, the first file's directory
        for include in includes:
            target = os.path.normpath(os.path.join(root, include.lstrip("/")))
            if target.startswith(root + os.sep) and os.path.isfile(target):  # read_text checks symlinks
                todo.append(target)
    return projects


def _load_file(
    path: str, display, texts: dict[str, str], role: str, root: str
) -> tuple[list[Project], list[str]]:
    from composelint.sources.files import UnreadableFile, read_text, too_large, too_many

    shown = display(path)
    try:
        text = (texts[path] if path in texts else read_text(path, root)).removeprefix("\ufeff")
    except UnreadableFile:
        if role == "base":
            raise
        return [], []  # an unreadable include: GitLab reports it, the including file is still linted
    host = HostFile(shown, text, _BREAKS)
    whole = _file_project(host, role, shown)
    if len(text) > MAX_CI_BYTES:  # each job's script is read on its own: ~3 s and 170 MB per MiB
        whole.diagnostics.append(too_large(shown, "GitLab CI file", MAX_CI_BYTES))
        return [whole], []
    document = read_yaml(shown, text)
    top = document.roots[0] if document.roots else None
    whole.diagnostics.extend(document.diagnostics)
    if not isinstance(top, YMap):
        return [whole], []
    inherited = {key: _default(top, key) for key in ("before_script", "after_script")}
    projects = [whole]
    for key, job in top.items:
        if key.text in KEYWORDS or not isinstance(job, YMap):
            continue
        if len(projects) > MAX_JOBS:  # each job is a project: about 1.4 ms
            whole.diagnostics.append(too_many(shown, key.span.line, "jobs", MAX_JOBS))
            break
        project = _file_project(host, role, f"{shown} job {key.text}")
        before = (
            job.get("before_script") if job.get("before_script") is not None else inherited["before_script"]
        )
        after = job.get("after_script") if job.get("after_script") is not None else inherited["after_script"]
        timeline = Timeline()  # the scripts run in order, then the services are started
        for lines in ((before, job.get("script")), (after,)):
            snippet = Snippet()
            for node in lines:
                _add_lines(snippet, host, node)
            read_snippet(project, host, snippet, timeline=timeline)
        services = job.get("services") if job.get("services") is not None else _default(top, "services")
        project.ephemeral_host = _docker_in_docker(services)
        _services(project, host, key, job, _inherited_variables(top, job), timeline)
        projects.append(project)
    return projects, _local_includes(top.get("include"))


def _default(top: YMap, key: str) -> YNode | None:
    """A job's keyword inherited from `default:` (or, deprecated, the top level)."""
    default = top.get("default")
    found = default.get(key) if isinstance(default, YMap) else None
    return found if found is not None else top.get(key)


def _docker_in_docker(services: YNode | None) -> bool:
    """A `docker:*dind` service: the job's `docker` commands reach a daemon made for the job."""
    for entry in services.items if isinstance(services, YSeq) else []:
        name = entry.get("name") if isinstance(entry, YMap) else entry
        # the last path part: a registry before it may be a variable (the Dependency Proxy's
        # `${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24-dind`)
        image = parse_image(name.text.strip().rpartition("/")[2]) if isinstance(name, YScalar) else None
        if image is not None and image.basename == "docker" and _DIND_TAG.fullmatch(image.tag or ""):
            return True
    return False


def _file_project(host: HostFile, role: str, name: str) -> Project:
    """A project of the file (the whole file: its YAML errors; or a job); an included file's role
    lets the run skip linting it again on its own."""
    project = embedded_project(host, KIND, name)
    project.sources = [SourceFile(host.path, role, KIND, host.text)]
    return project


def _add_lines(snippet: Snippet, host: HostFile, node: YNode | None) -> None:
    """A script entry: a line, a block of lines, or a (nested) list of them."""
    if isinstance(node, YScalar) and node.tag == "tag:yaml.org,2002:str":
        snippet.add_scalar(host, node)
        snippet.add_at("\n", host.offset(node.span.end_line, node.span.end_column))
    elif isinstance(node, YSeq) and node.tag == "tag:yaml.org,2002:seq":
        for item in node.items:
            _add_lines(snippet, host, item)


def _inherited_variables(top: YMap, job: YMap) -> YNode | None:
    """The file's top-level `variables:`, unless the job's `inherit: variables:` is false (a list
    of names keeps those)."""
    inherit = job.get("inherit")
    chosen = inherit.get("variables") if isinstance(inherit, YMap) else None
    variables = top.get("variables")
    if not isinstance(chosen, (YScalar, YSeq)) or not isinstance(variables, YMap):
        return variables
    if isinstance(chosen, YScalar):
        return variables if chosen.value is not False else None
    names = {item.text for item in chosen.items if isinstance(item, YScalar)}
    return YMap(
        [(key, value) for key, value in variables.items if key.text in names], variables.tag, variables.span
    )


def _environment(snippet: Snippet, host: HostFile, at: int, sources: list[YNode | None]) -> None:
    """The variables of `sources` (mappings, in order: a later one of a name wins), as flags; a
    variable written as a mapping gives its `value`."""
    entries: dict[str, tuple[YScalar, YScalar]] = {}
    for source in sources:
        for name, written in source.items if isinstance(source, YMap) else []:
            value = written.get("value") if isinstance(written, YMap) else written
            if isinstance(value, YScalar) and value.value is not None:
                entries[name.text] = (name, value)
    for name, value in entries.values():  # GitLab expands `$NAME` in them: only known at run time
        add_environment_entry(snippet, host, VARIABLES_FLAG, name, value, at, known="$" not in value.text)


def _services(
    project: Project, host: HostFile, job_key: YScalar, job: YMap, inherited: YNode | None, timeline: Timeline
) -> None:
    services = job.get("services")
    if not isinstance(services, YSeq) or not services.items:
        return
    snippet = Snippet()
    snippet.add_at(f"docker network create {NETWORK}\n", host.offset(job_key.span.line, job_key.span.column))
    for entry in services.items:
        name = (
            entry if isinstance(entry, YScalar) else (entry.get("name") if isinstance(entry, YMap) else None)
        )
        if not isinstance(name, YScalar) or not name.text:
            continue
        at = host.offset(name.span.line, name.span.column)
        snippet.add_at(f"docker run --network {NETWORK}", at)
        alias = entry.get("alias") if isinstance(entry, YMap) else None
        if isinstance(alias, YScalar) and _ALIAS.fullmatch(alias.text):
            snippet.add_at(" --name ", at)
            snippet.add_scalar(host, alias)
        own = entry.get("variables") if isinstance(entry, YMap) else None
        _environment(snippet, host, at, [inherited, job.get("variables"), own])
        snippet.add_at(" ", at)
        snippet.add_scalar(host, name)
        snippet.add_at("\n", at)
    before = len(project.workloads)
    read_snippet(project, host, snippet, timeline=timeline)
    for workload in project.workloads[before:]:
        workload.job_service = True


def _local_includes(include: YNode | None) -> list[str]:
    """Paths of `include:` entries that name one file of this repository (no URL, variable or glob)."""
    entries = include.items if isinstance(include, YSeq) else [include]
    paths = []
    for entry in entries:
        local = entry.get("local") if isinstance(entry, YMap) else entry
        if (
            isinstance(local, YScalar)
            and local.text.endswith((".yml", ".yaml"))
            and not any(mark in local.text for mark in ("://", "$", "*"))
        ):
            paths.append(local.text)
    return paths
