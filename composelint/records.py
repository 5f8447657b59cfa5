"""`record`: a dataclass made without the dataclasses module, its one compiled method compiled
when it is first needed.

`dataclasses.dataclass` writes each generated method as source text and compiles it (six
compilations for a frozen class), and importing dataclasses imports inspect (with ast, dis and
tokenize): together about 60% of a one-file run's start-up once.  A record collects its fields as
dataclasses does (annotations in class order, bases' fields first, ClassVar left out, `field()`
for factories and comparisons; a default stays a class attribute); `__init__` (fields in order,
defaults and factories, `__post_init__`; a frozen class's through object.__setattr__, as
dataclasses does) is compiled at the class's first instance; `__eq__`, `__hash__` and `__repr__`
read the fields through one `operator.attrgetter`, and a frozen class's `__setattr__` and
`__delattr__` are shared functions.  Results are the dataclass ones (field tuples compared and
hashed, the same repr, dataclasses.FrozenInstanceError), in the same cases (`eq`, `frozen`,
`unsafe_hash`, an explicit `__hash__` or `__init__`, fields with `compare`, `hash` or
`repr=False`), and `slots=True` makes the same slotted class.  The package uses this module's
`field`, `fields` and `replace`; dataclasses' own (`fields`, `replace`, `asdict`, `is_dataclass`)
work on a record too: its `__dataclass_fields__` is made on first use.  What differs: no
`__dataclass_params__`; a record takes positional fields only (no `kw_only`, `init=False` or
InitVar); a class without a docstring keeps none; the signature of `__init__` reads `(*args,
**kwargs)` until the first instance.  This module imports nothing of the package.
"""

from __future__ import annotations

import reprlib
import sys
from collections.abc import Callable
from operator import attrgetter
from types import MemberDescriptorType
from typing import Any, ClassVar, TypeVar, dataclass_transform, overload

C = TypeVar("C", bound=type)
R = TypeVar("R")


class _Missing:
    """No default (dataclasses' own sentinel is in the module this one avoids importing)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """A field of a record: its name, type (as written), default or factory, and whether it is
    shown, compared and hashed."""

    __slots__ = ("compare", "default", "default_factory", "hash", "name", "repr", "type")

    def __init__(self, default: Any, default_factory: Any, repr: bool, hash: bool | None, compare: bool):
        self.name: str = ""
        self.type: Any = None
        self.default, self.default_factory = default, default_factory
        self.repr, self.hash, self.compare = repr, hash, compare


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    repr: bool = True,
    hash: bool | None = None,
    compare: bool = True,
) -> Any:
    """A field with a default factory or other settings, as `dataclasses.field`."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, repr, hash, compare)


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The fields of a record (a class or an instance), in order."""
    try:
        return tuple(class_or_instance.__record_fields__.values())
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None


def is_record(value: Any) -> bool:
    """`value` is a record or a record class."""
    return hasattr(value, "__record_fields__")


def replace(obj: R, /, **changes: Any) -> R:
    """A copy of record `obj` with `changes`, made by its `__init__` (as `dataclasses.replace`)."""
    for name in obj.__record_fields__:  # type: ignore[attr-defined]
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


def _frozen_error(message: str) -> Exception:
    # The error dataclasses raises, so that code catching it catches a record's too; dataclasses is
    # imported only when a frozen record is changed (a bug in the caller).
    import dataclasses

    return dataclasses.FrozenInstanceError(message)


def _is_class_var(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.replace(" ", "").startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _as_field(value: Any) -> Field:
    """A class attribute as a field: a `field()`, a `dataclasses.field()` or a default."""
    if isinstance(value, Field):
        return value
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is not None and isinstance(value, dataclasses.Field):
        return Field(
            MISSING if value.default is dataclasses.MISSING else value.default,
            MISSING if value.default_factory is dataclasses.MISSING else value.default_factory,
            value.repr,
            value.hash,
            value.compare,
        )
    if value.__class__.__hash__ is None:
        raise ValueError(f"mutable default {type(value)} is not allowed: use default_factory")
    return Field(value, MISSING, True, None, True)


def _collect_fields(cls: Any) -> dict[str, Field]:
    """The fields of `cls` by name, in order: its records bases' first, then its own annotations
    (a redefined field keeps its place), as dataclasses collects them."""
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        collected.update(base.__dict__.get("__record_fields__", {}))
    own = []
    # The class's own annotations (inspect.get_annotations would import inspect).
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        if _is_class_var(annotation):
            continue
        made = _as_field(cls.__dict__[name]) if name in cls.__dict__ else field()
        made.name, made.type = name, annotation
        collected[name] = made
        own.append(made)
    for made in own:
        # The class attribute is the default, as on a dataclass; a field without one has none.
        if made.default is MISSING:
            if made.name in cls.__dict__:
                delattr(cls, made.name)
        else:
            setattr(cls, made.name, made.default)
    return collected


class _DataclassFields:
    """A record's `__dataclass_fields__`, made by dataclasses from the record's fields when
    dataclasses' helpers first ask for it (`dataclasses.fields`, `replace`, `asdict`)."""

    def __get__(self, instance: Any, owner: Any) -> dict:
        import dataclasses

        namespace: dict[str, Any] = {
            "__annotations__": {f.name: f.type for f in fields(owner)},
            **{
                f.name: dataclasses.field(
                    default=f.default if f.default is not MISSING else dataclasses.MISSING,
                    default_factory=f.default_factory
                    if f.default_factory is not MISSING
                    else dataclasses.MISSING,
                    repr=f.repr,
                    hash=f.hash,
                    compare=f.compare,
                )
                for f in fields(owner)
            },
        }
        stand_in: Any = dataclasses.dataclass(init=False, repr=False, eq=False)(
            type(owner.__name__, (), namespace)
        )
        made = stand_in.__dataclass_fields__
        owner.__dataclass_fields__ = made  # made once per class
        return made


def _slotted(cls: Any, names: list[str]) -> Any:
    """`cls` made again with `__slots__` for its fields (not those a base already has), as
    dataclasses does for `slots=True`."""
    inherited: set[str] = set()
    for base in cls.__mro__[1:-1]:
        slots = base.__dict__.get("__slots__", ())
        inherited.update((slots,) if isinstance(slots, str) else slots)
    namespace = dict(cls.__dict__)
    namespace["__slots__"] = tuple(name for name in names if name not in inherited)
    for name in [*names, "__dict__", "__weakref__"]:
        namespace.pop(name, None)
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """The tuple of these attributes of an object (a tuple even for one name or none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    return lambda value: ()


def _add_repr(cls: Any, fields: list[Field]) -> None:
    shown = [f.name for f in fields if f.repr]

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        listed = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({listed})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__


def _add_eq(cls: Any, fields: list[Field]) -> None:
    compared = _values([f.name for f in fields if f.compare])

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    cls.__eq__ = __eq__


def _add_hash(cls: Any, fields: list[Field]) -> None:
    hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    cls.__hash__ = __hash__


class _Omitted:
    """The default of a parameter whose field has a default factory (dataclasses' own sentinel is private)."""


_OMITTED = _Omitted()


def _add_init(cls: Any, fields: list[Field], frozen: bool) -> None:
    """`__init__` taking the fields in order (defaults and factories as dataclasses'), compiled at
    the class's first instance: most classes of a run never have one (shell and CI classes in a
    compose run).  A frozen record sets its fields through object.__setattr__, as a frozen
    dataclass does."""
    if "self" in {f.name for f in fields}:
        raise TypeError(f"{cls.__name__}: a record has no field named `self`")
    defaults = False
    for f in fields:
        if f.default is MISSING and f.default_factory is MISSING and defaults:
            raise TypeError(f"{cls.__name__}: non-default argument {f.name!r} follows default argument")
        defaults = defaults or f.default is not MISSING or f.default_factory is not MISSING

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        compiled = _compiled_init(cls, fields, frozen)
        cls.__init__ = compiled
        compiled(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = __init__


_DISPLAYS: dict[Any, str] = {list: "[]", dict: "{}"}


def _compiled_init(cls: Any, fields: list[Field], frozen: bool) -> Callable[..., None]:
    namespace: dict[str, Any] = {"__record_set": object.__setattr__, "__record_omitted": _OMITTED}
    parameters, body = ["self"], []
    for number, f in enumerate(fields):
        value = f.name
        if f.default_factory is not MISSING:
            namespace[f"__record_factory{number}"] = f.default_factory
            parameters.append(f"{f.name}=__record_omitted")
            # An empty list or dict as a display: a model of thousands of containers makes millions.
            made = _DISPLAYS.get(f.default_factory, f"__record_factory{number}()")
            value = f"{made} if {f.name} is __record_omitted else {f.name}"
        elif f.default is not MISSING:
            namespace[f"__record_default{number}"] = f.default
            parameters.append(f"{f.name}=__record_default{number}")
        else:
            parameters.append(f.name)
        slot = _slot(cls, f.name) if frozen else None
        if slot is not None:  # the slot's own setter: object.__setattr__ looks the name up first
            namespace[f"__record_slot{number}"] = slot.__set__
            body.append(f"__record_slot{number}(self, {value})")
        else:
            body.append(f"__record_set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    exec(f"def __init__({', '.join(parameters)}):\n    " + "\n    ".join(body or ["pass"]), namespace)
    compiled = namespace["__init__"]
    compiled.__qualname__ = f"{cls.__qualname__}.__init__"
    return compiled


def _slot(cls: Any, name: str) -> Any:
    """The slot descriptor `object.__setattr__(instance, name, ...)` would set through, if it is one."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            found = klass.__dict__[name]
            return found if isinstance(found, MemberDescriptorType) else None
    return None


def _add_frozen_guards(cls: Any, fields: list[Field], slots: bool) -> None:
    """`__setattr__` and `__delattr__` that refuse, as a frozen dataclass's do (and, with slots,
    the pickling state that does not go through them)."""
    names = frozenset(f.name for f in fields)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise _frozen_error(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise _frozen_error(f"cannot delete field {name!r}")
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
    own_hash = cls.__dict__.get("__hash__", MISSING)
    explicit_hash = not (own_hash is MISSING or (own_hash is None and "__eq__" in cls.__dict__))
    if unsafe_hash and explicit_hash:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    keeps_repr, keeps_eq = "__repr__" in cls.__dict__, "__eq__" in cls.__dict__
    if frozen and {"__setattr__", "__delattr__"} & cls.__dict__.keys():
        raise TypeError(f"Cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
    keeps_init = "__init__" in cls.__dict__
    collected = _collect_fields(cls)
    made = _slotted(cls, list(collected)) if slots else cls
    made.__record_fields__ = collected
    made.__dataclass_fields__ = _DataclassFields()
    if "__match_args__" not in made.__dict__:
        setattr(made, "__match_args__", tuple(collected))  # noqa: B010 (mypy refuses the assignment)
    fields = list(collected.values())
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


@dataclass_transform(field_specifiers=(field, Field))
def record(
    cls: C | None = None, /, *, frozen: bool = False, slots: bool = False, unsafe_hash: bool = False
) -> C | Callable[[C], C]:
    """`@dataclass` with these options (`@record`, `@record(frozen=True, slots=True)`, ...)."""
    if cls is None:
        return lambda cls: _made(cls, frozen, slots, unsafe_hash)
    return _made(cls, frozen, slots, unsafe_hash)
