"""Reading a watch's activity: FIT files written by fit-tool (tests/fixtures/activities,
with the script that made them), GPX written by gpxpy and TCX by the standard XML writer,
and the files an import must refuse: corrupt, cut off, without times, of another sport or
kind, or XML that declares entities."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import gpxpy
import gpxpy.gpx
import pytest

from planner.activity import (
    MAX_BYTES,
    Activity,
    ActivityError,
    parse_activity,
    read_activity,
    sport_of,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activities"
START = datetime(2026, 11, 27, 12, 2, 11, tzinfo=UTC)
TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def write_gpx(
    path: Path,
    start: datetime | None = START,
    seconds: int = 1500,
    *,
    kind: str | None = "running",
    pause_s: int = 0,
) -> Path:
    """A GPX track written by gpxpy: a point every 10 s at about 10 km/h for `seconds`
    (no times when `start` is None), with a standstill of `pause_s` halfway."""
    gpx = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack(name="Morning run")
    track.type = kind
    gpx.tracks.append(track)
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    clock = 0
    lat = 51.45
    for step in range(seconds // 10 + 1):
        if step == seconds // 20 and pause_s:
            clock += pause_s  # standing at a crossing: the next point is where this one was
        moment = start + timedelta(seconds=clock) if start is not None else None
        segment.points.append(gpxpy.gpx.GPXTrackPoint(lat, -2.58, elevation=12, time=moment))
        lat += 0.00025  # about 28 m
        clock += 10
    path.write_text(gpx.to_xml(), encoding="utf-8")
    return path


def write_tcx(
    path: Path,
    start: datetime | None = START,
    laps: tuple[float, ...] = (900.0, 600.0),
    *,
    sport: str = "Running",
) -> Path:
    """A TCX activity written by xml.etree: an Id, and laps of `laps` timer seconds."""
    ET.register_namespace("", TCX_NS)

    def tag(name: str) -> str:
        return f"{{{TCX_NS}}}{name}"

    root = ET.Element(tag("TrainingCenterDatabase"))
    activity = ET.SubElement(ET.SubElement(root, tag("Activities")), tag("Activity"), Sport=sport)
    if start is not None:
        ET.SubElement(activity, tag("Id")).text = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    moment = start or START
    for seconds in laps:
        lap = ET.SubElement(activity, tag("Lap"))
        if start is not None:
            lap.set("StartTime", moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
        ET.SubElement(lap, tag("TotalTimeSeconds")).text = f"{seconds:.1f}"
        ET.SubElement(lap, tag("DistanceMeters")).text = f"{seconds * 2.8:.1f}"
        points = ET.SubElement(lap, tag("Track"))
        for step in range(0, int(seconds) + 1, 60):
            point = ET.SubElement(points, tag("Trackpoint"))
            when = moment + timedelta(seconds=step)
            ET.SubElement(point, tag("Time")).text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        moment += timedelta(seconds=seconds)
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path


# ----------------------------------------------------------------------------- FIT


def test_a_fit_run_gives_its_start_moving_minutes_and_sport():
    activity = read_activity(FIXTURES / "run.fit")
    assert activity == Activity("FIT", START, 1085.0, "running")
    assert activity.minutes == 18  # 18:05 moving, though the watch ran 21:40
    assert activity.is_run


def test_a_fit_run_without_a_moving_time_counts_its_timer():
    activity = read_activity(FIXTURES / "treadmill.fit")
    assert (activity.start, activity.minutes, activity.sport) == (
        datetime(2026, 12, 3, 11, 45, tzinfo=UTC),
        25,
        "running",
    )


def test_a_fit_file_cut_off_before_its_session_counts_its_records():
    activity = read_activity(FIXTURES / "no-session.fit")
    assert activity.start == datetime(2026, 12, 5, 12, 10, tzinfo=UTC)
    assert activity.minutes == 25
    assert activity.sport is None and activity.is_run  # the file doesn't say: not refused


def test_a_fit_ride_is_no_run():
    activity = read_activity(FIXTURES / "ride.fit")
    assert activity.sport == "cycling" and not activity.is_run


@pytest.mark.parametrize("where", [20, 200, -3])
def test_a_corrupt_fit_file_is_refused(where):
    data = bytearray((FIXTURES / "run.fit").read_bytes())
    data[where] ^= 0x5A  # one byte changed: the file's CRC no longer matches
    with pytest.raises(ActivityError, match="not a FIT file that can be read"):
        parse_activity(bytes(data), "FIT")


def test_a_fit_file_cut_short_is_refused():
    data = (FIXTURES / "run.fit").read_bytes()
    with pytest.raises(ActivityError, match="not a FIT file that can be read"):
        parse_activity(data[: len(data) // 2], "FIT")


def test_text_named_fit_is_refused():
    with pytest.raises(ActivityError, match="holds text that is not FIT"):
        parse_activity(b'<?xml version="1.0"?><gpx></gpx>', "FIT")


# ----------------------------------------------------------------------------- GPX


def test_a_gpx_track_written_by_gpxpy(tmp_path):
    activity = read_activity(write_gpx(tmp_path / "run.gpx", seconds=1500))
    assert activity == Activity("GPX", START, 1500.0, "running")
    assert activity.minutes == 25


def test_a_gpx_standstill_is_not_moving(tmp_path):
    activity = read_activity(write_gpx(tmp_path / "run.gpx", seconds=1200, pause_s=300))
    assert activity.start == START
    assert activity.minutes == 20  # 25 minutes on the clock, 5 of them standing


def test_a_gpx_without_times_is_refused(tmp_path):
    path = write_gpx(tmp_path / "route.gpx", start=None)
    assert "<time>" not in path.read_text()
    with pytest.raises(ActivityError, match="has no times"):
        read_activity(path)


def test_a_gpx_route_without_a_track_is_refused(tmp_path):
    gpx = gpxpy.gpx.GPX()
    route = gpxpy.gpx.GPXRoute()
    route.points.append(gpxpy.gpx.GPXRoutePoint(51.45, -2.58, time=START))
    gpx.routes.append(route)
    path = tmp_path / "route.gpx"
    path.write_text(gpx.to_xml())
    with pytest.raises(ActivityError, match="has no track"):
        read_activity(path)


def test_a_gpx_of_another_sport_and_one_without_a_type(tmp_path):
    assert read_activity(write_gpx(tmp_path / "a.gpx", kind="cycling")).sport == "cycling"
    untyped = read_activity(write_gpx(tmp_path / "b.gpx", kind=None))
    assert untyped.sport is None and untyped.is_run


def test_broken_xml_is_refused(tmp_path):
    text = write_gpx(tmp_path / "run.gpx").read_text()
    with pytest.raises(ActivityError, match="not a GPX file that can be read"):
        parse_activity(text[: len(text) // 2].encode(), "GPX")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<gpx><trk><name>&d;</name></trk></gpx>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>&secret;</Id>
</Activity></Activities></TrainingCenterDatabase>"""


@pytest.mark.parametrize(("data", "kind"), [(BILLION_LAUGHS, "GPX"), (EXTERNAL, "TCX")])
def test_xml_declaring_entities_is_never_parsed(data, kind):
    with pytest.raises(ActivityError, match="declares a document type"):
        parse_activity(data, kind)


# ----------------------------------------------------------------------------- TCX


def test_a_tcx_activity_written_by_the_standard_xml_writer(tmp_path):
    activity = read_activity(write_tcx(tmp_path / "run.tcx", laps=(900.0, 645.0)))
    assert activity == Activity("TCX", START, 1545.0, "running")
    assert activity.minutes == 26  # 25:45 reads 26, as a watch shows it


def test_a_tcx_ride_and_one_without_times(tmp_path):
    assert read_activity(write_tcx(tmp_path / "a.tcx", sport="Biking")).sport == "cycling"
    with pytest.raises(ActivityError, match="has no times"):
        read_activity(write_tcx(tmp_path / "b.tcx", start=None))


def test_tcx_with_bad_lap_times_is_refused(tmp_path):
    text = write_tcx(tmp_path / "run.tcx").read_text().replace("900.0", "nan", 1)
    with pytest.raises(ActivityError, match="lap time of nan"):
        parse_activity(text.encode(), "TCX")
    other = write_tcx(tmp_path / "x.tcx").read_text().replace("900.0", "soon", 1)
    with pytest.raises(ActivityError, match="not a number"):
        parse_activity(other.encode(), "TCX")


def test_xml_of_another_kind_named_tcx_is_refused(tmp_path):
    gpx = write_gpx(tmp_path / "run.gpx").read_bytes()
    with pytest.raises(ActivityError, match=r"another kind \(gpx\), not TCX"):
        parse_activity(gpx, "TCX")


# ----------------------------------------------------------------------------- files


def test_only_fit_gpx_and_tcx_files_are_read(tmp_path):
    for name in ("plan.toml", "run.csv", "run"):
        path = tmp_path / name
        path.write_bytes((FIXTURES / "run.fit").read_bytes())
        with pytest.raises(ActivityError, match=r"not a \.fit, \.gpx or \.tcx activity file"):
            read_activity(path)
    upper = tmp_path / "RUN.FIT"
    upper.write_bytes((FIXTURES / "run.fit").read_bytes())
    assert read_activity(upper).minutes == 18


def test_a_fit_file_named_gpx_says_so(tmp_path):
    path = tmp_path / "run.gpx"
    path.write_bytes((FIXTURES / "run.fit").read_bytes())
    with pytest.raises(ActivityError, match=r"holds FIT data, not GPX \(rename it \.fit\)"):
        read_activity(path)


def test_empty_missing_and_oversized_files_are_refused(tmp_path):
    empty = tmp_path / "empty.gpx"
    empty.write_bytes(b"")
    with pytest.raises(ActivityError, match="is empty"):
        read_activity(empty)
    with pytest.raises(ActivityError, match="can't be read"):
        read_activity(tmp_path / "gone.fit")
    with pytest.raises(ActivityError, match="over 64 MiB"):
        parse_activity(b"<" + b" " * MAX_BYTES, "GPX")


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(ActivityError, match="not UTF-8"):
        parse_activity(b"<gpx>\xff\xfe</gpx>", "GPX")


# ----------------------------------------------------------------------------- meaning


def test_the_local_date_is_the_day_it_started_where_the_runner_is():
    late = Activity("GPX", datetime(2026, 11, 26, 20, 30, tzinfo=UTC), 1800.0)
    assert late.local_date(UTC) == date(2026, 11, 26)
    assert late.local_date(timezone(timedelta(hours=13))) == date(2026, 11, 27)  # Auckland
    early = Activity("GPX", datetime(2026, 11, 27, 3, 0, tzinfo=UTC), 1800.0)
    assert early.local_date(timezone(timedelta(hours=-8))) == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("running", "running"),
        ("Running", "running"),
        ("trail_running", "running"),
        ("Treadmill", "running"),
        ("Biking", "cycling"),
        ("VirtualRide", "cycling"),
        ("walking", "walking"),
        ("Other", None),
        ("generic", None),
        ("9", None),
        (7, None),
        (None, None),
        ("rowing", "rowing"),
    ],
)
def test_sports_are_named_one_way(name, sport):
    assert sport_of(name) == sport


def test_minutes_round_to_the_nearest():
    assert Activity("FIT", START, 29 * 60 + 29.9).minutes == 29
    assert Activity("FIT", START, 29 * 60 + 30).minutes == 30
    assert Activity("FIT", START, 0.0).minutes == 0


def test_the_parsers_never_load_with_the_app_or_show():
    # The first frame and `planner show` must not pay for reading watch files.
    code = (
        "import sys\n"
        "import planner.tui.screens.plan, planner.cli, planner.cli.plan_commands\n"
        "import planner.activity\n"
        "print(','.join(m for m in ('fitdecode', 'gpxpy') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_activity_module_is_core():
    # No Textual or Rich, and no clock: the date is asked for with a zone.
    code = (
        "import sys, planner.activity\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stderr
    source = (Path(__file__).resolve().parent.parent / "planner" / "activity.py").read_text()
    assert ".now(" not in source and ".today(" not in source and "time.time(" not in source
