"""`record`: a dataclass whose one compiled method is compiled when it is first needed.

`dataclasses.dataclass` writes each generated method as source text and compiles it: six
compilations for a frozen class, most of the start-up of a one-file run (about 190 of 690 million
instructions for the 60-odd classes a compose check defines).  With `record`, dataclasses makes
the fields; `__init__` (fields in order, defaults and factories, `__post_init__`; a frozen
class's through object.__setattr__, as dataclasses does) is compiled at the class's first
instance; `__eq__`, `__hash__` and `__repr__` read the fields through one `operator.attrgetter`,
and a frozen class's `__setattr__` and `__delattr__` are shared functions.  Results are the
dataclass ones (field tuples compared and hashed, the same repr, FrozenInstanceError), in the same
cases (`eq`, `frozen`, `unsafe_hash`, an explicit `__hash__` or `__init__`, fields with `compare`,
`hash` or `repr=False`); `fields`, `replace` and pickling work as on any dataclass.  What
differs: `__dataclass_params__` says `init=False, eq=False, repr=False` (and `frozen=False`), so a
mutable subclass of a frozen record is not refused; a record takes positional fields only (no
`kw_only`, `init=False` or InitVar); the signature of `__init__` reads `(*args, **kwargs)` until
the first instance.  This module imports nothing of the package.
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


def _add_repr(cls: Any, fields: list[dataclasses.Field]) -> None:
    shown = [f.name for f in fields if f.repr]

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        listed = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({listed})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__


def _add_eq(cls: Any, fields: list[dataclasses.Field]) -> None:
    compared = _values([f.name for f in fields if f.compare])

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    cls.__eq__ = __eq__


def _add_hash(cls: Any, fields: list[dataclasses.Field]) -> None:
    hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    cls.__hash__ = __hash__


class _Omitted:
    """The default of a parameter whose field has a default factory (dataclasses' own sentinel is private)."""


_OMITTED = _Omitted()


def _add_init(cls: Any, fields: list[dataclasses.Field], frozen: bool) -> None:
    """`__init__` taking the fields in order (defaults and factories as dataclasses'), compiled at
    the class's first instance: most classes of a run never have one (shell and CI classes in a
    compose run).  A frozen record sets its fields through object.__setattr__, as a frozen
    dataclass does."""
    if any(not f.init or f.kw_only is True for f in fields) or "self" in {f.name for f in fields}:
        raise TypeError(f"{cls.__name__}: a record has positional init fields only (use dataclasses)")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        compiled = _compiled_init(cls, fields, frozen)
        cls.__init__ = compiled
        compiled(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = __init__


def _compiled_init(cls: Any, fields: list[dataclasses.Field], frozen: bool) -> Callable[..., None]:
    namespace: dict[str, Any] = {"__record_set": object.__setattr__, "__record_omitted": _OMITTED}
    parameters, body = ["self"], []
    for number, f in enumerate(fields):
        value = f.name
        if f.default_factory is not dataclasses.MISSING:
            namespace[f"__record_factory{number}"] = f.default_factory
            parameters.append(f"{f.name}=__record_omitted")
            value = f"__record_factory{number}() if {f.name} is __record_omitted else {f.name}"
        elif f.default is not dataclasses.MISSING:
            namespace[f"__record_default{number}"] = f.default
            parameters.append(f"{f.name}=__record_default{number}")
        else:
            parameters.append(f.name)
        body.append(f"__record_set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    exec(f"def __init__({', '.join(parameters)}):\n    " + "\n    ".join(body or ["pass"]), namespace)
    compiled = namespace["__init__"]
    compiled.__qualname__ = f"{cls.__qualname__}.__init__"
    return compiled


def _add_frozen_guards(cls: Any, fields: list[dataclasses.Field], slots: bool) -> None:
    """`__setattr__` and `__delattr__` that refuse, as a frozen dataclass's do (and, with slots,
    the pickling state that does not go through them)."""
    names = frozenset(f.name for f in fields)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    __setattr__.__qualname__ = f"{cls.__qualname__}.__setattr__"
    __delattr__.__qualname__ = f"{cls.__qualname__}.__delattr__"
    cls.__setattr__ = __setattr__
    cls.__delattr__ = __delattr__
    if slots:
        ordered = [f.name for f in fields]

        def __getstate__(self: Any) -> list:
            return [getattr(self, name) for name in ordered]

        def __setstate__(self: Any, state: list) -> None:
            for name, value in zip(ordered, state, strict=True):
                object.__setattr__(self, name, value)

        cls.__getstate__ = __getstate__
        cls.__setstate__ = __setstate__


def _made(cls: Any, frozen: bool, slots: bool, unsafe_hash: bool) -> Any:
    # As dataclasses decides (its _hash_action table, with eq=True): a __hash__ written in the class
    # body stays; otherwise frozen or unsafe_hash hash the compared fields and a mutable class is
    # unhashable.
    own_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (own_hash is dataclasses.MISSING or (own_hash is None and "__eq__" in cls.__dict__))
    if unsafe_hash and explicit_hash:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    keeps_repr, keeps_eq = "__repr__" in cls.__dict__, "__eq__" in cls.__dict__
    if frozen and {"__setattr__", "__delattr__"} & cls.__dict__.keys():
        raise TypeError(f"Cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
    keeps_init = "__init__" in cls.__dict__
    made = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    fields = list(dataclasses.fields(made))
    if not keeps_init:
        _add_init(made, fields, frozen)
    if frozen:
        _add_frozen_guards(made, fields, slots)
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
