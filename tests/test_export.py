"""Exports: the calendar's stamp, sequence and ids, hostile text, and where -o may write."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.dollarmath import dollarmath_plugin
from textual.app import App
from textual.widgets import Input

from planner.cli import main
from planner.demo import demo_plan
from planner.export import (
    event_summary,
    export_target_problem,
    format_for,
    md_escape,
    plan_key,
    to_ics,
    to_markdown,
)
from planner.model import Category, Safety, Task
from planner.store import load_plan
from planner.tui.dialogs.export import ExportDialog, ExportRequest
from tests.test_reports import fixture_plan

TODAY = date(2026, 11, 24)
STAMP = datetime(2026, 11, 24, 18, 30, 5, tzinfo=UTC)

# What a runner might type, meant or not: each would be structure if it reached Markdown raw.
HOSTILE = [
    "*bold* _em_ __strong__ **x**",
    "[x](y) ![img](http://e.example/x.png) [ref]: http://x.example",
    "<script>alert(1)</script> <!-- hidden -->",
    "&amp; &lt; &#35; & <b>",
    "`code` ``more``",
    "# heading",
    "## also a heading",
    "line one\n# heading\n- item\n\n    code\n> quote",
    "1. first",
    "7) seventh",
    "- dash",
    "+ plus",
    "=== ",
    "> quote",
    "| a | b |",
    "~~gone~~",
    "$x^2$",
    "@physio",
    "mail me@x.example",
    "http://evil.example/x",
    "back\\slash\\",
    "trailing  \nbreak",
    "    indented",
    "after a\u2028# unicode break",
]


def gfm() -> MarkdownIt:
    """CommonMark with GitHub's extensions: tables, strikethrough, autolinks and $ math."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    md.linkify.set({"fuzzy_link": False})  # GFM links scheme:// and e-mail text, not bare names
    return md.use(dollarmath_plugin)


def unescape(value: str) -> str:
    """An RFC 5545 TEXT value as written (icalendar leaves X- properties escaped)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def events_of(data: bytes):
    return Calendar.from_ical(data).walk("VEVENT")


# --- the calendar -------------------------------------------------------------------------


def test_dtstamp_is_the_export_time_in_utc_not_the_plans_creation():
    plan = demo_plan(TODAY)
    events = events_of(to_ics(plan, STAMP))
    assert {e.decoded("DTSTAMP") for e in events} == {STAMP}
    assert plan.created != STAMP
    later = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    stamps = {e.decoded("DTSTAMP") for e in events_of(to_ics(plan, later))}
    assert stamps == {datetime(2026, 11, 25, 7, 0, tzinfo=UTC)}
    assert b"DTSTAMP:20261125T070000Z" in to_ics(plan, later)


def test_the_same_plan_and_stamp_give_the_same_bytes():
    assert to_ics(demo_plan(TODAY), STAMP) == to_ics(demo_plan(TODAY), STAMP)


def test_sequence_is_the_plans_revision():
    plan = demo_plan(TODAY)
    assert {int(e["SEQUENCE"]) for e in events_of(to_ics(plan, STAMP))} == {0}
    plan.revision = 7
    assert {int(e["SEQUENCE"]) for e in events_of(to_ics(plan, STAMP))} == {7}


def test_two_plans_made_together_for_the_same_dates_get_different_uids():
    first, second = demo_plan(TODAY), demo_plan(TODAY)
    first.uid, second.uid = "3f2a9c0d1e4b5a67", "9b8c7d6e5f4a3b21"
    assert (first.created, first.injury_date, first.race_date) == (
        second.created,
        second.injury_date,
        second.race_date,
    )
    uids_1 = {str(e["UID"]) for e in events_of(to_ics(first, STAMP))}
    uids_2 = {str(e["UID"]) for e in events_of(to_ics(second, STAMP))}
    assert len(uids_1) == len(first.days) and not uids_1 & uids_2
    again = demo_plan(TODAY)
    again.uid = first.uid
    again.days[3].tasks[0].done = True
    assert {str(e["UID"]) for e in events_of(to_ics(again, STAMP))} == uids_1


def test_a_file_without_a_uid_keeps_the_legacy_key_exactly():
    plan = fixture_plan()  # created 2026-01-01T00:00Z, injury 1 Jan, race 4 Jan, no uid
    assert plan.uid is None
    # The value earlier versions exported: calendars that imported them must keep updating.
    assert plan_key(plan) == "c1e8691b13dfd3b7"
    seed = f"{plan.created.isoformat()}|{plan.injury_date}|{plan.race_date}"
    assert plan_key(plan) == hashlib.sha256(seed.encode()).hexdigest()[:16]
    assert str(events_of(to_ics(plan, STAMP))[0]["UID"]) == (
        "20260101-c1e8691b13dfd3b7@recovery-planner"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Bristol\nHalf",
        "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:injected",
        "semi; colon, comma \\ backslash",
        "para\u2028graph\u2029split\x85nel\r\nwindows",
    ],
)
def test_a_name_that_would_break_a_property_gives_a_calendar_that_parses_back_whole(name):
    plan = demo_plan(TODAY)
    plan.name = name  # set after construction: the exporter must not rely on the model
    plan.days[2].tasks[0].title = "two\nlines: DTSTART:19700101"
    plan.days[2].tasks[0].why = "because\nUID:evil"
    plan.days[1].note = "stiff\nEND:VCALENDAR"
    data = to_ics(plan, STAMP)
    lines = data.decode().replace("\r\n ", "").split("\r\n")  # unfolded content lines
    assert lines[-1] == "" and all(":" in line for line in lines[:-1])
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(plan.days)
    assert not any(line.startswith(("UID:evil", "SUMMARY:injected")) for line in lines)
    calendar = Calendar.from_ical(data)
    flat = " ".join(name.split())  # every break (LF, CR, U+2028, NEL...) is whitespace
    assert unescape(str(calendar["X-WR-CALNAME"])) == flat
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan.days)
    for event, day in zip(events, plan.days, strict=True):
        assert str(event["UID"]).startswith(f"{day.date:%Y%m%d}-")
        assert event.decoded("DTSTART") == day.date and event.decoded("DTSTAMP") == STAMP
        summary = str(event["SUMMARY"])
        assert flat in summary and not set(summary) & {"\n", "\r", "\u2028", "\u2029", "\x85"}
        described = str(event["DESCRIPTION"]).split("\n")
        whys = sum(1 for t in day.tasks if t.why)
        assert len(described) == len(day.tasks) + whys + (day.pain is not None)
    assert "] two lines: DTSTART:19700101 — " in str(events[2]["DESCRIPTION"])
    assert "why: because UID:evil" in str(events[2]["DESCRIPTION"])


def test_each_event_is_titled_by_its_days_key_session():
    plan = demo_plan(TODAY)
    events = Calendar.from_ical(to_ics(plan, STAMP)).walk("VEVENT")
    summaries = {e.decoded("DTSTART"): str(e["SUMMARY"]) for e in events}
    # a run (its title up to the ": " of its detail), the gate, the race, and without a run
    # the day's most important task, never a red-flag check or a count of tasks
    assert summaries[date(2026, 11, 27)] == "Walk-run 30 min · Bristol Half"
    assert summaries[date(2026, 11, 26)] == "Run gate · Bristol Half"
    assert summaries[date(2026, 11, 29)] == "Race the half marathon, or run-walk it · Bristol Half"
    assert summaries[date(2026, 11, 28)] == "Make the race-day call · Bristol Half"
    assert summaries[date(2026, 11, 23)] == "Double-leg calf raises · Bristol Half"
    assert summaries[date(2026, 12, 4)] == "Full rest day · Bristol Half"
    assert not any("task" in s or s.startswith("Check") for s in summaries.values())
    # the description still lists every task
    walk_run = next(e for e in events if e.decoded("DTSTART") == date(2026, 11, 27))
    assert "Walk-run 30 min: walk 4, jog 1, repeat" in str(walk_run["DESCRIPTION"])
    assert "Calf stretches" in str(walk_run["DESCRIPTION"])


def test_the_longest_run_is_the_key_and_the_runners_own_title_stays_whole():
    plan = demo_plan(TODAY)
    day = plan.day(date(2026, 12, 8))  # a cross-training day: no run
    day.tasks.append(
        Task(id="c1", category=Category.RUN, title="Parkrun: with Sam", custom=True, minutes=25)
    )
    assert event_summary(plan, day) == "Parkrun: with Sam · Bristol Half"
    day.tasks.append(Task(id="run", category=Category.RUN, title="Easy run 40 min", minutes=40))
    assert event_summary(plan, day) == "Easy run 40 min · Bristol Half"


# --- Markdown -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_renders_as_the_literal_text_and_nothing_else(text):
    escaped = md_escape(text)
    assert "\n" not in escaped
    literal = " ".join(text.split())
    assert gfm().render(escaped) == f"<p>{escapeHtml(literal)}</p>\n"
    # Mid-line too, as the checklist puts it: after a task box.
    inline = gfm().render(f"- [ ] {escaped}")
    assert inline == f"<ul>\n<li>[ ] {escapeHtml(literal)}</li>\n</ul>\n"


def test_md_escape_escapes_entities_and_www_links_in_the_source():
    assert md_escape("a &amp; b") == r"a \&amp; b"
    assert md_escape("see www.example.com") == r"see www\.example.com"
    assert md_escape("plain words, 5-10 min (each side)") == "plain words, 5-10 min (each side)"


def _structure(markdown: str) -> list[tuple]:
    """The document's shape: every token's kind, with its inline children, but no text."""
    shape = []
    for token in gfm().parse(markdown):
        shape.append((token.type, token.tag, token.nesting))
        for child in token.children or []:
            shape.append(("  " + child.type, child.tag, child.nesting))
    return shape


def _plan_with(text: str):
    plan = demo_plan(TODAY)
    plan.name = f"{text} Half"
    day = plan.day(TODAY)
    day.tasks[0].title = f"Ice {text}"
    day.tasks[0].dose = f"{text} min"
    day.tasks.append(Task(id="own", category=Category.CUSTOM, title=text, custom=True))
    day.note = f"note {text}"
    day.at_rest = True  # pain at rest: the clinician warning joins the summary
    plan.days[0].note = text
    plan.safety = Safety(checked=plan.injury_date, flags=[f"flag {text}", text])
    return plan


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_a_runner_typed_changes_the_markdown_documents_structure(text):
    plain = to_markdown(_plan_with("plain"), TODAY)
    hostile = to_markdown(_plan_with(text), TODAY)
    assert "Red flags answered yes: flag plain, plain (NOT cleared)" in plain
    assert "- **" in plain  # the clinician warning is there, in bold
    assert _structure(hostile) == _structure(plain)
    assert hostile.count("\n") == plain.count("\n")
    html = gfm().render(hostile)
    assert "<script" not in html and "<a " not in html and "<code>" not in html


def test_safety_flags_are_escaped():
    text = to_markdown(_plan_with("*x* <b>"), TODAY)
    assert r"Red flags answered yes: flag \*x\* \<b\>, \*x\* \<b\> (NOT cleared)" in text


# --- where an export may be written -------------------------------------------------------


def test_export_target_problem_allows_a_regular_file_or_a_new_name(tmp_path):
    existing = tmp_path / "old.ics"
    existing.write_text("x")
    assert export_target_problem(existing) is None
    assert export_target_problem(tmp_path / "new.ics") is None


def test_export_target_problem_refuses_what_a_swap_would_destroy(tmp_path):
    real = tmp_path / "real.ics"
    real.write_text("x")
    (tmp_path / "link.ics").symlink_to(real)
    (tmp_path / "dangling.ics").symlink_to(tmp_path / "nowhere.ics")
    (tmp_path / "folder.ics").mkdir()
    os.mkfifo(tmp_path / "fifo.ics")
    cases = {
        "link.ics": "is a symlink",
        "dangling.ics": "is a symlink",
        "folder.ics": "is a folder",
        "fifo.ics": "is a FIFO",
    }
    for name, words in cases.items():
        problem = export_target_problem(tmp_path / name)
        assert problem is not None and words in problem, name
        assert "regular file or a new path" in problem and "\n" not in problem
    assert "is a device" in export_target_problem(Path("/dev/null"))
    assert "does not exist" in export_target_problem(tmp_path / "no" / "x.ics")
    assert "plan file" in export_target_problem(tmp_path / "x.toml")
    plan = tmp_path / "mine.plan"
    plan.write_text("x")
    assert "plan file" in export_target_problem(tmp_path / "." / "mine.plan", plan)
    assert "\n" not in export_target_problem(tmp_path / "a\nb" / "x.ics")


def test_format_for_reads_the_suffix():
    assert format_for("x.ics") == "ics" and format_for("X.MD") == "md"
    assert format_for("x.txt") is None and format_for("x") is None


@pytest.fixture
def bristol(home, capsys):
    assert main(["new", "--injury", "2026-11-20", "--race", "2026-11-29", "--name", "Bristol"]) == 0
    capsys.readouterr()
    return home / "plans" / "bristol.toml"


def _refused(argv, capsys, *words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


def test_export_refuses_a_symlink_even_to_a_regular_file(bristol, tmp_path, capsys):
    real = tmp_path / "real.ics"
    real.write_text("mine")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    _refused(["export", "--format", "ics", "-o", str(link)], capsys, "-o:", "symlink")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "mine"


def test_export_refuses_a_folder_and_a_fifo(bristol, tmp_path, capsys):
    folder = tmp_path / "out.ics"
    folder.mkdir()
    _refused(["export", "-o", str(folder)], capsys, "-o:", "folder")
    assert folder.is_dir() and not any(folder.iterdir())
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    _refused(["export", "-o", str(fifo)], capsys, "-o:", "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == [
        "out.ics",
        "pipe.md",
    ]


def test_export_refuses_a_device(bristol, tmp_path, capsys):
    device = tmp_path / "null.ics"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, OSError) as error:
        pytest.skip(f"can't make a device node here: {error}")
    _refused(["export", "--format", "ics", "-o", str(device)], capsys, "-o:", "device")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_export_writes_a_regular_file_and_a_new_path(bristol, tmp_path, capsys):
    existing = tmp_path / "old.md"
    existing.write_text("old")
    assert main(["export", "--format", "md", "-o", str(existing)]) == 0
    assert existing.read_text().startswith("# Bristol\n")
    fresh = tmp_path / "fresh.ics"
    assert main(["export", "--format", "ics", "-o", str(fresh)]) == 0
    assert stat.S_ISREG(os.lstat(fresh).st_mode)


def test_export_infers_the_format_from_the_suffix(bristol, tmp_path, capsys):
    ics = tmp_path / "phone.ICS"
    assert main(["export", "-o", str(ics)]) == 0
    assert len(events_of(ics.read_bytes())) == len(load_plan(bristol).days)
    md = tmp_path / "paper.md"
    assert main(["export", "-o", str(md)]) == 0
    assert md.read_text().startswith("# Bristol\n")
    capsys.readouterr()
    _refused(["export", "-o", str(tmp_path / "x.txt")], capsys, "--format", "ics or md")
    _refused(["export"], capsys, "--format", "ics or md")
    _refused(["export", "-o", "-"], capsys, "--format")
    assert not (tmp_path / "x.txt").exists()


def test_export_stamps_the_calendar_with_the_commands_clock(bristol, tmp_path, capsys):
    target = tmp_path / "phone.ics"
    assert main(["export", "-o", str(target), "--today", "2026-11-23"]) == 0
    plan = load_plan(bristol)
    events = events_of(target.read_bytes())
    assert {e.decoded("DTSTAMP") for e in events} == {datetime(2026, 11, 23, 12, 0, tzinfo=UTC)}
    assert {int(e["SEQUENCE"]) for e in events} == {plan.revision}
    assert (
        plan.uid and plan_key(plan) == hashlib.sha256(f"uid|{plan.uid}".encode()).hexdigest()[:16]
    )


# --- the TUI's export dialog --------------------------------------------------------------


class DialogApp(App):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.result: list[ExportRequest | None] = []

    def on_mount(self) -> None:
        self.push_screen(ExportDialog(self.folder, "bristol"), self.result.append)


async def test_export_dialog_shows_a_symlink_problem_inline_and_writes_nothing(tmp_path):
    real = tmp_path / "real.ics"
    real.write_text("mine")
    link = tmp_path / "[red]link[b].ics"  # markup in the path is shown as typed
    link.symlink_to(real)
    app = DialogApp(tmp_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(link)
        await pilot.click("#export")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and app.result == []
        shown = str(app.screen.query_one("#export-error").render())
        assert "[red]link[b].ics is a symlink" in shown
        field = app.screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "new.ics")
        field.focus()
        await pilot.press("enter")  # not a second click: the button ignores one while lit
        await pilot.pause()
        assert app.result == [ExportRequest("ics", tmp_path / "new.ics")]
    assert link.is_symlink() and real.read_text() == "mine"


# --- the runner's notes and minutes ---------------------------------------------------------


def test_a_tasks_note_and_the_minutes_run_are_in_both_exports():
    plan = fixture_plan()
    task = plan.days[0].tasks[1]
    task.note = "tight at the\nend [x] *really*"
    task.actual_minutes = 18
    md = to_markdown(plan, date(2026, 1, 3)).splitlines()
    row = next(i for i, line in enumerate(md) if line.startswith("- [x] T2"))
    assert md[row].endswith("_(ran 18 min)_")
    assert md[row + 1] == "  - note: " + md_escape(task.note)
    html = gfm().render("\n".join(md))
    assert "note: tight at the end [x] *really*" in html.replace("\\", "")
    assert "<em>really</em>" not in html  # the runner's text stays text
    event = next(
        e
        for e in events_of(to_ics(plan, datetime(2026, 1, 1, tzinfo=UTC)))
        if e.decoded("dtstart") == plan.days[0].date
    )
    description = str(event.get("description")).splitlines()
    line = next(i for i, text in enumerate(description) if text.startswith("[x] T2"))
    assert description[line].endswith("(ran 18 min)")
    assert description[line + 1] == "    note: tight at the end [x] *really*"
