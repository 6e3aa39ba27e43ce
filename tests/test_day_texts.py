"""A save re-renders only the days it changed, taking the others' text from the bytes read:
the file it writes is the same as writing the whole plan anew, whatever the plan holds, and
a file laid out any other way (hand-edited into another shape) is written whole instead."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings

from bench.strategies import plans
from planner.ops import SetDone
from planner.store import PlanFile, dumps_plan, load_plan
from planner.store.plan_file import day_texts

NOON = datetime(2026, 11, 30, 12, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parent.parent / "plans"


def tick_first_task(path: Path) -> None:
    plan_file = PlanFile.open(path)
    day = next(d for d in plan_file.plan.days if d.tasks)
    plan_file.apply(SetDone(day.date, day.tasks[0].id, not day.tasks[0].done, NOON))
    plan_file.save()


@settings(max_examples=150)
@given(plans())
def test_a_tick_writes_what_a_whole_render_would(tmp_path_factory, plan):
    if not any(d.tasks for d in plan.days):
        return
    path = tmp_path_factory.mktemp("t") / "plan.toml"
    PlanFile.create(path, plan)
    tick_first_task(path)
    assert path.read_text() == dumps_plan(load_plan(path))


def test_the_example_plans_reuse_every_day_but_the_ticked_one(tmp_path):
    for example in sorted(EXAMPLES.glob("*.toml")):
        path = tmp_path / example.name
        path.write_bytes(example.read_bytes())
        plan_file = PlanFile.open(path)
        assert plan_file._days is not None and len(plan_file._days) == len(plan_file.plan.days)
        tick_first_task(path)
        assert path.read_text() == dumps_plan(load_plan(path))


def test_a_file_laid_out_otherwise_is_written_whole(tmp_path):
    source = (EXAMPLES / "bristol-half.toml").read_text()
    path = tmp_path / "plan.toml"
    # A table added by hand after the days would otherwise ride along with the last day.
    path.write_text(source + "\n[mine]\nshoes = 'old'\n")
    plan_file = PlanFile.open(path)
    assert day_texts(path.read_bytes(), plan_file.plan) is None
    tick_first_task(path)
    after = load_plan(path)
    assert after.extra == {"mine": {"shoes": "old"}}
    assert path.read_text() == dumps_plan(after)
    assert path.read_text().count("[mine]") == 1
