"""Run the selected rules over projects, apply suppressions and configuration, sort and fingerprint."""

from __future__ import annotations

import fnmatch
from collections import Counter
from typing import Any, Protocol

# CPython's own SHA-256, as random.py takes its SHA-512: hashlib loads OpenSSL first, 11 M
# instructions (3% of a one-file run); the digests are the same.
try:
    from _sha2 import sha256  # Python 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # an interpreter without them
        from hashlib import sha256

from composelint.masking import masked, masker
from composelint.model import Directive, Project, SourceFile, Span
from composelint.records import field, record, replace
from composelint.rules import all_rules
from composelint.types import DOCS_SITE, Finding, Rule, Severity

NOT_SUPPRESSIBLE = {"CL001", "CL009"}


class SelectionError(ValueError):
    """A selector names no rule, code prefix, group or `ALL`."""


@record
class Suppression:
    kind: str  # inline | config | baseline
    reason: str | None


class PathPattern(Protocol):
    def matches(self, path: str) -> bool: ...


@record(frozen=True)
class WorkloadExclusion:
    """Findings of `codes` on workloads named like `name` (fnmatch) are accepted, for `reason`."""

    name: str
    codes: frozenset[str]
    reason: str
    files: tuple[PathPattern, ...] = ()  # only in these files; empty: anywhere

    def covers(self, finding: Finding, code: str) -> bool:
        return (
            finding.workload is not None
            and code in self.codes
            and fnmatch.fnmatchcase(finding.workload, self.name)
            and (not self.files or any(pattern.matches(finding.span.path) for pattern in self.files))
        )


@record(frozen=True)
class Settings:
    """What configuration decides for one project besides the rule selection.

    Built by `composelint.config`; plain picklable data, so it reaches worker processes."""

    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule code -> configured option values
    severity: dict[str, str] = field(default_factory=dict)  # rule code -> severity override
    per_file_ignores: tuple[tuple[PathPattern, frozenset[str]], ...] = ()
    workloads: tuple[WorkloadExclusion, ...] = ()
    fail_on: str = "warning"
    docs_url: str = DOCS_SITE  # where the rule pages linked from findings are (`docs-url`)

    def ignored_in(self, path: str, code: str) -> bool:
        """`per-file-ignores`: the rule does not report in this file."""
        if not self.per_file_ignores:  # asked for every finding; most configurations have none
            return False
        return any(code in codes and pattern.matches(path) for pattern, codes in self.per_file_ignores)

    def accepted(self, finding: Finding, code: str) -> Suppression | None:
        """`workloads:`: the finding is accepted for this workload, with the reason."""
        if not self.workloads:
            return None
        exclusion = next((w for w in self.workloads if w.covers(finding, code)), None)
        return Suppression("config", exclusion.reason) if exclusion else None


DEFAULT_SETTINGS = Settings()


@record(frozen=True, slots=True)
class Reported:
    """The engine's record of a finding, as reports see it.

    `finding` is the rule's finding, or a copy that says the value only may hold at run time;
    `severity` is the one that applies after certainty and configuration."""

    finding: Finding
    rule: Rule
    severity: Severity
    suppressed: Suppression | None = None
    fail_on: str = "warning"  # failure threshold of the configuration that applies to the finding's project
    fingerprint: str = ""  # filled when the result is collected (it counts earlier occurrences)
    url: str = ""  # the rule's page on the documentation site the configuration names


@record
class LintResult:
    reported: list[Reported] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)  # every rule that ran (reports may list them)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): relevant-looking, not linted
    test_data: list[str] = field(default_factory=list)  # files below test-data directories, not linted

    @property
    def files_by_kind(self) -> dict[str, int]:
        """How many files of each kind were read, by kind name."""
        return dict(sorted(Counter(self.kinds.get(path, "compose") for path in self.files).items()))

    @property
    def active(self) -> list[Reported]:
        return [r for r in self.reported if r.suppressed is None]

    @property
    def failing(self) -> list[Reported]:
        """Unsuppressed findings at or above the failure threshold (`fail-on`) that applies to them."""
        return [r for r in self.active if r.fail_on != "never" and r.severity >= r.fail_on]


def matching_rules(selector: str, rules: dict[str, Rule]) -> list[str]:
    """Codes a selector stands for: `ALL`, a code, a code prefix, a rule name or a group."""
    token = selector.strip()
    if token.upper() == "ALL":
        return list(rules)
    upper = token.upper()
    codes = [
        code
        for code, rule in rules.items()
        if code.startswith(upper) or rule.name == token.lower() or rule.group == token.lower()
    ]
    return codes


def select_rules(select: list[str] | None, extend_select: list[str], ignore: list[str]) -> list[Rule]:
    """Default rules (or `select`), plus `extend_select`, minus `ignore`."""
    rules = all_rules()

    def expand(selectors: list[str]) -> set[str]:
        codes: set[str] = set()
        for selector in selectors:
            matched = matching_rules(selector, rules)
            if not matched:
                raise SelectionError(
                    f"unknown rule selector `{selector}` (use a code, prefix, name, group or ALL)"
                )
            codes.update(matched)
        return codes

    chosen = expand(select) if select is not None else {c for c, r in rules.items() if r.default_on}
    chosen |= expand(extend_select)
    chosen -= expand(ignore)
    return [rules[code] for code in sorted(chosen)]


def lint_project(
    project: Project,
    rules: list[Rule],
    inline_suppressions: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Reported]:
    """The findings of one project, with suppressions and `settings` applied (not yet sorted or
    fingerprinted).  Order: rules run with their options; per-file ignores drop findings; inline
    suppressions, then workload exclusions, mark them; severity overrides come last.  A rule
    declared `lasting_hosts_only` sees the project without its workloads on a CI job's ephemeral
    host.  A project that holds nothing has no findings (half the projects of Markdown and CI
    files)."""
    if project.holds_nothing():
        return []
    selected = {rule.code for rule in rules}
    catalog = all_rules()
    findings: list[tuple[Finding, Rule]] = []
    checked = replace(project, selected_rules=frozenset(selected))
    lasting = replace(checked, workloads=checked.on_lasting_hosts()) if checked.ephemeral_host else checked
    for rule in rules:
        # A loop rather than extend(generator): most rules find nothing in most projects, and a
        # generator made for each (rule, project) cost more than the findings it carried.
        for finding in rule.run(
            lasting if rule.lasting_hosts_only else checked, settings.options.get(rule.code)
        ):
            findings.append((finding, rule))
    tracker = _Suppressions(project.directives if inline_suppressions else [], catalog)
    certain = [_as_certain(finding, rule, project) for finding, rule in findings]
    certain = [(f, r, s) for f, r, s in certain if not settings.ignored_in(f.span.path, r.code)]
    matched = _one_per_location(
        [(f, r, s, tracker.match(f, r) or settings.accepted(f, r.code)) for f, r, s in certain]
    )
    matched.extend(
        (finding, catalog[code], catalog[code].severity, None)
        for finding, code in tracker.meta_findings(selected, settings.ignored_in)
        if code in selected and not settings.ignored_in(finding.span.path, code)
    )
    mask = masker(project.variable_values)
    return [
        Reported(
            masked(finding, mask),
            rule,
            Severity(settings.severity[rule.code]) if rule.code in settings.severity else severity,
            suppressed,
            settings.fail_on,
            url=rule.url_on(settings.docs_url),
        )
        for finding, rule, severity, suppressed in matched
    ]


def one_per_group(
    linted: list[tuple[Project, list[Reported]]],
) -> list[tuple[Project, list[Reported]]]:
    """The findings of a file set's projects, each group of findings that make one claim reported
    once: the first keeps it, the others become its related locations.  Two kinds of group:

    - a finding on a word of a make variable's value: a flag written in `RUN ?= docker run
      --privileged` is the same finding at every recipe that uses `$(RUN)`.  The first use keeps
      it, the assignment is related too, and its message names the lines.  A finding that reaches
      past the reference (a word the recipe adds) is the recipe's own and stays.
    - the findings a rule gives one `Finding.group`: the ports a reverse proxy serves to the network
      on purpose, in one compose project or in every code block of a Markdown document that shows
      the service.  The earliest location keeps it, its message naming every item.  A suppression
      there silences the group; one on another location takes that location out of the group (it
      stays suppressed on its own)."""
    if not any(project.expansions for project, _ in linted) and not any(
        item.finding.group for _, reported in linted for item in reported
    ):
        return linted  # only a Makefile's variables and a rule's Finding.group make groups
    places: dict[tuple, list[tuple[int, int]]] = {}
    for index, (project, reported) in enumerate(linted):
        uses = _uses_by_line(project)
        for position, item in enumerate(reported):
            key = _group_key(item, uses)
            if key is not None:
                places.setdefault(key, []).append((index, position))
    kept = [list(reported) for _, reported in linted]
    removed: set[tuple[int, int]] = set()
    for key, group in places.items():
        if len(group) < 2:
            continue
        if key[0] == "make":
            _merge_make_uses(kept, removed, group, key[2])
        else:
            _merge_group(kept, removed, group)
    return [
        (project, [item for position, item in enumerate(reported) if (index, position) not in removed])
        for index, ((project, _), reported) in enumerate(zip(linted, kept, strict=True))
    ]


def _uses_by_line(project: Project) -> dict[tuple[str, int], list[tuple[Span, Span]]]:
    """The make-variable references of a project by each line they are on: a finding inside one
    starts on one of its lines, so each finding looks at the references of its line, not at every
    reference of the file (findings x references on a large Makefile)."""
    uses: dict[tuple[str, int], list[tuple[Span, Span]]] = {}
    for used, defined in project.expansions.items():
        for line in range(used.line, used.end_line + 1):
            uses.setdefault((used.path, line), []).append((used, defined))
    return uses


def _group_key(item: Reported, uses: dict[tuple[str, int], list[tuple[Span, Span]]]) -> tuple | None:
    """The group a finding belongs to: its rule's (`Finding.group`), else the make variable whose
    value holds it (a suppressed and an active use are two groups), else none."""
    finding = item.finding
    if finding.group is not None:
        return ("rule", item.rule.code, finding.group.key)
    if not uses:
        return None
    span = finding.span
    definition = next(
        (defined for used, defined in uses.get((span.path, span.line), ()) if used.contains(span)), None
    )
    if definition is None:
        return None
    return ("make", item.rule.code, definition, finding.field, item.suppressed is None)


def _merge_make_uses(
    kept: list[list[Reported]], removed: set[tuple[int, int]], group: list[tuple[int, int]], definition: Span
) -> None:
    (index, position), *merged = group
    removed.update(merged)
    item = kept[index][position]
    uses = [kept[i][p].finding.span for i, p in merged]
    lines = [str(use.line) for use in uses]
    message = (
        f"{item.finding.message} (from the make variable assigned at line {definition.line}; "
        f"also used at line{'s' if len(lines) > 1 else ''} {_listed(lines)})"
    )
    related = (*item.finding.related, definition, *uses)
    kept[index][position] = replace(item, finding=replace(item.finding, message=message, related=related))


def _merge_group(
    kept: list[list[Reported]], removed: set[tuple[int, int]], group: list[tuple[int, int]]
) -> None:
    """One finding for a rule's group: the earliest location leads.  When it is suppressed the whole
    group is; when it is not, suppressed members stay apart.  Members in other projects (other code
    blocks of a document) are named by the line each block's first one is on; the fix binds them all
    when each member has one."""
    ordered = sorted(group, key=lambda place: kept[place[0]][place[1]].finding.span)
    lead_place, *others = ordered
    lead = kept[lead_place[0]][lead_place[1]]
    merged = [p for p in others if lead.suppressed is not None or kept[p[0]][p[1]].suppressed is None]
    if not merged:
        return
    removed.update(merged)
    members = [lead, *(kept[i][p] for i, p in merged)]
    items = list(dict.fromkeys(m.finding.group.item for m in members if m.finding.group is not None))
    own = lead.finding
    message = own.message
    if len(items) > 1 and own.group is not None:
        message = own.group.opening + _listed(items) + own.group.closing
    blocks: dict[int, str] = {}
    for index, position in merged:
        if index != lead_place[0]:
            blocks.setdefault(index, str(kept[index][position].finding.span.line))
    if blocks:
        lines = list(dict.fromkeys(blocks.values()))
        message += f" (the same at line{'s' if len(lines) > 1 else ''} {_listed(lines)})"
    spans = dict.fromkeys(m.finding.span for m in members[1:] if m.finding.span != own.span)
    fixes = [m.finding.fix for m in members]
    fix = None
    if own.fix is not None and all(f is not None and f.applicability == own.fix.applicability for f in fixes):
        fix = replace(own.fix, edits=tuple(dict.fromkeys(e for f in fixes if f is not None for e in f.edits)))
    finding = replace(own, message=message, related=(*own.related, *spans), fix=fix)
    kept[lead_place[0]][lead_place[1]] = replace(
        lead, finding=finding, severity=max(m.severity for m in members)
    )


def _listed(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def internal_error(path: str, error: Exception, fail_on: str = "warning") -> Reported:
    """CL009 on a file whose reading or linting failed unexpectedly: the type of the failure and a
    request to report it (the message never quotes the file)."""
    finding = Finding(
        f"Internal error while linting this file ({type(error).__name__}); the other files were linted. "
        "This is a composelint bug: please report it with the file (--verbose prints the traceback)",
        Span(path, 1, 1, 1, 2),
        field="internal-error",
    )
    rule = all_rules()["CL009"]
    return Reported(finding, rule, rule.severity, None, fail_on)


def _one_per_location(
    matched: list[tuple[Finding, Rule, Severity, Suppression | None]],
) -> list[tuple[Finding, Rule, Severity, Suppression | None]]:
    """One finding per (rule, location): a line that several workloads share through `extends` or
    a YAML anchor is reported once, at its most severe, naming the other workloads.  Two findings
    of one workload at one place say different things and both stay; suppressed and active
    findings are not merged (a workload exclusion covers only its workload)."""
    kept: list[tuple[Finding, Rule, Severity, Suppression | None]] = []
    sharing: dict[int, list[str]] = {}
    first: dict[tuple[str, Span, bool], int] = {}
    for finding, rule, severity, suppressed in matched:
        key = (rule.code, finding.span, suppressed is None)
        index = first.get(key)
        if index is not None and finding.workload is not None:
            names = sharing.setdefault(index, [kept[index][0].workload or ""])
            if finding.workload not in names:
                names.append(finding.workload)
                kept[index] = (*kept[index][:2], max(kept[index][2], severity), kept[index][3])
                continue
        first.setdefault(key, len(kept))
        kept.append((finding, rule, severity, suppressed))
    for index, names in sharing.items():
        if len(names) > 1:
            finding = kept[index][0]
            others = [f"`{name}`" for name in names[1:]]
            shared = replace(
                finding, message=f"{finding.message} (also {_listed(others)}, which share this line)"
            )
            kept[index] = (shared, *kept[index][1:])
    return kept


def _as_certain(finding: Finding, rule: Rule, project: Project) -> tuple[Finding, Rule, Severity]:
    """The finding as reported, with its severity.  A finding on a value that only may hold
    at run time is one severity lower, and points at the assignment the value came from."""
    severity = finding.severity or rule.severity
    assignment = project.possible_values.get(finding.span)
    if assignment is None:
        return finding, rule, severity
    possible = replace(
        finding,
        fix=None,  # a fix changes what is written; this value is not certain to be what runs
        related=finding.related + (assignment,),
        message=finding.message
        + " (possibly: "
        + project.possible_reasons.get(
            finding.span, "the value comes from a default or a conditional assignment"
        )
        + ")",
    )
    return possible, rule, severity.weaker()


def collect(parts: list[tuple[list[SourceFile], list[Reported]]]) -> LintResult:
    """One result from per-project parts: files read, findings sorted and fingerprinted."""
    result = LintResult()
    for sources, reported in parts:
        for source in sources:
            if source.kind != "env":  # env files are read, never shown
                result.files.append(source.path)
                result.texts[source.path] = source.text
                result.kinds[source.path] = source.kind
        result.reported.extend(reported)
    result.reported.sort(
        key=lambda r: (
            r.finding.span.path,
            r.finding.span.line,
            r.finding.span.column,
            r.rule.code,
            r.finding.message,
        )
    )
    result.reported = _fingerprinted(_once(result.reported))
    result.files = sorted(dict.fromkeys(result.files))
    return result


def _once(reported: list[Reported]) -> list[Reported]:
    """Identical findings (code, file, range, message) reported once: nested `eval` chains reach one
    command by many paths, and a file can belong to several projects."""
    seen: set[tuple] = set()
    kept = []
    for item in reported:
        key = (item.rule.code, item.finding.span, item.finding.message)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def lint(projects: list[Project], rules: list[Rule], inline_suppressions: bool = True) -> LintResult:
    linted = [(project, lint_project(project, rules, inline_suppressions)) for project in projects]
    return collect([(project.sources, reported) for project, reported in one_per_group(linted)])


class _Suppressions:
    """Matches findings to directives and remembers which directive entries were used."""

    def __init__(self, directives: list[Directive], catalog: dict[str, Rule]):
        self.catalog = catalog
        self.directives = [d for d in directives if d.error is None and d.verb != "enable"]
        self.all_directives = directives
        self.used: set[tuple[Directive, str]] = set()

    def match(self, finding: Finding, rule: Rule) -> Suppression | None:
        if rule.code in NOT_SUPPRESSIBLE:
            return None
        span = finding.span
        for directive in self.directives:
            if (
                directive.scope.path != span.path
                or not directive.scope.line <= span.line <= directive.scope.end_line
            ):
                continue
            for token in directive.rules:
                if token.lower() == "all" or rule.code in matching_rules(token, self.catalog):
                    self.used.add((directive, token))
                    return Suppression("inline", directive.reason)
        return None

    def meta_findings(self, selected: set[str], ignored_in=lambda path, code: False):
        """CL900-CL902.  A suppression of a rule that did not run (not selected, or per-file
        ignored in the directive's file) cannot have been used, so it is not reported unused."""
        for directive in self.all_directives:
            if directive.error is not None:
                yield (
                    Finding(
                        f"Directive not honoured: {directive.error}",
                        directive.span,
                        field="directive",
                    ),
                    "CL902",
                )
                continue
            for token in directive.rules:
                matched = (
                    list(self.catalog) if token.lower() == "all" else matching_rules(token, self.catalog)
                )
                if not matched:
                    yield (
                        Finding(
                            f"`{token}` in `{directive.verb}` names no rule",
                            directive.span,
                            field=f"directive:{token}",
                        ),
                        "CL901",
                    )
                elif (
                    directive.verb != "enable"
                    and (directive, token) not in self.used
                    and any(c in selected and not ignored_in(directive.span.path, c) for c in matched)
                ):
                    yield (
                        Finding(
                            f"Unused suppression: `{directive.verb}={token}` suppressed nothing",
                            directive.span,
                            field=f"directive:{token}",
                        ),
                        "CL900",
                    )


def _fingerprinted(reported: list[Reported]) -> list[Reported]:
    """Each record with the hash of its logical location (rule, path, workload, field), not the
    line number; repeated locations are told apart by their order."""
    seen: dict[str, int] = {}
    result = []
    for item in reported:
        finding = item.finding
        key = f"{item.rule.code}|{finding.span.path}|{finding.workload or ''}|{finding.field}"
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        fingerprint = sha256(f"{key}|{occurrence}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
        # The record's fields in order: `replace` took twice as long (a finding per
        # container of a 33,000-container script).
        result.append(
            Reported(finding, item.rule, item.severity, item.suppressed, item.fail_on, fingerprint, item.url)
        )
    return result
