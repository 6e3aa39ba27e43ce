"""Hypothesis strategies for whole plans full of hostile text, shared by tests and bench."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from planner.model import (
    Category,
    Day,
    Distance,
    GateResult,
    InjuryKind,
    Muscle,
    Phase,
    Plan,
    Safety,
    Side,
    SkipReason,
    Task,
    clean_line,
)
from planner.store import DAY_KEYS, PLAN_KEYS, TASK_KEYS

nasty_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("[]{}\"'\\=#/@.:$`~<>&%\n\t\r\x1b\x07\x00\x7f\x9b\u202e\u2066")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(["🏃", "🦵", "é", "ß", "中"]),
    ),
    max_size=24,
)
toml_scalar = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    nasty_text,
    st.dates(),
    st.floats(allow_nan=False, allow_infinity=False),
)
extra_key = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)


def extras(reserved: set[str]):
    values = st.one_of(
        toml_scalar,
        st.lists(st.integers(0, 9), max_size=3),
        st.dictionaries(extra_key, toml_scalar, max_size=2),
    )
    return st.dictionaries(extra_key.filter(lambda k: k not in reserved), values, max_size=3)


stamp = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
count = st.none() | st.integers(0, 500)
count_int = st.integers(0, 500)


@st.composite
def tasks(draw, index):
    done = draw(st.booleans())
    return Task(
        id=f"t{index}-" + draw(st.text(alphabet="abc-[]\"' ", max_size=5)),
        category=draw(st.sampled_from(list(Category))),
        title=draw(nasty_text.filter(lambda s: clean_line(s))),
        dose=draw(nasty_text),
        why=draw(nasty_text),
        minutes=draw(count),
        sets=draw(count),
        reps=draw(count),
        hold_s=draw(count),
        done=done,
        done_at=draw(stamp) if done else None,
        skip=None if done else draw(st.none() | st.sampled_from(list(SkipReason))),
        custom=draw(st.booleans()),
        extra=draw(extras(TASK_KEYS)),
    )


@st.composite
def plans(draw):
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    days = []
    for n in range(draw(st.integers(1, 4))):
        day_tasks = [draw(tasks(i)) for i in range(draw(st.integers(0, 3)))]
        days.append(
            Day(
                date=start + timedelta(days=n),
                phase=draw(st.sampled_from(list(Phase))),
                tasks=day_tasks,
                pain=draw(st.none() | st.integers(0, 10)),
                note=draw(st.none() | nasty_text),
                gate=draw(
                    st.none()
                    | st.builds(
                        GateResult,
                        st.integers(0, 1000),
                        st.integers(0, 1000),
                        st.integers(0, 600),
                        st.booleans(),
                        st.none() | st.integers(0, 1000),
                    )
                ),
                extra=draw(extras(DAY_KEYS)),
            )
        )
    injury = draw(st.sampled_from(list(InjuryKind)))
    return Plan(
        name=draw(nasty_text),
        created=draw(stamp),
        injury_date=start,
        race_date=start + timedelta(days=len(days) - 1),
        injury=injury,
        grade=draw(st.sampled_from([1, 2])) if injury == InjuryKind.STRAIN else None,
        side=draw(st.sampled_from([None, *Side])),
        distance=draw(st.sampled_from(list(Distance))),
        days=days,
        warning=draw(st.none() | nasty_text),
        safety=draw(
            st.none()
            | st.builds(
                Safety,
                st.dates(date(1970, 1, 1), date(2200, 12, 31)),  # the years a file may hold
                st.lists(nasty_text, max_size=3),
                st.booleans(),
            )
        ),
        plan_extra=draw(extras(PLAN_KEYS)),
        extra=draw(extras({"schema_version", "plan", "days"})),
        muscle=draw(st.none() | st.sampled_from(list(Muscle))),
        recurrent=draw(st.booleans()),
        finish_minutes=draw(st.none() | st.integers(1, 24 * 60)),
        protocol=draw(st.sampled_from([1, 2])),
    )
