"""`record` behaves as `dataclasses.dataclass`: the same equality, hash, repr and frozen checks."""

from __future__ import annotations

import dataclasses
import inspect
import math
import pickle
import subprocess
import sys
from typing import ClassVar

import pytest
from conftest import FIXTURES

from composelint.model import Mount, PortBinding
from composelint.records import field, fields, is_record, record, replace
from composelint.types import Span

SPAN = Span("compose.yaml", 1, 1, 1, 5)


@record(frozen=True, slots=True)
class SlottedPair:
    """A frozen record with slots (pickled through its own state, not through __setattr__)."""

    name: str
    values: list = dataclasses.field(default_factory=list)


def _both(**options):
    """The same class made by `record` and by `dataclass` with these options."""

    def define(decorator):
        class Pair:
            """Two fields and one left out of comparisons."""

            name: str
            amount: float = 0.0
            note: list = dataclasses.field(default_factory=list, compare=False, repr=False)

        return decorator(**options)(Pair)

    return define(record), define(dataclasses.dataclass)


@pytest.mark.parametrize(
    "options", [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}, {"unsafe_hash": True}]
)
def test_equality_hash_and_repr_match_dataclasses(options):
    ours, theirs = _both(**options)
    for a, b in [
        (("x", 1.0, [1]), ("x", 1.0, [2])),
        (("x", 1.0), ("y", 1.0)),
        (("x", math.nan), ("x", math.nan)),
    ]:
        assert (ours(*a) == ours(*b)) == (theirs(*a) == theirs(*b))
        assert repr(ours(*a)) == repr(theirs(*a))
        if theirs.__hash__ is None:
            assert ours.__hash__ is None
        else:
            assert hash(ours(*a)) == hash(theirs(*a))
    assert ours("x") != theirs("x") and ours("x").__eq__(("x", 0.0)) is NotImplemented
    made = ours("x", 2.0, [3])
    assert (made.note, ours("y").note, ours(amount=1.0, name="z").name) == ([3], [], "z")
    for record_or_dataclass in (ours, theirs):
        if options.get("frozen"):
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
                record_or_dataclass("x").name = "y"
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'amount'"):
                del record_or_dataclass("x").amount
        else:
            changed = record_or_dataclass("x")
            changed.name = "y"
            assert changed.name == "y"
        with pytest.raises(TypeError):
            record_or_dataclass()


def test_a_frozen_record_runs_its_post_init():
    @record(frozen=True)
    class Checked:
        """Refuses a negative amount."""

        amount: int

        def __post_init__(self) -> None:
            if self.amount < 0:
                raise ValueError("negative")

    assert Checked(1).amount == 1
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)


def test_frozen_records_refuse_changes_and_keep_dataclass_helpers():
    port = PortBinding("80:80", SPAN, 80, 80, host_start=80)
    with pytest.raises(dataclasses.FrozenInstanceError):
        port.host_start = 81  # type: ignore[misc]
    moved = dataclasses.replace(port, host_start=8080)
    assert (
        moved.host_start == 8080
        and moved != port
        and port == PortBinding("80:80", SPAN, 80, 80, host_start=80)
    )
    assert [f.name for f in dataclasses.fields(Mount)][:3] == ["kind", "source", "target"]
    assert pickle.loads(pickle.dumps(moved)) == moved and hash(pickle.loads(pickle.dumps(moved))) == hash(
        moved
    )


def test_an_explicit_hash_with_unsafe_hash_is_refused_as_by_dataclasses():
    class Hashed:
        name: str

        def __hash__(self) -> int:
            return 0

    with pytest.raises(TypeError, match="__hash__"):
        record(unsafe_hash=True)(Hashed)


def test_a_repr_of_a_record_that_holds_itself_stops():
    @record
    class Node:
        """A node that may hold itself."""

        child: object = None

    node = Node()
    node.child = node
    assert repr(node).endswith("Node(child=...)")


def test_init_is_compiled_at_the_first_instance_with_the_dataclass_parameters():
    ours, theirs = _both()
    waiting = ours.__init__
    assert ours("x", 1.0).amount == 1.0 and ours.__init__ is not waiting
    assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters)
    assert ours("y").amount == 0.0 and ours.__init__.__qualname__.endswith("Pair.__init__")


def test_an_init_written_in_the_class_stays():
    @record
    class Written:
        """Made from one text."""

        name: str

        def __init__(self, text: str) -> None:
            self.name = text.strip()

    assert Written(" a ").name == "a" and Written(" a ") == Written("a")


def test_fields_and_replace_of_the_package_match_dataclasses():
    port = PortBinding("80:80", SPAN, 80, 80, host_start=80)
    assert [f.name for f in fields(PortBinding)] == [f.name for f in dataclasses.fields(PortBinding)]
    assert replace(port, host_start=8080) == dataclasses.replace(port, host_start=8080)
    assert is_record(port) and is_record(PortBinding) and not is_record(SPAN.line)
    with pytest.raises(TypeError):
        fields(1)
    with pytest.raises(TypeError):
        replace(port, nonsense=1)


def test_fields_are_collected_as_dataclasses_collects_them():
    @record(frozen=True, slots=True)
    class Base:
        """A field with a default, and a constant that is no field."""

        kind: str
        size: int = 1
        LIMIT: ClassVar[int] = 10

    @record(frozen=True, slots=True)
    class Derived(Base):
        """Redefines `size` (it keeps its place) and adds a field with a factory."""

        size: int = 2
        tags: list = field(default_factory=list, compare=False)

    assert [f.name for f in fields(Derived)] == ["kind", "size", "tags"]
    assert Derived.__match_args__ == ("kind", "size", "tags") and Derived.LIMIT == 10
    made = Derived("a")
    assert (made.size, made.tags, made == Derived("a", 2, [1])) == (2, [], True)
    assert not hasattr(made, "__dict__") and Derived.__slots__ == ("tags",)
    assert dataclasses.asdict(made) == {"kind": "a", "size": 2, "tags": []}
    with pytest.raises(ValueError, match="mutable default"):
        record(type("Mutable", (), {"__annotations__": {"items": "list"}, "items": []}))
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        record(type("Ordered", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))


def test_a_one_file_run_imports_neither_dataclasses_nor_inspect():
    """Both cost about 40 M instructions at every start (a tenth of a one-file run).  (A directory's
    walk imports them: pathspec, for .gitignore files, uses dataclasses.)"""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({'dataclasses', 'inspect'} & set(sys.modules)), file=sys.stderr))\n"
        "from composelint.cli import main\n"
        f"main(['check', '--select', 'ALL', '--output-format', 'json', {str(FIXTURES / 'examples' / 'host-mode' / 'compose.yaml')!r}])"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1 and '"CL101"' in run.stdout
    assert run.stderr.strip() == "[]"
