"""YAML front end: a position-keeping node tree built from ruamel.yaml's composer.

ruamel.yaml's C composer (`YAML(typ="safe").compose()`) is about 8x faster
than round-trip loading and still records every node's start and end mark.
We build our own small tree from it so that:

* resolution follows YAML 1.2 as Compose v2 does (`22:22` and `no` stay strings);
* `<<` merge keys are resolved here, with explicit keys winning;
* duplicate keys are reported (Compose rejects them) instead of silently dropped;
* alias expansion is measured and capped (billion laughs), nesting depth too;
* tags such as `!reset` / `!override` are kept on the node.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from composelint.limits import MAX_EXPANDED_NODES, MAX_YAML_DEPTH
from composelint.model import Diagnostic, Span
from composelint.patterns import lazy_pattern
from composelint.records import field, record
from composelint.values import number_past_bound, parse_integer

MAX_YAML_BYTES = 4 * 1024 * 1024  # larger files are not parsed (CL010)

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_LINE_BREAK = lazy_pattern("\r\n|[\r\n\x85\u2028\u2029]")  # what the YAML parser counts as a line break


@record
class YScalar:
    text: str
    tag: str
    span: Span
    plain: bool  # unquoted in the source

    @property
    def value(self) -> object:
        """The scalar with YAML 1.2 core typing (str, int, float, bool or None)."""
        if self.tag == _NULL:
            return None
        if self.tag == _BOOL:
            return self.text.lower() == "true"
        if self.tag == _INT:
            # Compose's go-yaml reads ints with Go's ParseInt(s, 0): `0x1F`, `0o17`,
            # and a leading zero means octal (`010` is 8), as in YAML 1.1.
            text = self.text.replace("_", "")
            digits = text.lstrip("+-")
            if len(digits) > 1 and digits[0] == "0" and digits.isdigit():
                text = text.replace(digits, "0o" + digits[1:], 1)
            number = parse_integer(text, signed=True, prefixed=True)
            return self.text if number is None else number
        if self.tag == _FLOAT:
            try:  # `.inf`, `-.Inf`, `.NaN` are YAML spellings
                return float(self.text.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan"))
            except ValueError:
                return self.text
        return self.text


@record
class YMap:
    items: list[tuple[YScalar, YNode]]
    tag: str
    span: Span

    def get(self, key: str) -> YNode | None:
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def key_node(self, key: str) -> YScalar | None:
        for k, _ in self.items:
            if k.text == key:
                return k
        return None


@record
class YSeq:
    items: list[YNode]
    tag: str
    span: Span


YNode = YScalar | YMap | YSeq


@record
class YamlDocument:
    """The result of reading one YAML file."""

    path: str
    text: str
    roots: list[YNode] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (start_line, start_column, end_line) of every mapping pair and sequence
    # item: the "nodes" that an own-line suppression comment can cover.
    extents: list[tuple[int, int, int]] = field(default_factory=list)
    # Quoted and block scalars that contain "composelint": text there is a
    # value, not a comment, even when it looks like a directive.
    value_spans: list[Span] = field(default_factory=list)
    expanded_nodes: int = 0  # nodes with aliases expanded, all documents of the file


def _yaml_lines(text: str) -> list[str]:
    """The text split at YAML line breaks (a break at the end leaves an empty last line).
    str.splitlines is 4x faster than the pattern's split and agrees with it unless the text holds
    one of the characters it also breaks at (vertical tab, form feed, file/group/record separator)."""
    if any(extra in text for extra in "\x0b\x0c\x1c\x1d\x1e"):
        return _LINE_BREAK.split(text)
    lines = text.splitlines()
    if not text or text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        lines.append("")
    return lines


class _LimitExceeded(Exception):
    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.mark = mark


def _end_at(span: Span, last: Span) -> Span:
    """A block collection ends where its last child ends (its end mark is the next token)."""
    return Span(span.path, span.line, span.column, last.end_line, last.end_column)


_TAG_TEXTS: dict[str | None, str] = {}  # a node's tag as ruamel stores it -> the tag's text


def _tag_text(node) -> str:
    """`node.tag`, remembered by its stored form: ruamel makes the text anew from a Tag object at
    each read (a tenth of the tree walk)."""
    stored = node.ctag
    if stored.handle is not None:  # a tag handle to expand (not made by the composers used here)
        return node.tag
    text = _TAG_TEXTS.get(stored.suffix)
    if text is None:
        text = node.tag
        if len(_TAG_TEXTS) < 1_000:  # explicit tags are few; a hostile file may write many
            _TAG_TEXTS[stored.suffix] = text
    return text


def _point_span(path: str, line: int, column: int) -> Span:
    return Span(path, line, column, line, column + 1)


class _Builder:
    """Our tree from ruamel's composed nodes, in one walk that also counts the nodes each one
    stands for once aliases are expanded (a billion-laughs file is stopped by that count)."""

    def __init__(self, path: str, doc: YamlDocument):
        self.path = path
        self.doc = doc
        self.lines = _yaml_lines(doc.text)
        # An alias is the same node object as its anchor: it is converted and counted once.  By id
        # of a composed node: our node, and its node count with aliases expanded.
        self.converted: dict[int, tuple[YNode, int]] = {}

    def span(self, node) -> Span:
        start, end = node.start_mark, node.end_mark
        if end.column == 0 and end.line > start.line:  # a block scalar ends after its line break
            line = end.line - 1 if end.line - 1 < len(self.lines) else len(self.lines) - 1
            return Span(self.path, start.line + 1, start.column + 1, line + 1, len(self.lines[line]) + 1)
        return Span(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def convert(self, node, depth: int = 0) -> tuple[YNode, int]:
        """The node as our tree, and its node count with aliases expanded."""
        node_id = id(node)
        done = self.converted.get(node_id)
        if done is not None:
            return done
        if depth > MAX_YAML_DEPTH:
            raise _LimitExceeded(f"nesting deeper than {MAX_YAML_DEPTH} levels", node.start_mark)
        kind = node.id
        tag = _tag_text(node)
        size = 1
        if kind == "scalar":
            value = node.value
            result: YNode = YScalar(value, tag, self.span(node), not node.style)
            past_bound = number_past_bound(value.replace("_", "")) if tag == _INT else None
            if past_bound:  # no int64 holds it: text, as in a string
                result.tag = _STR
                self.doc.diagnostics.append(Diagnostic("CL010", past_bound, result.span))
            if node.style and "composelint" in value:
                self.doc.value_spans.append(result.span)
        elif kind == "sequence":
            items: list[YNode] = []
            result = YSeq(items, tag, self.span(node))
            extents = self.doc.extents
            for item in node.value:
                child, child_size = self.convert(item, depth + 1)
                size += child_size
                items.append(child)
                extents.append(child.span[1:4])
            if items and not node.flow_style:
                result.span = _end_at(result.span, items[-1].span)
        else:
            result, size = self._mapping(node, tag, depth)
            if result.items and not node.flow_style:
                result.span = _end_at(result.span, result.items[-1][1].span)
        if size > MAX_EXPANDED_NODES:
            raise _LimitExceeded(
                f"more than {MAX_EXPANDED_NODES:,} nodes once aliases are expanded", node.start_mark
            )
        self.converted[node_id] = result, size
        return result, size

    def _mapping(self, node, tag: str, depth: int) -> tuple[YMap, int]:
        """The mapping and its expanded size."""
        result = YMap([], tag, self.span(node))
        size = 1
        explicit: dict[str, YScalar] = {}
        merged: list[tuple[YScalar, YNode]] = []
        merge_key: Span | None = None
        extents = self.doc.extents
        for key_node, value_node in node.value:
            key, key_size = self.convert(key_node, depth + 1)
            size += key_size
            if key.tag == _MERGE:
                if merge_key is not None:  # go-yaml rejects it; use `<<: [*a, *b]`
                    self._duplicate("<<", key.span, merge_key)
                merge_key = key.span
                pairs, merged_size = self._merge_sources(value_node, merge_key, depth + 1)
                merged.extend(pairs)
                size += merged_size
                continue
            if not isinstance(key, YScalar):
                key = YScalar(str(key_node.value), "tag:yaml.org,2002:str", key.span, False)
            value, value_size = self.convert(value_node, depth + 1)
            size += value_size
            first = explicit.get(key.text)
            if first is not None:
                self._duplicate(key.text, key.span, first.span)
                result.items = [(k, v) for k, v in result.items if k.text != key.text]
            explicit[key.text] = key
            result.items.append((key, value))
            key_span, value_span = key.span, value.span
            extents.append((key_span.line, key_span.column, max(value_span.end_line, key_span.end_line)))
        for key, value in merged:
            if key.text not in explicit:
                explicit[key.text] = key
                result.items.append((key, value))
        return result, size

    def _duplicate(self, key: str, span: Span, first: Span) -> None:
        self.doc.diagnostics.append(
            Diagnostic(
                "CL003",
                f"Duplicate key `{key}` (first defined at line {first.line}); "
                "Compose rejects the file, other YAML loaders silently keep the last value",
                span,
                related=(first,),
            )
        )

    def _merge_sources(self, value_node, key: Span, depth: int) -> tuple[list[tuple[YScalar, YNode]], int]:
        """The pairs a `<<` key brings in (earlier sources win over later ones), and the expanded
        size of its value."""
        sources = value_node.value if value_node.id == "sequence" else [value_node]
        pairs: list[tuple[YScalar, YNode]] = []
        seen: set[str] = set()
        size = 0
        source_depth = depth + 1 if value_node.id == "sequence" else depth
        for source in sources:
            converted, source_size = self.convert(source, source_depth)
            size += source_size
            if not isinstance(converted, YMap):
                self.doc.diagnostics.append(
                    Diagnostic("CL001", "A `<<` merge key needs a mapping or a list of mappings", key)
                )
                continue
            for name, value in converted.items:
                if name.text not in seen:
                    seen.add(name.text)
                    pairs.append((name, value))
        if value_node.id == "sequence":
            size += 1  # the list of sources itself
            if size > MAX_EXPANDED_NODES:
                raise _LimitExceeded(
                    f"more than {MAX_EXPANDED_NODES:,} nodes once aliases are expanded", value_node.start_mark
                )
        return pairs, size


def _compose_all(text: str) -> list:
    """Compose with the C parser; libyaml rejects some valid YAML 1.2 (`[a:b]` in flow
    context), so a failure is retried with ruamel's pure-Python parser."""
    from ruamel.yaml.error import YAMLError

    try:
        return _checked_compose(text, pure=False)
    except YAMLError:
        import warnings

        # The pure parser warns on a reused anchor; YAML allows it (the later one wins).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _checked_compose(text, pure=True)


_SCALAR_TAGS: dict[str, object] = {}
# A loader costs as much as composing a small file, so each thread keeps one of each kind.
_LOADERS = threading.local()


def _yaml(pure: bool):
    """This thread's ruamel.yaml loader (C or pure-Python parser) whose implicit typing is YAML
    1.2 core whatever a `%YAML` directive says (Compose's go-yaml ignores it)."""
    loader = getattr(_LOADERS, "pure" if pure else "c", None)
    if loader is None:
        from ruamel.yaml import YAML

        loader = YAML(typ="safe", pure=pure)
        loader.Resolver = _compose_resolver()
        setattr(_LOADERS, "pure" if pure else "c", loader)
    loader.doc_infos.clear()  # a loader keeps one entry per call otherwise
    return loader


@lru_cache(maxsize=1)
def _compose_resolver():
    """ruamel's resolver with YAML 1.2 typing, resolving each distinct plain value once: ruamel's
    versioned resolver otherwise costs a quarter of the parse."""
    from ruamel.yaml.nodes import ScalarNode, SequenceNode
    from ruamel.yaml.resolver import VersionedResolver

    class ComposeResolver(VersionedResolver):
        @property
        def processing_version(self):
            return (1, 2)

        def resolve(self, kind, value, implicit):
            if kind is ScalarNode:
                if not implicit[0]:
                    return self.DEFAULT_SCALAR_TAG
                tag = _SCALAR_TAGS.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(_SCALAR_TAGS) < 100_000:
                        _SCALAR_TAGS[value] = tag
                return tag
            return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    return ComposeResolver


# What may stand before a line's first node: indentation and the indicators of block
# collections written on one line (`- - a`, `? - a`, `: - b`), after a byte order mark.
_LINE_PREFIX = "\ufeff \t-?:"


def _nesting_bound(text: str) -> int:
    """A cheap upper bound of the nesting depth: a flow collection needs a bracket, and a block
    collection starts right of its parent (so block depth <= the longest line).  When that bound
    is not low enough (a file with a line longer than the depth limit: a long command or label),
    a tighter one: a block collection opens at most two levels per column of the prefix of its
    line (a sequence may stand at its mapping's column, the next level right of it), so block
    depth <= twice the longest prefix of indentation and indicators, plus the line's own key."""
    lines = text.splitlines()
    longest = max(map(len, lines), default=0)
    brackets = text.count("[") + text.count("{")
    if longest + 1 + brackets <= MAX_YAML_DEPTH:
        return longest + 1 + brackets
    prefix = max((len(line) - len(line.lstrip(_LINE_PREFIX)) for line in lines), default=0)
    return min(longest + 1, 2 * prefix + 4) + brackets


def _checked_compose(text: str, pure: bool) -> list:
    """The C composer recurses without limit (deep nesting crashes the interpreter),
    so unless the cheap bound rules it out, the nesting depth is measured first on
    the flat event stream."""
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    if _nesting_bound(text) <= MAX_YAML_DEPTH:
        return _composed(text, pure)
    depth = 0
    for event in _yaml(pure).parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _LimitExceeded(f"nesting deeper than {MAX_YAML_DEPTH} levels", event.start_mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return _composed(text, pure)


def _composed(text: str, pure: bool) -> list:
    """The documents' nodes, composed by the C parser with our resolver when there is one."""
    composer_class = None if pure else _c_composer()
    if composer_class is None:
        return list(_yaml(pure).compose_all(text))
    composer = composer_class(text)
    try:
        nodes = []
        while composer.check_node():
            nodes.append(composer.get_node())
        return nodes
    finally:
        composer.dispose()


def prepare_composer() -> None:
    """Import ruamel.yaml and make the composer class now: worker processes forked afterwards
    share them (about 30 ms each)."""
    _c_composer()


@lru_cache(maxsize=1)
def _c_composer():
    """ruamel's C parser (it composes too) and our resolver as one class, made once: the loader of
    `YAML.compose_all` makes that class anew at every call, 0.1 ms, half the composing of a small
    file.  None where ruamel.yaml has no C extension."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:
        return None
    resolver = _compose_resolver()

    class CComposer(CParser, resolver):  # type: ignore[misc, valid-type]
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            self._parser = self._composer = self
            resolver.__init__(self, version=None, loadumper=self)

    return CComposer


def read_yaml(path: str, text: str) -> YamlDocument:
    """Parse `text` into a YamlDocument; problems become CL001/CL003 diagnostics."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    doc = YamlDocument(path, text)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        doc.diagnostics.append(
            Diagnostic(
                "CL010",
                f"File is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB; not parsed",
                _point_span(path, 1, 1),
            )
        )
        return doc
    builder = _Builder(path, doc)
    # What the documents before the one being converted added: a document that hits a bound or
    # breaks the walk adds nothing.
    kept = (0, 0, 0)
    try:
        for node in _compose_all(text):
            if node is None:
                continue
            kept = (len(doc.diagnostics), len(doc.extents), len(doc.value_spans))
            root, size = builder.convert(node)
            # Counted over the whole file: twenty small alias bombs are one big one.
            doc.expanded_nodes += size
            if doc.expanded_nodes > MAX_EXPANDED_NODES:
                raise _LimitExceeded(
                    f"more than {MAX_EXPANDED_NODES:,} nodes once aliases are expanded", node.start_mark
                )
            doc.roots.append(root)
    except MarkedYAMLError as error:
        doc.roots.clear()
        doc.diagnostics.append(_syntax_error(path, text, error))
    except _LimitExceeded as error:
        _drop_since(doc, kept)
        line, column = (error.mark.line + 1, error.mark.column + 1) if error.mark else (1, 1)
        doc.diagnostics.append(
            Diagnostic("CL010", f"YAML not linted: {error}", _point_span(path, line, column))
        )
    except (YAMLError, RecursionError, ValueError, TypeError) as error:
        _drop_since(doc, kept)
        doc.diagnostics.append(
            Diagnostic("CL001", f"YAML syntax error: {error}".splitlines()[0], _point_span(path, 1, 1))
        )
    return doc


def _drop_since(doc: YamlDocument, kept: tuple[int, int, int]) -> None:
    """No tree, and nothing from the document whose walk stopped."""
    doc.roots.clear()
    del doc.diagnostics[kept[0] :], doc.extents[kept[1] :], doc.value_spans[kept[2] :]


def python_value(node: YNode) -> object:
    """Plain data of a node: dicts, lists and YAML 1.2 scalars (keys keep their YAML type)."""
    if isinstance(node, YMap):
        return {key.value: python_value(value) for key, value in node.items}
    if isinstance(node, YSeq):
        return [python_value(item) for item in node.items]
    return node.value


def _syntax_error(path: str, text: str, error) -> Diagnostic:
    """CL001 at the parser's error; an error at the end of the stream (unclosed quote or
    bracket) is placed where the unclosed construct starts, which is where the fix goes."""
    mark, problem = error.problem_mark or error.context_mark, error.problem or error.context or "invalid YAML"
    context = f" ({error.context})" if error.context and error.problem else ""
    at_end = mark is not None and not text[mark.index :].strip()
    context_mark = error.context_mark
    if at_end and context_mark is not None and context_mark.index < mark.index:
        mark, context = context_mark, f" ({error.context}, which starts here)"
    elif at_end:  # no line of the file is past its end: point at the end of the last one
        lines = _yaml_lines(text.rstrip())
        return Diagnostic(
            "CL001",
            f"YAML syntax error: {problem}{context}",
            _point_span(path, len(lines), len(lines[-1]) + 1),
        )
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Diagnostic("CL001", f"YAML syntax error: {problem}{context}", _point_span(path, line, column))
