"""`@record` builds objects exactly as `@dataclass(eq=False)` would, for the cases it supports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.record import record


@record
class Rec:
    """Three kinds of field: required, a plain default, a default factory."""

    LIMIT: ClassVar[int] = 3
    name: str
    count: int = 1
    tags: list = field(default_factory=list)

    def doubled(self) -> int:
        return self.count * 2


@dataclass(eq=False)
class Dc:
    LIMIT: ClassVar[int] = 3
    name: str
    count: int = 1
    tags: list = field(default_factory=list)


def build(cls, args, kwargs):
    try:
        made = cls(*args, **kwargs)
    except TypeError:
        return "TypeError"
    return (made.name, made.count, made.tags)


ARGS = st.lists(st.one_of(st.text(max_size=3), st.integers()), max_size=4)
KWARGS = st.dictionaries(st.sampled_from(["name", "count", "tags", "other"]), st.integers())


@given(ARGS, KWARGS)
def test_arguments_bind_as_a_dataclass_binds_them(args, kwargs):
    assert build(Rec, args, kwargs) == build(Dc, args, kwargs)


def test_defaults_repr_identity_and_methods():
    one, two = Rec("calf"), Rec("calf")
    assert (one.count, one.tags, one.doubled()) == (1, [], 2)
    one.tags.append("x")
    assert two.tags == []  # a factory makes a fresh value each time
    assert one != two and one == one  # identity, as with eq=False
    assert repr(Rec("a", 2)) == "Rec(name='a', count=2, tags=[])"
    assert Rec.LIMIT == 3 and Rec.__record_fields__ == ("name", "count", "tags")
    assert Rec.__match_args__ == ("name", "count", "tags")


def test_a_required_field_after_a_default_is_refused():
    with pytest.raises(TypeError, match="without a default"):

        @record
        class Bad:
            first: int = 0
            second: int
