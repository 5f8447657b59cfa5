"""The package's layering, read from the import statements (function-level ones included).

One direction: discovery -> sources -> model -> rules -> engine -> report; the command line, the
language server and the Python API call the one pipeline (app).  No module imports one that
(directly or not) imports it back, and a rule reads the model and nothing else.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "composelint"
# What a rule module must not import: it reads the model only.
NOT_FOR_RULES = ("sources", "report", "cli", "config", "discovery", "engine", "app", "server", "baseline")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """The package's modules that module `name` imports (a `from package import module` is the module)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    # Importing `a.b.c` runs the package `a.b` first; not counted: the top package (it imports nothing
    # at load time) and the module's own packages (a package may import its submodules).
    parents = {
        parent
        for module in found
        for parent in (module.rsplit(".", depth)[0] for depth in range(1, module.count(".")))
        if not name.startswith(parent + ".")
    }
    return {module for module in found | parents if module in MODULES and module != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_walk_sees_the_package():
    assert {"composelint.app", "composelint.types", "composelint.rules.ports"} <= set(MODULES)
    assert "composelint.engine" in GRAPH["composelint.app"]
    assert "composelint.report.summary" in GRAPH["composelint.report.full"]


def test_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_no_cycle_between_parts():
    """Parts are the top-level modules and sub-packages (`sources`, `rules`, `report`): discovery may
    use sources, never the other way round."""

    def part(module: str) -> str:
        return ".".join(module.split(".")[:2])

    parts: dict[str, set[str]] = {part(name): set() for name in GRAPH}
    for name, targets in GRAPH.items():
        parts[part(name)].update(part(target) for target in targets if part(target) != part(name))
    assert _cycles(parts) == []


def test_rules_read_only_the_model():
    forbidden = {
        (name, target)
        for name in GRAPH
        if name.startswith("composelint.rules")
        for target in GRAPH[name]
        if target.removeprefix("composelint.").split(".")[0] in NOT_FOR_RULES
    }
    assert forbidden == set()


def test_shared_types_import_nothing_from_the_package():
    """Nothing but the dataclass decorator (composelint.records), which imports nothing of it."""
    assert GRAPH["composelint.types"] == {"composelint.records"} and GRAPH["composelint.records"] == set()
    assert not any(
        target.startswith("composelint.rules")
        for name in GRAPH
        if name.startswith("composelint.report")
        for target in GRAPH[name]
    )


# The separators of Docker's value grammars (`k=v`, `host:container`, `a,b`, `name/tag`, `@digest`).
_DOCKER_SEPARATORS = {":", "=", ",", "/", "@"}


def _cuts_a_docker_value(node: ast.AST) -> bool:
    """`text.partition(":")`, `.split(",")`, `.replace(":", "=")` ... with a separator of Docker's grammars."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("partition", "rpartition", "split", "rsplit", "replace")
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value in _DOCKER_SEPARATORS
    )


def _rule_cutting_docker_values(source: str) -> list[str]:
    return [ast.unparse(node) for node in ast.walk(ast.parse(source)) if _cuts_a_docker_value(node)]


def test_rules_do_not_parse_docker_values():
    """A Docker value is parsed once, by its parser in values.py called from the front end (a row
    of the settings table); rules read the typed parts and neither cut text at the grammars'
    separators nor call the parsers."""
    found = {
        name: cuts
        for name, path in MODULES.items()
        if name.startswith("composelint.rules")
        and (cuts := _rule_cutting_docker_values(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert not any(
        target == "composelint.values"
        for name in GRAPH
        if name.startswith("composelint.rules")
        for target in GRAPH[name]
    )


def test_the_parse_check_sees_a_rule_that_cuts_a_value():
    written = (
        "for option in workload.security_opt:\n    key, _, value = option.value.written.partition('=')\n"
    )
    assert _rule_cutting_docker_values(written) == ["option.value.written.partition('=')"]
    assert _rule_cutting_docker_values("name.replace('-', ' ')\npath.replace('\\\\', '/')\n") == []
