"""`@record`: a data class as `@dataclass` makes it, without the cost of making it.

It is for the classes imported before the plan screen's first frame. `dataclass` writes
Python source for each class's `__init__`, `__repr__`, `__eq__` (and, frozen, its
`__setattr__`, `__delattr__` and `__hash__`) and compiles it as the module loads: 1.5 to
3 M instructions a class, about 70 M for the package's forty. `record` reads the same
annotations and `field()` options and gives every class the same few shared methods,
which read the field list stored on the class. Type checkers see it as a dataclass
(`dataclass_transform`).

Supported, because the package uses it: fields from annotations (`ClassVar` skipped);
defaults and `field(default=..., default_factory=..., compare=..., repr=...)`;
`__post_init__`, or the class's own `__init__` (for objects made by the thousand); `eq`
(field by field, as dataclasses compare) and `frozen` (read-only after `__init__`,
hashable when also `eq`). Not supported: inheriting fields, `InitVar`, `kw_only`,
ordering, slots.
"""

from __future__ import annotations

import inspect
from dataclasses import MISSING, Field, FrozenInstanceError, field
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def record(cls: T | None = None, /, *, eq: bool = False, frozen: bool = False) -> Any:
    """Make `cls` a record: `@record`, or `@record(eq=True, frozen=True)`."""

    def make(cls: T) -> T:
        _make(cls, eq=eq, frozen=frozen)
        return cls

    return make if cls is None else make(cls)


def _make(cls: type, *, eq: bool, frozen: bool) -> None:
    names: list[str] = []
    defaults: dict[str, Any] = {}
    factories: dict[str, Any] = {}
    compared: list[str] = []
    shown: list[str] = []
    for name, annotation in inspect.get_annotations(cls).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        compare = show = True
        if isinstance(value, Field):
            compare, show = value.compare, value.repr
            if value.default_factory is not MISSING:
                factories[name] = value.default_factory
            elif value.default is not MISSING:
                defaults[name] = value.default
            if value.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)  # the class attribute, as dataclass leaves it
        elif value is not MISSING:
            defaults[name] = value
        if name not in defaults and name not in factories and (defaults or factories):
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with")
        names.append(name)
        if compare:
            compared.append(name)
        if show:
            shown.append(name)
    cls.__record_fields__ = tuple(names)
    cls.__record_names__ = frozenset(names)
    cls.__record_required__ = frozenset(names) - defaults.keys() - factories.keys()
    cls.__record_defaults__ = defaults
    cls.__record_factories__ = factories
    cls.__record_compared__ = tuple(compared)
    cls.__record_shown__ = tuple(shown)
    cls.__match_args__ = tuple(names)
    if "__init__" not in cls.__dict__:  # a class on a hot path may write its own
        cls.__init__ = _init
    cls.__repr__ = _repr
    if eq:
        cls.__eq__ = _eq
        cls.__hash__ = _hash if frozen else None  # as dataclass: mutable and eq, unhashable
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr


def _init(self, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    if args:
        names = cls.__record_fields__
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} given")
        for name in names[: len(args)]:
            if name in kwargs:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
        kwargs.update(zip(names, args, strict=False))
    unknown = kwargs.keys() - cls.__record_names__
    if unknown:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {min(unknown)!r}")
    missing = cls.__record_required__ - kwargs.keys()
    if missing:
        raise TypeError(f"{cls.__name__}() missing required argument {min(missing)!r}")
    values = {**cls.__record_defaults__, **kwargs}
    for name, factory in cls.__record_factories__.items():
        if name not in values:
            values[name] = factory()
    self.__dict__.update(values)  # straight into the instance: a frozen one refuses setattr
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _repr(self) -> str:
    shown = type(self).__record_shown__
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
    return f"{type(self).__qualname__}({fields})"


def _values(self) -> tuple:
    return tuple([getattr(self, name) for name in type(self).__record_compared__])


def _eq(self, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash(_values(self))


def _frozen_setattr(self, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
