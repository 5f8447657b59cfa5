"""A compose project as Compose loads it: files merged in order, `.env`,
interpolation, `include`, `extends`, profiles (docs/semantics.md 5).

Everything is read from the local file system inside the project root;
remote includes are never fetched.  Each reference that cannot be followed
is a CL006 finding, so a coverage gap is never silent.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from composelint.limits import MAX_CHAIN, MAX_EXPANDED_NODES, MAX_PROJECT_FILES
from composelint.model import Diagnostic, Project, SourceFile, Span
from composelint.records import field, record
from composelint.sources.compose.dotenv import DotenvError, parse_dotenv
from composelint.sources.compose.interpolation import Substitutions, interpolate_tree
from composelint.sources.compose.merge import MergeNotes, merge
from composelint.sources.compose.reader import read_model
from composelint.sources.compose.schema import COOLIFY_TEMPLATE, validate
from composelint.sources.compose.yaml_tree import YMap, YNode, YScalar, YSeq, read_yaml
from composelint.sources.directives import scan_directives
from composelint.sources.files import RootedFiles, UnreadableFile, is_inside, read_text

# Always set in the shell that runs Compose: the project directory (relative paths are resolved
# against it) and the home directory.  Never read from this process, and no secret to mask.
SHELL_DEFAULTS = {"PWD": ".", "HOME": "~"}
_REMOTE_PREFIXES = ("http://", "https://", "git@", "git://", "ssh://", "oci://", "github.com/")


@record
class LoadOptions:
    env_files: list[str] | None = None  # --env-file: replaces the project's .env
    process_env: dict[str, str] | None = None  # --use-process-env: wins over env files
    profiles: list[str] | None = None  # None: lint every profile
    allow_outside_root: bool = False
    validate_schema: bool = True
    # Files the user named (command line, editor): read wherever they are.  Every other read
    # (COMPOSE_FILE, include, extends.file, env files, symlinks) stays inside the project root.
    named_files: frozenset[str] = frozenset()
    # Discovery.base_networks: project directory -> network keys declarations-only files above declare.
    base_networks: dict[str, frozenset[str]] = field(default_factory=dict)


@record
class _Context:
    """State shared while one project loads."""

    project: Project
    options: LoadOptions
    root: str
    display: Callable[[str], str]  # real path -> path shown in findings
    read: Callable[[str], str]  # real path -> text
    notes: MergeNotes = field(default_factory=MergeNotes)
    read_files: set[str] = field(default_factory=set)
    substitutions: Substitutions = field(default_factory=Substitutions)
    expanded_nodes: int = 0  # YAML nodes of every file read, aliases expanded
    # Each file is parsed once per load: an include diamond or twenty services extending one
    # large file would otherwise parse it again and again.
    included: dict[tuple, YNode | None] = field(default_factory=dict)
    extended: dict[tuple, YNode | None] = field(default_factory=dict)
    # A service with its extends chain merged in, resolved once (a 3,000-service chain would be
    # resolved again from every service).
    resolved: dict[tuple, YNode] = field(default_factory=dict)
    cycles: int = 0  # extends cycles met so far

    def within_limits(self, shown: str, document) -> bool:
        """Counts a parsed file against the project's bounds; False (and CL010) past one."""
        self.expanded_nodes += document.expanded_nodes
        problem = None
        if len(self.read_files) > MAX_PROJECT_FILES:
            problem = f"more than {MAX_PROJECT_FILES:,} files in one project"
        elif self.expanded_nodes > MAX_EXPANDED_NODES:
            problem = f"more than {MAX_EXPANDED_NODES:,} YAML nodes in one project once aliases are expanded"
        if problem:
            self.diagnose("CL010", f"`{shown}` not linted: {problem}", Span(shown, 1, 1, 1, 2))
        return problem is None

    def read_file(self, path: str, what: str) -> str | None:
        """A compose file's text; None, and CL006 naming it as `what` ("Base file"), when it cannot be read."""
        try:
            return self.read(path)
        except UnreadableFile as error:
            shown = self.display(path)
            self.diagnose("CL006", f"{what} `{shown}` not read: {error.reason}", Span(shown, 1, 1, 1, 2))
            return None

    def diagnose(
        self,
        code: str,
        message: str,
        span: Span,
        related: tuple[Span, ...] = (),
        settings: tuple[str, ...] = (),
    ) -> None:
        self.project.diagnostics.append(Diagnostic(code, message, span, related, settings))


def load_project(
    files: list[str],
    options: LoadOptions | None = None,
    *,
    display=None,
    read=None,
    texts: dict[str, str] | None = None,
) -> Project:
    """Load the compose files `files` (merged in order) as one project.  Its root is the directory
    of the first file, or the directory a `RootedFiles` was found in.

    `texts` gives file contents that are not on disk (standard input).
    """
    options = options or LoadOptions()
    display = display or (lambda path: path)
    texts = texts or {}

    directory = (
        os.path.abspath(files.root)
        if isinstance(files, RootedFiles)
        else os.path.dirname(os.path.abspath(files[0]))
    )

    def read_file(path: str) -> str:
        if path in texts:
            return texts[path]
        named = os.path.normpath(os.path.abspath(path)) in options.named_files
        return read_text(path, None if named or options.allow_outside_root else directory)

    first_directory = os.path.dirname(os.path.abspath(files[0]))
    project = Project(name=os.path.basename(first_directory) or first_directory)
    project.base_networks = options.base_networks.get(directory, frozenset())
    context = _Context(project, options, directory, display, read or read_file)
    context.substitutions.values = project.variable_values
    env = _project_env(context, directory)
    merged: YNode | None = None
    for index, path in enumerate(files):
        tree = _load_file(context, path, env, "base" if index == 0 else "override", stack=())
        if tree is not None:
            merged = tree if merged is None else merge(merged, tree, (), context.notes)
    project.variable_values = {
        value: name for value, name in project.variable_values.items() if SHELL_DEFAULTS.get(name) != value
    }
    if merged is not None:
        _apply_profiles(merged, options.profiles)
        read_model(project, merged, context.notes)
    return project


def _project_env(context: _Context, directory: str) -> dict[str, str]:
    """Variables for interpolation: env files, then the process environment if asked."""
    process = context.options.process_env or {}
    env_files = context.options.env_files
    if env_files is None:
        default = os.path.join(directory, ".env")
        env_files = [default] if os.path.isfile(default) else []
    env: dict[str, str] = {}
    for path in env_files:
        shown = context.display(path)
        context.project.sources.append(SourceFile(shown, "env", "env", ""))  # values are never shown
        try:
            env.update(parse_dotenv(context.read(path), {**process, **env}))
        except DotenvError as error:
            context.diagnose(
                "CL010" if error.limit else "CL006",
                f"Env file `{shown}` not read: line {error.line}: {error}",
                Span(shown, error.line, 1, error.line, 2),
            )
        except OSError as error:
            context.diagnose("CL006", f"Env file `{shown}` not read: {error}", Span(shown, 1, 1, 1, 2))
    env.update(process)
    for name, value in SHELL_DEFAULTS.items():
        env.setdefault(name, value)
    return env


def _load_file(
    context: _Context, path: str, env: dict[str, str], role: str, stack: tuple[str, ...]
) -> YNode | None:
    """One compose file: parsed, validated, interpolated, with includes and extends resolved."""
    real = os.path.abspath(path)
    shown = context.display(path)
    text = context.read_file(path, f"{role.capitalize()} file")
    if text is None:
        return None
    document = read_yaml(shown, text)
    context.project.sources.append(SourceFile(shown, role, "compose", text))
    context.read_files.add(real)
    context.project.diagnostics.extend(document.diagnostics)
    if not document.roots and any(d.code in ("CL001", "CL010") for d in document.diagnostics):
        return None  # not parsed (an integer past its bound is read as text: the file is linted)
    if not context.within_limits(shown, document):
        return None
    context.project.directives.extend(scan_directives(shown, text, document.extents, document.value_spans))
    merged: YNode | None = None
    # The substring test first: the pattern's search costs 50 us per file, and two corpus files in
    # two thousand are Coolify templates.
    coolify = "SERVICE_" in text and bool(COOLIFY_TEMPLATE.search(text))
    for root in document.roots:
        if context.options.validate_schema:
            context.project.diagnostics.extend(validate(root, coolify))
        tree = interpolate_tree(root, env, context.diagnose, substituted=context.substitutions)
        if isinstance(tree, YMap):
            tree = _resolve_includes(context, tree, real, env, stack + (real,))
            tree = _resolve_extends(context, tree, real, env)
        merged = tree if merged is None else merge(merged, tree, (), context.notes)
    return merged


def _reference(context: _Context, what: str, target: str, base_dir: str, span: Span) -> str | None:
    """The local path of an include/extends target, or None (and CL006) when it cannot be followed."""
    if target.startswith(_REMOTE_PREFIXES) or "://" in target:
        context.diagnose("CL006", f"{what} `{target}` is remote and is never fetched: it is not linted", span)
        return None
    path = os.path.normpath(os.path.join(base_dir, os.path.expanduser(target)))
    if not context.options.allow_outside_root and not is_inside(path, context.root):
        context.diagnose(
            "CL006",
            f"{what} `{target}` is outside the project root and is not read "
            "(use --allow-outside-root to follow it)",
            span,
        )
        return None
    if not os.path.isfile(path):
        context.diagnose("CL006", f"{what} `{target}` does not exist: it is not linted", span)
        return None
    return path


def _include_entries(node: YNode) -> list[tuple[YScalar, list[YScalar]]]:
    """(path scalar, env_file scalars) for each include entry, short or long syntax."""
    entries: list[tuple[YScalar, list[YScalar]]] = []
    for item in node.items if isinstance(node, YSeq) else []:
        if isinstance(item, YScalar):
            entries.append((item, []))
        elif isinstance(item, YMap):
            paths = item.get("path")
            env_files = item.get("env_file")
            env_list = [
                e
                for e in (env_files.items if isinstance(env_files, YSeq) else [env_files])
                if isinstance(e, YScalar)
            ]
            for path in paths.items if isinstance(paths, YSeq) else [paths]:
                if isinstance(path, YScalar):
                    entries.append((path, env_list))
    return entries


def _resolve_includes(
    context: _Context, tree: YMap, real: str, env: dict[str, str], stack: tuple[str, ...]
) -> YMap:
    includes = tree.get("include")
    if includes is None:
        return tree
    local = YMap([(k, v) for k, v in tree.items if k.text != "include"], tree.tag, tree.span)
    base_dir = os.path.dirname(real)
    combined: YNode | None = None
    for path_node, env_nodes in _include_entries(includes):
        target = _reference(context, "Included file", path_node.text, base_dir, path_node.span)
        if target is None:
            continue
        if target in stack:
            chain = " -> ".join(context.display(p) for p in stack + (target,))
            context.diagnose(
                "CL006", f"Include cycle ({chain}): `{path_node.text}` is not read again", path_node.span
            )
            continue
        if len(stack) >= MAX_CHAIN:
            context.diagnose(
                "CL010",
                f"Include chain longer than {MAX_CHAIN} files: `{path_node.text}` is not read",
                path_node.span,
            )
            continue
        included_env = dict(env)
        for env_node in env_nodes:
            env_path = _reference(context, "Include env_file", env_node.text, base_dir, env_node.span)
            if env_path is not None:
                try:
                    included = parse_dotenv(context.read(env_path), env)
                    included_env = {**included, **env}  # the including project's variables win
                except (DotenvError, OSError) as error:
                    context.diagnose(
                        "CL006", f"Include env_file `{env_node.text}` not read: {error}", env_node.span
                    )
        key = (target, frozenset(included_env.items()))
        if key not in context.included:
            context.included[key] = _load_file(context, target, included_env, "include", stack)
        tree_of_include = context.included[key]
        if tree_of_include is not None:
            combined = (
                tree_of_include if combined is None else merge(combined, tree_of_include, (), context.notes)
            )
    if combined is None:
        return local
    merged = merge(combined, local, (), context.notes)
    return merged if isinstance(merged, YMap) else local


def _resolve_extends(context: _Context, tree: YMap, real: str, env: dict[str, str]) -> YMap:
    services = tree.get("services")
    if not isinstance(services, YMap):
        return tree
    resolved = [
        (key, _extended(context, key.text, value, real, env, services, ())) for key, value in services.items
    ]
    new_services = YMap(resolved, services.tag, services.span)
    return YMap(
        [(k, new_services if k.text == "services" else v) for k, v in tree.items], tree.tag, tree.span
    )


def _extended(
    context: _Context,
    name: str,
    service: YNode,
    real: str,
    env: dict[str, str],
    services: YMap,
    seen: tuple[tuple[str, str], ...],
) -> YNode:
    """The service with its `extends` chain merged in (base first, this service on top)."""
    if not isinstance(service, YMap) or service.get("extends") is None:
        return service
    memo = (real, name, id(env))
    if memo in context.resolved:
        return context.resolved[memo]
    cycles = context.cycles
    result = _resolved(context, name, service, real, env, services, seen)
    if context.cycles == cycles:  # a cycle is reported from each service on it, so not kept
        context.resolved[memo] = result
    return result


def _resolved(
    context: _Context,
    name: str,
    service: YMap,
    real: str,
    env: dict[str, str],
    services: YMap,
    seen: tuple[tuple[str, str], ...],
) -> YNode:
    extends = service.get("extends")
    if extends is None:
        return service
    own = YMap([(k, v) for k, v in service.items if k.text != "extends"], service.tag, service.span)
    target_file, target_name, span = real, None, extends.span
    if isinstance(extends, YScalar):
        target_name = extends.text
    elif isinstance(extends, YMap):
        name_node, file_node = extends.get("service"), extends.get("file")
        target_name = name_node.text if isinstance(name_node, YScalar) else None
        if isinstance(file_node, YScalar):
            referenced = _reference(
                context, "Extended file", file_node.text, os.path.dirname(real), file_node.span
            )
            if referenced is None:
                return own
            target_file = referenced
    if not target_name:
        return own
    key = (target_file, target_name)
    if key in seen or (key == (real, name) and not seen):
        context.diagnose("CL006", f"`extends` cycle through service `{target_name}`: not followed", span)
        context.cycles += 1
        return own
    if len(seen) >= MAX_CHAIN:
        context.diagnose(
            "CL010",
            f"`extends` chain longer than {MAX_CHAIN} services: `{target_name}` is not followed",
            span,
        )
        return own
    base_services = services if target_file == real else _services_of(context, target_file, env)
    base = base_services.get(target_name) if isinstance(base_services, YMap) else None
    if base is None or not isinstance(base_services, YMap):
        context.diagnose(
            "CL006",
            f"Extended service `{target_name}` does not exist"
            + ("" if target_file == real else f" in `{context.display(target_file)}`"),
            span,
        )
        return own
    base = _extended(context, target_name, base, target_file, env, base_services, seen + ((real, name),))
    merged = merge(base, own, ("services", name), context.notes)
    return merged if merged is not None else own


def _services_of(context: _Context, path: str, env: dict[str, str]) -> YNode | None:
    """The interpolated `services` of another file, read for `extends` (once per load)."""
    key = (path, frozenset(env.items()))
    if key not in context.extended:
        context.extended[key] = _read_services(context, path, env)
    return context.extended[key]


def _read_services(context: _Context, path: str, env: dict[str, str]) -> YNode | None:
    shown = context.display(path)
    text = context.read_file(path, "Extended file")
    if text is None:
        return None
    document = read_yaml(shown, text)
    if os.path.abspath(path) not in context.read_files:
        context.read_files.add(os.path.abspath(path))
        context.project.sources.append(SourceFile(shown, "extends", "compose", text))
        context.project.diagnostics.extend(document.diagnostics)
        context.project.directives.extend(
            scan_directives(shown, text, document.extents, document.value_spans)
        )
    if not context.within_limits(shown, document):
        return None
    for root in document.roots:
        if isinstance(root, YMap) and root.get("services") is not None:
            tree = interpolate_tree(
                root, env, lambda *args, **settings: None, substituted=context.substitutions
            )
            return tree.get("services")
    return None


def _apply_profiles(tree: YNode, active: list[str] | None) -> None:
    """Drop services whose profiles are all inactive (every profile is active by default)."""
    if active is None or "*" in active or not isinstance(tree, YMap):
        return
    services = tree.get("services")
    if not isinstance(services, YMap):
        return
    kept = []
    for key, service in services.items:
        profiles = service.get("profiles") if isinstance(service, YMap) else None
        names = (
            {p.text for p in profiles.items if isinstance(p, YScalar)}
            if isinstance(profiles, YSeq)
            else set()
        )
        if not names or names & set(active):
            kept.append((key, service))
    services.items[:] = kept
