"""`@record` makes objects that behave as the same `@dataclass` would, for what it supports."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.record import record


def pair(**options):
    """The same class made by `record` and by `dataclass` with the same options."""

    def body():
        class Body:
            LIMIT: ClassVar[int] = 3
            name: str
            count: int = 1
            tags: list = field(default_factory=list)
            note: str = field(default="", compare=False, repr=False)

            def __post_init__(self) -> None:
                self.__dict__["doubled"] = self.count * 2 if isinstance(self.count, int) else 0

        return Body

    return record(**options)(body()), dataclass(**options)(body())


OPTIONS = [{"eq": False}, {"eq": True}, {"eq": True, "frozen": True}]
ARGS = st.lists(st.one_of(st.text(max_size=2), st.integers(-2, 2)), max_size=5)
KWARGS = st.dictionaries(
    st.sampled_from(["name", "count", "tags", "note", "other"]), st.integers(0, 2)
)


def outcome(cls, args, kwargs):
    try:
        made = cls(*args, **kwargs)
    except TypeError:
        return "TypeError"
    return (made.name, made.count, made.tags, made.note, made.doubled, repr(made).split("(", 1)[1])


@pytest.mark.parametrize("options", OPTIONS)
@given(args=ARGS, kwargs=KWARGS)
def test_arguments_bind_and_show_as_a_dataclass_does(options, args, kwargs):
    ours, theirs = pair(**options)
    assert outcome(ours, args, kwargs) == outcome(theirs, args, kwargs)


@pytest.mark.parametrize("options", OPTIONS)
@given(one=st.tuples(st.sampled_from("ab"), st.integers(0, 1), st.sampled_from("xy")))
def test_equality_and_hashing_follow_the_options(options, one):
    ours, theirs = pair(**options)
    for other in [("a", 0, "x"), ("a", 0, "y"), ("b", 1, "x")]:
        mine = ours(one[0], one[1], note=one[2]) == ours(other[0], other[1], note=other[2])
        real = theirs(one[0], one[1], note=one[2]) == theirs(other[0], other[1], note=other[2])
        assert mine == real
    made, real = ours("a"), theirs("a")
    assert (type(made).__hash__ is None) == (type(real).__hash__ is None)
    if options.get("frozen"):
        assert hash(ours("a", tags=())) == hash(
            ours("a", tags=(), note="other")
        )  # note: not compared
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.count = 2
    else:
        made.count = 2
        assert made.count == 2


def test_factories_make_a_fresh_value_and_class_attributes_stay():
    ours, _ = pair(eq=False)
    one, two = ours("calf"), ours("calf")
    one.tags.append("x")
    assert two.tags == [] and one != two  # identity without eq
    assert ours.LIMIT == 3 and ours.count == 1
    assert ours.__match_args__ == ("name", "count", "tags", "note")


def test_a_required_field_after_a_default_is_refused():
    with pytest.raises(TypeError, match="without a default"):

        @record
        class Bad:
            first: int = 0
            second: int
