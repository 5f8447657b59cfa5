"""The one pipeline: discover, configure, load, lint, apply baselines.

The command line, the language server and the Python API each build a `Request`
and call `run()` (or `load_projects()` for the model); they only differ in how
they ask and how they show the result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter

from composelint.baseline import BaselineError, apply_baseline, read_baseline, write_baseline
from composelint.collector import collector_paused
from composelint.config import ConfigError, ConfigFinder, Effective, Overrides, display_path
from composelint.discovery import (
    DIRECTORY_KINDS,
    SHELL_EXTENSIONS,
    Discovery,
    changed_projects,
    discover,
    kind_by_name,
)
from composelint.engine import (
    LintResult,
    Reported,
    SelectionError,
    Settings,
    collect,
    internal_error,
    lint_project,
    one_per_group,
    select_rules,
)
from composelint.fixes import apply_edits, breaks_yaml, choose
from composelint.model import Project, SourceFile
from composelint.records import field, fields, record, replace
from composelint.rules import all_rules
from composelint.sources.compose.project import LoadOptions
from composelint.sources.files import UnreadableFile, decode, is_inside, within_limit
from composelint.sources.kinds import COMPOSE, load, prepare
from composelint.types import Finding, Rule

STDIN = "-"
PARALLEL_FROM = 32  # projects; below this, starting workers costs more than it saves
# Projects per default worker: on 2 free CPUs two workers took as long as one process on 100 corpus
# files (0.28 s) and 0.9x its time on 200 (0.7x on 500).
PROJECTS_PER_WORKER = 64
CHUNKS_PER_WORKER = 32  # the smaller the chunks, the less one process waits for the other at the end

FileSet = tuple[str, list[str]]  # (kind, files): the files of one project, merged in order
Linted = tuple[list[SourceFile], list[Reported], str]  # one project's sources, findings and kind


class LintError(Exception):
    """The linter cannot do its job (a bad option, configuration or baseline, an unreadable path).
    `lines`: one problem per line (an invalid configuration file has all of its problems);
    `config`: the invalid configuration file's error, with each problem's position."""

    def __init__(self, *lines: str, config: ConfigError | None = None):
        super().__init__("\n".join(lines))
        self.lines = lines
        self.config = config


@record(frozen=True)
class Request:
    """What to lint and how: everything a caller decides.  `None` leaves a setting to the
    configuration file that applies to each linted file."""

    paths: tuple[str, ...] = (".",)  # files and directories to discover; `-` is `stdin`
    compose_files: tuple[str, ...] = ()  # one project of these compose files, merged in order (-f)
    stdin: str | bytes | None = None  # the text of `-`
    stdin_filename: str | None = None  # the name `-` is linted under
    texts: Mapping[str, str] = field(default_factory=dict)  # unsaved documents, read instead of the disk
    kinds: tuple[str, ...] = ()  # only these kinds in directories (empty: all); one kind: named files' kind
    # How a compose project loads.
    env_files: tuple[str, ...] = ()  # instead of the project's .env
    use_process_env: bool = False
    profiles: tuple[str, ...] = ()  # empty: every profile
    allow_outside_root: bool = False
    merge_overrides: bool = True
    changed: bool = False  # `paths` are changed files: also the compose projects that read them
    # Configuration.
    overrides: Overrides = field(default_factory=Overrides)
    config_path: str | None = None  # one configuration file for every file
    isolated: bool = False  # no configuration files
    force_exclude: bool = False  # excludes and .gitignore apply to named files too
    inline_suppressions: bool = True
    baseline: str | None = None  # hide the findings recorded in this file
    write_baseline: str | None = None  # record the findings in this file
    jobs: int = 0  # processes that lint (this one and jobs - 1 workers); 0: chosen (_workers)
    relative_paths: bool = True  # show paths below the working directory relative to it
    verbose: bool = False  # print the traceback of an internal error (CL009) to stderr
    # Texts fixed in an earlier round of `fix()`, by absolute path: read instead of the disk, in the
    # projects discovery forms from the disk (unlike `texts`, which make an unsaved file a project).
    fixed: Mapping[str, str] = field(default_factory=dict)
    progress: Callable[[int, int], None] | None = None  # told (projects linted, projects) as they finish


@record(frozen=True)
class LintedProject:
    kind: str  # compose | shell
    files: tuple[str, ...]  # the files that form it, as shown in findings
    read: tuple[str, ...]  # every file its loading read (env files, includes, extends)


@record
class Result:
    lint: LintResult  # every finding (suppressed ones included), the files and their texts
    projects: list[LintedProject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what did not stop the run
    recorded: int | None = None  # findings written to `write_baseline`

    @property
    def findings(self) -> list[Reported]:
        """The findings nothing suppresses, sorted by file and position."""
        return self.lint.active

    @property
    def failing(self) -> bool:
        """A finding at or above the failure threshold (`fail-on`) is reported."""
        return bool(self.lint.failing)


def run(request: Request) -> Result:
    """Lint what `request` names; raises LintError when that cannot be done."""
    finder = _finder(request)
    known = _read_baseline(request.baseline) if request.baseline else None
    found, texts = _file_sets(request)
    empty = _empty_directories(request, [*found.projects, *found.test_data], finder)
    configured, test_data = _configured(found, request, finder, texts)
    parts = _without_consumed(_lint_all(configured, texts, request, found.base_networks), request)
    result = collect([(sources, reported) for sources, reported, _ in parts])
    result.skipped = _skipped(found, finder)
    result.test_data = test_data
    result.rules = sorted(
        {rule.code: rule for _, config in configured for rule in config.rules}.values(),
        key=lambda rule: rule.code,
    )
    if known is not None:
        apply_baseline(result, known)
    recorded = None
    if request.write_baseline:
        try:
            recorded = write_baseline(request.write_baseline, result)
        except BaselineError as error:
            raise LintError(str(error)) from None
        apply_baseline(result, {item.fingerprint for item in result.reported})
    projects = [_linted(sources, kind) for sources, _, kind in parts]
    return Result(result, projects, [f"no files to lint in {path}" for path in empty], recorded)


MAX_FIX_ROUNDS = 10  # overlapping fixes take a round each; bounded as ruff bounds its loop


@record
class Fixed:
    """What `fix()` did: the findings that remain, and each changed file's text before and after."""

    result: Result  # the last lint: the findings that remain
    changes: dict[str, tuple[str, str]]  # path as shown -> (text as linted, text fixed)
    applied: list[Reported]  # the findings whose fix was applied (as the round that applied it saw them)
    refused: list[str]  # files left as they were because a fix would have broken them
    stdin: str | None = None  # the path findings on standard input carry, when it was fixed

    def fixable(self, applicability: str) -> list[Reported]:
        """The remaining findings with a fix of this applicability."""
        return [
            item
            for item in self.result.findings
            if item.finding.fix is not None and item.finding.fix.applicability == applicability
        ]


def fix(request: Request, unsafe: bool = False) -> Fixed:
    """Lint, apply the safe fixes (and the unsafe ones with `unsafe`), and lint the new texts again
    until no fix applies, at most MAX_FIX_ROUNDS times.  Nothing is written: `changes` holds the
    texts.  Only files of a project and files below its root are fixed (never a file read through
    `include`/`extends` outside it, nor standard input without `stdin_filename`); fixes that would
    make a compose file invalid (YAML syntax, duplicate keys, schema) are refused for that file."""
    wanted = ("safe", "unsafe") if unsafe else ("safe",)
    linted: dict[str, str] = {}  # path -> the text the first round linted
    current: dict[str, str] = {}  # path -> the text fixed so far
    applied: list[Reported] = []
    refused: list[str] = []
    frozen: set[str] = set()
    for round_number in range(MAX_FIX_ROUNDS + 1):
        outcome = run(_with_fixed(request, current))
        for path, text in outcome.lint.texts.items():
            linted.setdefault(path, text)
        if round_number == MAX_FIX_ROUNDS:
            break
        fixable = _fixable_files(outcome, request) - frozen
        candidates = [
            item
            for item in outcome.findings
            if item.finding.fix is not None
            and item.finding.fix.applicability in wanted
            and _edits_paths(item) <= fixable
        ]
        # Unsafe fixes first: they are whole changes (leave the host network) of which safe ones
        # can be a part (drop the discarded ports), and must see what those would remove.
        ordered = [item.finding.fix for item in candidates if item.finding.fix]
        ordered.sort(key=lambda candidate: candidate.applicability != "unsafe")
        chosen = choose(ordered, outcome.lint.texts)
        texts = _fixed_texts(chosen, outcome.lint.texts)
        broken = {
            path
            for path, text in texts.items()
            if outcome.lint.kinds.get(path) == COMPOSE and breaks_yaml(path, outcome.lint.texts[path], text)
        }
        for path in sorted(broken):
            refused.append(f"{path}: fixes not applied: they would make the file invalid")
        frozen |= broken
        kept = {candidate for candidate in chosen if not candidate.paths & broken}
        if not kept:
            break
        current.update(_fixed_texts(kept, outcome.lint.texts))
        applied.extend(item for item in candidates if item.finding.fix in kept)
    changes = {path: (linted[path], text) for path, text in current.items() if text != linted[path]}
    return Fixed(outcome, changes, applied, refused, _stdin_shown(request))


def _fixed_texts(fixes, texts: dict[str, str]) -> dict[str, str]:
    """The texts the edits of `fixes` change, with the edits applied."""
    edits_by_path: dict[str, list] = {}
    for chosen in fixes:
        for edit in chosen.edits:
            edits_by_path.setdefault(edit.span.path, []).append(edit)
    return {path: apply_edits(texts[path], edits) for path, edits in edits_by_path.items()}


def _edits_paths(item: Reported) -> frozenset[str]:
    return item.finding.fix.paths if item.finding.fix else frozenset()


def _with_fixed(request: Request, texts: dict[str, str]) -> Request:
    """The request reading the fixed `texts` (paths as shown) instead of the files and stdin."""
    if not texts:
        return request
    stdin = _stdin_shown(request)
    return replace(
        request,
        stdin=texts.get(stdin, request.stdin) if stdin else request.stdin,
        fixed={absolute(path): text for path, text in texts.items() if path != stdin},
    )


def _stdin_shown(request: Request) -> str | None:
    """The path findings on standard input carry, when it can be fixed (it has a name)."""
    if STDIN not in request.paths or not request.stdin_filename:
        return None
    return (display_path if request.relative_paths else _as_given)(request.stdin_filename)


def _fixable_files(outcome: Result, request: Request) -> set[str]:
    """The files of each project, and the files it read below its root; standard input when named."""
    stdin = _stdin_shown(request)
    fixable = {stdin} if stdin else set()
    for project in outcome.projects:
        own = [path for path in project.files if path != STDIN and path != stdin]
        if not own:
            continue
        root = os.path.dirname(absolute(own[0]))
        fixable.update(own)
        fixable.update(path for path in project.read if path != STDIN and is_inside(path, root))
    return fixable


def _empty_directories(request: Request, file_sets: list[FileSet], finder: ConfigFinder) -> list[str]:
    """The named directories in which nothing was found to lint.  Their configuration is still
    read: an invalid one is an error even when no file would use it."""
    empty = []
    for path in request.paths:
        if path == STDIN or not os.path.isdir(path):
            continue
        try:
            finder.for_directory(path)
        except ConfigError as error:
            raise LintError(*error.lines, config=error) from None
        inside = os.path.abspath(path)
        if not any(
            os.path.abspath(file).startswith(inside.rstrip(os.sep) + os.sep)
            for _, files in file_sets
            for file in files
            if file != STDIN
        ):
            empty.append(path)
    return empty


def lint(
    *paths: str,
    text: str | None = None,
    filename: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    config: str | None = None,
    isolated: bool = False,
) -> Result:
    """Lint files and directories (default: the current directory), or `text` as if it were the
    file `filename`, the way `composelint check` does.  `select`/`ignore` replace the configuration's
    rule lists; `config` names the configuration file, `isolated` reads none.  For every other
    option build a `Request` and call `run()`."""
    overrides = Overrides(
        select=list(select) if select is not None else None,
        ignore=list(ignore) if ignore is not None else None,
    )
    named = (*paths, STDIN) if text is not None else (paths or (".",))
    return run(
        Request(
            paths=named,
            stdin=text,
            stdin_filename=filename,
            overrides=overrides,
            config_path=config,
            isolated=isolated,
        )
    )


def load_projects(request: Request) -> list[Project]:
    """The model of every project `request` names, without linting (configuration is not read)."""
    found, texts = _file_sets(request)
    file_sets = found.projects + (found.test_data if request.overrides.include_test_data else [])
    options = _load_options(request, found.base_networks)
    job = _Job(options, texts, {}, request.inline_suppressions, request.relative_paths)
    try:
        projects = [project for file_set in file_sets for project in _load(file_set, job)]
    except UnreadableFile as error:
        raise LintError(str(error)) from None
    return [project for _, project in _without_consumed([(p.sources, p) for p in projects], request)]


# --- Which projects, with which configuration ----------------------------------------------------


def _finder(request: Request) -> ConfigFinder:
    """The configuration lookup with the request's overrides."""
    overrides = request.overrides
    try:
        select_rules(overrides.select, list(overrides.extend_select), overrides.ignore or [])
    except SelectionError as error:
        raise LintError(str(error)) from None
    if request.config_path and request.isolated:
        raise LintError("--config and --isolated cannot be used together")
    try:
        return ConfigFinder(overrides, request.config_path, request.isolated)
    except ConfigError as error:
        raise LintError(*error.lines, config=error) from None


def _read_baseline(path: str) -> set[str]:
    try:
        return read_baseline(path)
    except BaselineError as error:
        raise LintError(str(error)) from None


def _file_sets(request: Request) -> tuple[Discovery, dict[str, str]]:
    """(kind, files) of each project the request names (those below test-data directories apart),
    the files discovery skipped with why, and the texts read instead of the disk."""
    texts = dict(request.texts)
    found = Discovery()
    reads_stdin = STDIN in request.paths or STDIN in request.compose_files
    name = request.stdin_filename or STDIN
    try:
        if reads_stdin:
            stdin = request.stdin or ""
            texts[name] = stdin if isinstance(stdin, str) else decode(name, within_limit(name, stdin))
        if request.compose_files:
            file_sets: list[FileSet] = [("compose", list(request.compose_files))]
            for path in request.compose_files:
                if not os.path.isfile(path) and path != STDIN and path not in texts:
                    raise UnreadableFile(path, "no such file or directory")
        else:
            # An editor's unsaved unit of a directory kind is discovered with the units beside it
            # (its text still comes from `texts`); any other unsaved file is a project of its own.
            grouped = {
                p
                for p in request.paths
                if p in request.texts and os.path.isfile(p) and _kind_by_name(p, request) in DIRECTORY_KINDS
            }
            on_disk = [p for p in request.paths if p != STDIN and (p not in texts or p in grouped)]
            if on_disk and request.changed:
                found = changed_projects(
                    on_disk, merge_overrides=request.merge_overrides, kinds=frozenset(request.kinds) or None
                )
            elif on_disk:
                found = discover(
                    on_disk,
                    merge_overrides=request.merge_overrides,
                    kind=_forced_kind(request),
                    kinds=frozenset(request.kinds) or None,
                )
            file_sets = found.projects
            file_sets.extend(
                (_kind_by_name(p, request), [p])
                for p in request.paths
                if p in request.texts and p not in grouped
            )
        if STDIN in request.paths:
            file_sets.append((_kind_by_name(name, request), [name]))
    except UnreadableFile as error:
        raise LintError(str(error)) from None
    if reads_stdin:
        file_sets = [(kind, [name if f == STDIN else f for f in files]) for kind, files in file_sets]
    found.projects = file_sets
    return found, texts


def _forced_kind(request: Request) -> str | None:
    return request.kinds[0] if len(request.kinds) == 1 else None


def _kind_by_name(name: str, request: Request) -> str:
    """The kind of a file that is not read from disk: forced, by its name, else compose."""
    return (
        _forced_kind(request)
        or kind_by_name(name)
        or ("shell" if name.endswith(SHELL_EXTENSIONS) else "compose")
    )


def _configured(
    found: Discovery, request: Request, finder: ConfigFinder, texts: dict[str, str]
) -> tuple[list[tuple[FileSet, Effective]], list[str]]:
    """Each project with the configuration of its first file, excluded and git-ignored projects
    dropped (a named file only with `force_exclude`); and the files of the projects below test-data
    directories that are not linted (their configuration's `include-test-data` is off)."""
    named = {os.path.normpath(p) for p in (*request.paths, *request.compose_files) if p != STDIN}
    if request.stdin_filename:
        named.add(os.path.normpath(request.stdin_filename))
    kept = []
    try:
        for file_set, test_data in [(p, False) for p in found.projects] + [
            (p, True) for p in found.test_data
        ]:
            first = file_set[1][0]
            config = finder.for_path(first)
            filtered = request.force_exclude or os.path.normpath(first) not in named
            # The configuration's `kinds` limits discovery like --kind, which replaces it.
            unwanted = not request.kinds and config.kinds is not None and file_set[0] not in config.kinds
            if not (filtered and (config.excluded(first) or unwanted)):
                kept.append((file_set, config, filtered, test_data and not config.include_test_data))
    except ConfigError as error:
        raise LintError(*error.lines, config=error) from None
    asked = [
        file_set[1][0]
        for file_set, config, filtered, _ in kept
        if filtered and config.respect_gitignore and file_set[1][0] != STDIN
    ]
    ignored = finder.gitignored(asked) if asked else set()
    wanted = [(file_set, config, left) for file_set, config, _, left in kept if file_set[1][0] not in ignored]
    left_out = sorted({file for file_set, _, left in wanted if left for file in file_set[1]})
    return [(file_set, config) for file_set, config, left in wanted if not left], left_out


def _skipped(found: Discovery, finder: ConfigFinder) -> list[tuple[str, str]]:
    """The files discovery skipped, with why; below test-data directories only where they are linted."""
    try:
        below = [(p, why) for p, why in found.test_data_skipped if finder.for_path(p).include_test_data]
    except ConfigError as error:
        raise LintError(*error.lines, config=error) from None
    return sorted(found.skipped + below)


def _without_consumed(parts: list, request: Request) -> list:
    """A file that another project includes or extends is linted there, not again on its own.

    `parts` are (sources, ...) tuples, one per project."""
    display = display_path if request.relative_paths else _as_given
    named = {display(p) for p in request.paths}
    consumed = {s.path for sources, *_ in parts for s in sources if s.role in ("include", "extends")}

    def own_files(sources: list[SourceFile]) -> list[str]:
        return [s.path for s in sources if s.role in ("base", "override")]

    return [
        part
        for part in parts
        if not (
            len(own_files(part[0])) == 1
            and own_files(part[0])[0] in consumed
            and own_files(part[0])[0] not in named
        )
    ]


def _linted(sources: list[SourceFile], kind: str) -> LintedProject:
    own = tuple(s.path for s in sources if s.role not in ("env", "include", "extends"))
    return LintedProject(kind, own, tuple(s.path for s in sources))


# --- Loading and linting, in worker processes when there are many projects ------------------------


@record(frozen=True)
class _Job:
    """What every project of a run shares; plain picklable data, so it reaches worker processes."""

    options: LoadOptions
    texts: dict[str, str]
    configs: dict[int, tuple[list[Rule], Settings]]  # index -> (rules, engine settings) of each configuration
    inline: bool
    relative_paths: bool
    verbose: bool = False
    named: frozenset[str] = frozenset()  # paths named on the command line, as shown
    fixed: Mapping[str, str] = field(default_factory=dict)  # Request.fixed


def _lint_chunk(
    job: _Job, items: list[tuple[FileSet, int]], done: Callable[[int], None] | None = None
) -> list[Linted]:
    """Consecutive file sets linted in order (`done(1)` after each).  A compose file that an
    earlier project included or extended is not loaded again on its own (`_without_consumed` would
    drop it), so a chain of 3,000 includes costs about its length, not its length times the chain
    limit."""
    display = display_path if job.relative_paths else _as_given
    consumed: set[str] = set()
    linted: list[Linted] = []
    for item in items:
        kind, files = item[0]
        shown = display(files[0]) if kind == COMPOSE and len(files) == 1 else None
        if shown is None or shown not in consumed or shown in job.named:
            for part in _lint_one(job, item):
                consumed.update(s.path for s in part[0] if s.role in ("include", "extends"))
                linted.append(part)
        if done is not None:
            done(1)
    return linted


def _load_options(request: Request, base_networks: dict[str, frozenset[str]]) -> LoadOptions:
    named = (*request.paths, *request.compose_files, *request.env_files)
    return LoadOptions(
        env_files=list(request.env_files) or None,
        process_env=dict(os.environ) if request.use_process_env else None,
        profiles=list(request.profiles) or None,
        allow_outside_root=request.allow_outside_root,
        named_files=frozenset(os.path.normpath(os.path.abspath(p)) for p in named if p != STDIN),
        base_networks=base_networks,
    )


def _load(file_set: FileSet, job: _Job) -> list[Project]:
    """The projects of one file set, by kind (composelint.sources.kinds)."""
    kind, files = file_set
    texts = job.texts
    if job.fixed:
        # Included and extended files are read by absolute path, the file set's own as discovered.
        texts = {**texts, **job.fixed}
        texts.update((path, job.fixed[absolute(path)]) for path in files if absolute(path) in job.fixed)
    return load(
        kind, files, job.options, display=display_path if job.relative_paths else _as_given, texts=texts
    )


def absolute(path: str) -> str:
    """The key of a file in `Request.fixed`."""
    return os.path.normpath(os.path.abspath(path))


def _lint_one(job: _Job, item: tuple[FileSet, int]) -> list[Linted]:
    """Load one file set and lint its projects with their configuration.  An unexpected failure is
    CL009 on the file set's first file, and the run goes on with the others."""
    file_set, key = item
    rules, settings = job.configs[key]
    try:
        with collector_paused():  # one collector pass for the file set, not one per stage (collector.py)
            linted = [
                (project, lint_project(project, rules, job.inline, settings))
                for project in _load(file_set, job)
            ]
            parts = [(project.sources, reported, file_set[0]) for project, reported in one_per_group(linted)]
            # The models go before the collector runs again, so its pass walks the findings only (the
            # 1.3 million objects of a 33,000-container script's model took it 0.4 s).
            del linted
            return parts
    except Exception as error:
        if job.verbose:
            import traceback

            traceback.print_exc()
        shown = (display_path if job.relative_paths else _as_given)(file_set[1][0])
        return [([], [internal_error(shown, error, settings.fail_on)], file_set[0])]


def _lint_all(
    configured: list[tuple[FileSet, Effective]],
    texts: dict[str, str],
    request: Request,
    base_networks: dict[str, frozenset[str]],
) -> list[Linted]:
    """Every project linted with its configuration; the same either way when many projects are
    linted in worker processes."""
    index: dict[int, int] = {}
    configs: dict[int, tuple[list[Rule], Settings]] = {}
    items = []
    for file_set, config in configured:
        key = index.setdefault(id(config), len(index))
        configs[key] = (list(config.rules), config.settings)
        items.append((file_set, key))
    job = _Job(
        _load_options(request, base_networks),
        texts,
        configs,
        request.inline_suppressions,
        request.relative_paths,
        request.verbose,
        frozenset((display_path if request.relative_paths else _as_given)(p) for p in request.paths),
        request.fixed,
    )
    workers = request.jobs or _workers(len(items))
    finished = 0

    def done(count: int) -> None:
        nonlocal finished
        finished += count
        if request.progress is not None:
            request.progress(finished, len(items))

    try:
        if workers > 1 and len(items) >= PARALLEL_FROM:
            return _in_workers(job, items, workers, done)
        return _lint_chunk(job, items, done)
    except UnreadableFile as error:
        raise LintError(str(error)) from None


def _in_workers(
    job: _Job, items: list[tuple[FileSet, int]], workers: int, done: Callable[[int], None]
) -> list[Linted]:
    """`_lint_chunk` over chunks of consecutive file sets, in this process and `workers - 1`
    others, the results in the order of `items`.  The other processes are forked once what they
    all use is ready (the front ends of the kinds linted, the schema validator, the rules) and take
    chunks from the start; this process takes them from the end while the pool has not started
    them, so neither waits for the other and only the others' results are pickled.  Those come
    back as plain tuples (`_compact`): pickling records costs more than the tuples of their fields."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    prepare({file_set[0] for file_set, _ in items})
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = max(1, len(items) // (workers * CHUNKS_PER_WORKER))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    catalog = all_rules()
    # An executor rather than multiprocessing.Pool: a worker that dies (killed for memory) fails
    # the run with BrokenProcessPool where a Pool would wait for its result forever.
    with ProcessPoolExecutor(workers - 1, context, _worker_started, (job,)) as pool:
        futures = [pool.submit(_lint_compact, chunk) for chunk in chunks]
        linted: list[list[Linted]] = [[] for _ in chunks]
        restored = 0  # the pool's chunks before this one are restored

        def restore(wait: bool) -> None:
            nonlocal restored
            while restored < len(chunks) and (wait or futures[restored].done()):
                if not futures[restored].cancelled():
                    linted[restored] = [_restored(part, catalog) for part in futures[restored].result()]
                    done(len(chunks[restored]))
                restored += 1

        try:
            # The first chunk is always the pool's: it starts at once.  Between its own chunks this
            # process restores the records of those the pool has finished.
            for index in range(len(chunks) - 1, 0, -1):
                if not futures[index].cancel():
                    break
                linted[index] = _lint_chunk(job, chunks[index], done)
                restore(wait=False)
            restore(wait=True)
        finally:  # on a failure, the chunks not started are not linted for nothing
            for future in futures:
                future.cancel()
    return [part for chunk in linted for part in chunk]


_worker_job: _Job | None = None  # in a worker process: the job of the run it was started for


def _worker_started(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _lint_compact(items: list[tuple[FileSet, int]]) -> list[tuple]:
    assert _worker_job is not None, "runs in a worker process started by _in_workers"
    return [_compact(part) for part in _lint_chunk(_worker_job, items)]


_SOURCE_FIELDS = attrgetter(*(f.name for f in fields(SourceFile)))
_FINDING_FIELDS = attrgetter(*(f.name for f in fields(Finding)))
_REPORTED_FIELDS = attrgetter(*(f.name for f in fields(Reported)[2:]))  # after the finding and rule


def _compact(part: Linted) -> tuple:
    """A linted project as tuples of its records' fields (a finding's rule by its code)."""
    sources, reported, kind = part
    return (
        [_SOURCE_FIELDS(source) for source in sources],
        [(_FINDING_FIELDS(item.finding), item.rule.code, _REPORTED_FIELDS(item)) for item in reported],
        kind,
    )


def _restored(compact: tuple, catalog: dict[str, Rule]) -> Linted:
    """The linted project `_compact` made tuples of."""
    sources, reported, kind = compact
    return (
        [SourceFile(*source) for source in sources],
        [Reported(Finding(*finding), catalog[code], *rest) for finding, code, rest in reported],
        kind,
    )


def _workers(projects: int) -> int:
    """Processes that lint (this one and workers) when the caller leaves it open: one per CPU that this process may use and
    no other process is running on now, at most 8 and one per PROJECTS_PER_WORKER projects.
    Measured on 500 corpus files with 2 CPUs: two workers do 12-18% more work than one process
    (instructions, CPU time) and finish in 0.7x its wall time when the CPUs are free, but take
    1.15-1.2x when other processes keep them busy (the CPU time the kernel gives this run does not
    grow with its processes then), hence the CPUs counted free, not all of them."""
    if projects < 2 * PROJECTS_PER_WORKER:
        return 1  # one worker whatever the CPUs: no need to read the load
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus - _others_running(), 8, projects // PROJECTS_PER_WORKER))


def _others_running() -> int:
    """Processes other than this one that are running or ready to run at this moment, as the
    kernel counts them (/proc/loadavg; 0 where there is no such file)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as counts:
            running = int(counts.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, running - 1)


def _as_given(path: str) -> str:
    return path
