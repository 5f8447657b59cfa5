"""`record`: a dataclass whose comparison, hash and repr are made without compiling code.

`dataclasses.dataclass` writes each generated method as source text and compiles it: six
compilations for a frozen class, most of the start-up of a one-file run (about 190 of 690 million
instructions for the 60-odd classes a compose check defines).  `record` lets the standard library
write `__init__` (and, for a frozen class, `__setattr__` and `__delattr__`) and gives the class an
`__eq__`, `__hash__` and `__repr__` that read the fields through one `operator.attrgetter`: the same
results as the generated ones (field tuples compared and hashed, the same repr), in the same cases
(`eq`, `frozen`, `unsafe_hash`, an explicit `__hash__`, fields with `compare`, `hash` or
`repr=False`).  `fields`, `replace`, `asdict` and pickling work as on any dataclass; only
`__dataclass_params__` says `eq=False, repr=False`.  This module imports nothing of the package.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

C = TypeVar("C", bound=type)


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """The tuple of these attributes of an object (a tuple even for one name or none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    return lambda value: ()


def _add_repr(cls: type, fields: list[dataclasses.Field]) -> None:
    shown = [f.name for f in fields if f.repr]

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        listed = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({listed})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__  # type: ignore[assignment]


def _add_eq(cls: type, fields: list[dataclasses.Field]) -> None:
    compared = _values([f.name for f in fields if f.compare])

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    cls.__eq__ = __eq__  # type: ignore[assignment,method-assign]


def _add_hash(cls: type, fields: list[dataclasses.Field]) -> None:
    hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    cls.__hash__ = __hash__  # type: ignore[assignment,method-assign]


def _made(cls: Any, frozen: bool, slots: bool, unsafe_hash: bool) -> Any:
    # As dataclasses decides (its _hash_action table, with eq=True): a __hash__ written in the class
    # body stays; otherwise frozen or unsafe_hash hash the compared fields and a mutable class is
    # unhashable.
    own_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (own_hash is dataclasses.MISSING or (own_hash is None and "__eq__" in cls.__dict__))
    if unsafe_hash and explicit_hash:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    keeps_repr, keeps_eq = "__repr__" in cls.__dict__, "__eq__" in cls.__dict__
    made = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen, slots=slots)
    fields = list(dataclasses.fields(made))
    if not keeps_repr:
        _add_repr(made, fields)
    if not keeps_eq:
        _add_eq(made, fields)
    if not explicit_hash:
        if frozen or unsafe_hash:
            _add_hash(made, fields)
        else:
            made.__hash__ = None
    return made


@overload
def record(cls: C, /) -> C: ...


@overload
def record(*, frozen: bool = False, slots: bool = False, unsafe_hash: bool = False) -> Callable[[C], C]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(
    cls: C | None = None, /, *, frozen: bool = False, slots: bool = False, unsafe_hash: bool = False
) -> C | Callable[[C], C]:
    """`@dataclass` with these options (`@record`, `@record(frozen=True, slots=True)`, ...)."""
    if cls is None:
        return lambda cls: _made(cls, frozen, slots, unsafe_hash)
    return _made(cls, frozen, slots, unsafe_hash)
