"""The Markdown export's how-tos: each exercise of the plan once, at the end, with its steps
as a numbered list; the day checklists above stay one line a task."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec
from markdown_it import MarkdownIt

from planner.demo import DEMO_TODAY, demo_plan
from planner.engine import build_plan, injury_class
from planner.export import md_escape, to_markdown
from planner.model import Category, PlanInputs, Task
from planner.rules import how_to, load_rules

SECTION = "## How to do the exercises"


def sections(markdown: str) -> dict[str, list]:
    """The document's h3 headings under the how-to section, each with its list items."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    found: dict[str, list] = {}
    current = None
    in_howto = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[i + 1].content
            if token.tag == "h2":
                in_howto = text == "How to do the exercises"
                current = None
            elif token.tag == "h3" and in_howto:
                current = found.setdefault(text, [])
        elif (
            token.type == "inline"
            and current is not None
            and tokens[i - 2].type == "list_item_open"
        ):
            current.append(token.content)
    return found


def test_each_exercise_comes_once_at_the_end_with_its_steps():
    plan = demo_plan(DEMO_TODAY)
    markdown = to_markdown(plan, DEMO_TODAY)
    kind = injury_class(plan.injury, plan.grade)
    assert markdown.count(SECTION) == 1
    # after the last day's checklist
    last_day = markdown.rindex("## ", 0, markdown.index(SECTION))
    assert "· After" in markdown[last_day : markdown.index(SECTION)]
    found = sections(markdown)
    wanted: dict[tuple[str, ...], str] = {}
    for day in plan.days:
        for task in day.tasks:
            steps = how_to(task, kind)
            if steps:
                wanted.setdefault(steps, task.title)
    assert len(found) == len(wanted) >= 10
    for steps, title in wanted.items():
        assert found[title] == list(steps), title
        for step in steps:  # once an entry, in the whole document: not under the days
            assert markdown.count(step) == sum(step in other for other in wanted), step
    assert list(found)[:3] == [
        "Isometric calf hold, left calf",
        "Double-leg calf raises",
        "Calf stretches",
    ]  # in the order the plan first asks for them
    assert "_How to do each exercise: the last section._" in markdown


def test_a_plan_without_exercises_has_no_section_and_no_pointer_to_one():
    plan = demo_plan(DEMO_TODAY)
    for day in plan.days:
        day.tasks = [
            Task(id="rest", category=Category.REST, title="Rest day"),
            Task(id="own", category=Category.CUSTOM, title="Calf stretches", custom=True),
        ]
    markdown = to_markdown(plan, DEMO_TODAY)
    assert SECTION not in markdown and "last section" not in markdown
    assert markdown.count("Calf stretches _(yours)_") == len(plan.days)


def test_strides_at_each_effort_share_one_entry_named_without_their_minutes():
    injury = date(2026, 11, 20)
    inputs = PlanInputs(
        injury, injury + timedelta(days=40), "strain", 1, "right", "sprint", "Track", "soleus"
    )
    plan = build_plan(inputs, injury)
    markdown = to_markdown(plan, injury)
    found = sections(markdown)
    sprint_steps = list(load_rules().running.sprint[0].how)
    entries = [title for title, steps in found.items() if steps == sprint_steps]
    assert entries == ["Easy + 4 x 60 m strides at 60% effort"]
    also = markdown.split("### Easy + 4 x 60 m strides at 60% effort", 1)[1].split("\n\n")[1]
    assert also == (
        "Also for: Easy + 4 x 60 m strides at 70% effort; "
        "Easy + 4 x 60 m strides at 80% effort; Easy + 4 x 60 m strides at 90% effort"
    )
    assert " min + 4 x 60 m" not in "".join(found)


def test_a_cramp_plan_gets_the_cramp_heel_drops():
    injury = date(2026, 11, 20)
    inputs = PlanInputs(
        injury, injury + timedelta(days=30), "cramp", None, "left", "10k", "Cramps", recurrent=True
    )
    plan = build_plan(inputs, injury)
    found = sections(to_markdown(plan, injury))
    drops = found["Strength session: heel drops off a step, left calf"]
    assert any("cramp" in step for step in drops)
    strain_drops = next(t.how for t in load_rules().tasks if t.id == "heel-drops")
    assert drops != list(strain_drops)


def test_the_exercise_names_are_escaped_like_every_title():
    plan = demo_plan(DEMO_TODAY)
    # a protocol task whose title was edited by hand in the file, on the first day: its
    # name comes first, and it is still text from a file
    hold = next(t for d in plan.days for t in d.tasks if t.id == "isometric")
    plan.days[0].tasks.append(msgspec.structs.replace(hold, title="Isometric *hold* <b>"))
    markdown = to_markdown(plan, DEMO_TODAY)
    assert f"### {md_escape('Isometric *hold* <b>')}" in markdown
    assert "### Isometric *hold*" not in markdown
