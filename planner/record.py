"""`@record`: a plain data class, as `@dataclass(eq=False)` makes, without its import cost.

The protocol's records and the change operations are built a few times and read many, and
are all imported before the first frame. `dataclass` writes and compiles an `__init__` and
a `__repr__` for each class as its module loads: about 1.5 M instructions a class, 35 M for
these 23. `record` reads the same annotations and defaults and shares one `__init__` and
one `__repr__` between all of them. Type checkers see it as a dataclass
(`dataclass_transform`). Equality stays identity, as with `eq=False`.

Only what these classes use is supported: fields from annotations (`ClassVar` skipped),
plain defaults and `field(default_factory=...)`, methods, no inheritance of fields.
"""

from __future__ import annotations

import inspect
from dataclasses import MISSING, Field, field
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def record(cls: T) -> T:
    """Give `cls` an `__init__(*fields)` and a `__repr__` from its annotated fields."""
    names: list[str] = []
    defaults: dict[str, Any] = {}
    factories: dict[str, Any] = {}
    for name, annotation in inspect.get_annotations(cls).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            if value.default_factory is not MISSING:
                factories[name] = value.default_factory
            elif value.default is not MISSING:
                defaults[name] = value.default
            delattr(cls, name)
        elif value is not MISSING:
            defaults[name] = value
        elif defaults or factories:
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with")
        names.append(name)
    cls.__record_fields__ = tuple(names)
    cls.__record_defaults__ = defaults
    cls.__record_factories__ = factories
    cls.__init__ = _init
    cls.__repr__ = _repr
    cls.__match_args__ = tuple(names)
    return cls


def _init(self, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names = cls.__record_fields__
    if len(args) > len(names):
        raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} given")
    values = dict(zip(names, args, strict=False))
    for name, value in kwargs.items():
        if name not in names:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")
        if name in values:
            raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
        values[name] = value
    for name in names:
        if name in values:
            continue
        if name in cls.__record_defaults__:
            values[name] = cls.__record_defaults__[name]
        elif name in cls.__record_factories__:
            values[name] = cls.__record_factories__[name]()
        else:
            raise TypeError(f"{cls.__name__}() missing required argument {name!r}")
    self.__dict__.update(values)


def _repr(self) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_fields__)
    return f"{type(self).__qualname__}({fields})"
