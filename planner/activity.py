"""A watch's record of a run, read from a .fit, .gpx or .tcx file for the three things the
plan needs: when it started, how long it moved, and which sport it was.

Files come from outside (a watch, a phone app, a download), so each is read whole up to
MAX_BYTES, XML only without a document type (no entity of any kind can be declared, so
none is expanded or fetched), and whatever a parser can't read is an ActivityError that
says so in one line. The parsers (fitdecode, gpxpy) load when a file of their kind is read,
never with the app. Nothing here reads the clock: the local date of an activity is asked
for with the zone to see it in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from itertools import pairwise
from pathlib import Path

import msgspec

# The kinds read, by file suffix, as the messages name them.
KINDS = {".fit": "FIT", ".gpx": "GPX", ".tcx": "TCX"}
# A ten-hour run with every sensor is about 20 MiB as TCX, the most verbose of the three.
MAX_BYTES = 64 * 1024 * 1024
# FIT records closer than this are one stretch of moving; a longer gap is a pause (a watch
# records every 1-10 s while its timer runs, nothing while it is paused).
MOVING_GAP_S = 60
RUNNING = "running"


class ActivityError(ValueError):
    """A file that can't be read as an activity; the message says why, in one line."""


class Activity(msgspec.Struct, frozen=True):
    """What a watch recorded: the kind of file, the start (aware, UTC, whole seconds), the
    seconds spent moving, and the sport (`running`, `cycling`, ...; None when the file
    doesn't say)."""

    kind: str
    start: datetime
    moving_s: float
    sport: str | None = None

    @property
    def minutes(self) -> int:
        """The whole minutes moving, to the nearest (29:30 reads 30, as a watch shows it)."""
        return int(self.moving_s / 60 + 0.5)

    @property
    def is_run(self) -> bool:
        """Whether it may be a run: recorded as one, or as no sport in particular."""
        return self.sport in (None, RUNNING)

    def local_date(self, zone: tzinfo | None = None) -> date:
        """The date it started on in `zone` (None: the system's local zone)."""
        return self.start.astimezone(zone).date()

    def local_start(self, zone: tzinfo | None = None) -> datetime:
        """When it started, in `zone` (None: the system's local zone)."""
        return self.start.astimezone(zone)


def kind_of(path: Path) -> str:
    """FIT, GPX or TCX by the file's suffix, or ActivityError naming the kinds read."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ActivityError("not a .fit, .gpx or .tcx activity file")
    return kind


def read_activity(path: Path) -> Activity:
    """The activity in a .fit, .gpx or .tcx file; ActivityError for anything else."""
    kind = kind_of(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise ActivityError(f"can't be read: {error.strerror or error}") from None
    return parse_activity(data, kind)


def parse_activity(data: bytes, kind: str) -> Activity:
    """The activity in the bytes of a file of `kind` (FIT, GPX or TCX), or ActivityError."""
    if len(data) > MAX_BYTES:
        raise ActivityError(f"over {MAX_BYTES // (1024 * 1024)} MiB: not one activity")
    if not data.strip():
        raise ActivityError("is empty")
    looks_fit = len(data) >= 12 and data[8:12] == b".FIT"
    if kind == "FIT":
        if not looks_fit:
            what = "text" if data.lstrip().startswith((b"<", b"\xef\xbb\xbf")) else "data"
            raise ActivityError(f"holds {what} that is not FIT (a FIT file starts '.FIT')")
        return _fit(data)
    if looks_fit:
        raise ActivityError(f"holds FIT data, not {kind} (rename it .fit)")
    text = _xml_text(data, kind)
    return _gpx(text) if kind == "GPX" else _tcx(text)


# ----------------------------------------------------------------------------- sports

# How the files name sports, as we name them; a name with none of these words is kept as
# it is (a rowing session is no run), and "generic", "other" or a number says nothing.
_SPORT_WORDS = (
    ("run", RUNNING),
    ("jog", RUNNING),
    ("treadmill", RUNNING),
    ("cycl", "cycling"),
    ("bik", "cycling"),
    ("ride", "cycling"),
    ("walk", "walking"),
    ("hik", "hiking"),
    ("swim", "swimming"),
)
_SAYS_NOTHING = {"", "generic", "other", "all", "none", "unknown"}


def sport_of(name: object) -> str | None:
    """A file's sport as we name it (`running`, `cycling`, ...), or None when it says none."""
    if not isinstance(name, str):
        return None  # a FIT sport number this version of fitdecode doesn't know
    word = re.sub(r"[\s_-]+", "", name.strip().lower())
    if word in _SAYS_NOTHING or word.isdigit():
        return None
    for part, sport in _SPORT_WORDS:
        if part in word:
            return sport
    return word[:40]


def _utc(moment: datetime) -> datetime:
    """An activity time as aware UTC to the second; a time without a zone is UTC, as GPX
    and TCX times are by their schemas."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


# ----------------------------------------------------------------------------- FIT


def _fit(data: bytes) -> Activity:
    """A FIT activity: its sessions' start, moving time and sport; a file cut off before
    its sessions were written (a watch that died) from its records and their gaps."""
    import io

    import fitdecode  # a FIT file is read rarely; the app never needs the parser

    sessions: list[dict] = []
    records: list[datetime] = []
    sport = None
    file_type = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as fit:
            for frame in fit:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "file_id" and file_type is None:
                    file_type = _field(frame, "type")
                elif frame.name == "session":
                    sessions.append({f.name: f.value for f in frame.fields})
                elif frame.name in ("sport", "lap") and sport is None:
                    sport = _field(frame, "sport")
                elif frame.name == "record":
                    stamp = _field(frame, "timestamp")
                    if isinstance(stamp, datetime):
                        records.append(stamp)
    except Exception as error:  # FitError, and on damaged bytes struct, key and index errors
        raise ActivityError(f"is not a FIT file that can be read ({_first_line(error)})") from None
    if file_type is not None and file_type != "activity":
        raise ActivityError(f"is a FIT {file_type} file, not a recorded activity")
    if sessions:
        return _fit_sessions(sessions)
    if not records:
        raise ActivityError("has no times: no session and no timed records")
    records.sort()
    moving = sum(
        gap
        for gap in ((b - a).total_seconds() for a, b in pairwise(records))
        if 0 < gap <= MOVING_GAP_S
    )
    return Activity("FIT", _utc(records[0]), moving, sport_of(sport))


def _fit_sessions(sessions: list[dict]) -> Activity:
    """The activity of a FIT file's sessions: its running sessions (a multisport file's
    run), or all of them when none is a run."""
    runs = [s for s in sessions if sport_of(s.get("sport")) == RUNNING]
    chosen = runs or sessions
    starts = []
    moving = 0.0
    for session in chosen:
        start = session.get("start_time")
        if not isinstance(start, datetime):
            start = session.get("timestamp")
        if isinstance(start, datetime):
            starts.append(start)
        for key in ("total_moving_time", "total_timer_time", "total_elapsed_time"):
            value = session.get(key)
            if isinstance(value, int | float) and value >= 0:
                moving += value
                break
    if not starts:
        raise ActivityError("has no times: its sessions carry no start")
    sport = RUNNING if runs else sport_of(chosen[0].get("sport"))
    return Activity("FIT", _utc(min(starts)), moving, sport)


def _field(frame, name: str):
    """A FIT message's field value, or None when it hasn't the field."""
    return frame.get_value(name, fallback=None) if frame.has_field(name) else None


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:120] if text else type(error).__name__


# ----------------------------------------------------------------------------- XML

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _xml_text(data: bytes, kind: str) -> str:
    """The text of a GPX or TCX file: UTF-8, and without a document type, so no entity
    can be declared (a billion-laughs file, or one that reads another file on the disk)."""
    if _DOCTYPE.search(data):
        raise ActivityError(f"declares a document type, which no {kind} file needs; not read")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActivityError(f"is not UTF-8 text, as {kind} files are") from None
    if not text.lstrip().startswith("<"):
        raise ActivityError(f"is not XML, as {kind} files are")
    return text


def _gpx(text: str) -> Activity:
    """A GPX track: the first time on it, gpxpy's moving time, and the track's type."""
    import gpxpy  # a GPX file is read rarely; the app never needs the parser

    try:
        gpx = gpxpy.parse(text)
        bounds = gpx.get_time_bounds()
        moving = gpx.get_moving_data()
    except Exception as error:  # gpxpy raises its own and the XML parser's errors, and more
        raise ActivityError(f"is not a GPX file that can be read ({_first_line(error)})") from None
    if not gpx.tracks:
        raise ActivityError("has no track: a GPX route or waypoints are no recorded activity")
    if bounds.start_time is None:
        raise ActivityError("has no times on its track: its day and minutes can't be known")
    sport = next((track.type for track in gpx.tracks if track.type), None)
    moving_s = float(moving.moving_time) if moving is not None else 0.0
    return Activity("GPX", _utc(bounds.start_time), moving_s, sport_of(sport))


def _local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _tcx(text: str) -> Activity:
    """A TCX activity: its Id (the start), its laps' timer seconds, and its Sport."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise ActivityError(f"is not a TCX file that can be read ({_first_line(error)})") from None
    if _local(root.tag) != "TrainingCenterDatabase":
        raise ActivityError(f"is XML of another kind ({_local(root.tag)[:40]}), not TCX")
    activity = next((e for e in root.iter() if _local(e.tag) == "Activity"), None)
    if activity is None:
        raise ActivityError("has no activity: a TCX course or workout is no recorded run")
    start = None
    seconds = 0.0
    laps = 0
    for element in activity:
        name = _local(element.tag)
        if name == "Id" and element.text:
            start = _tcx_time(element.text)
        elif name == "Lap":
            laps += 1
            if start is None and element.get("StartTime"):
                start = _tcx_time(element.get("StartTime", ""))
            total = next((c.text for c in element if _local(c.tag) == "TotalTimeSeconds"), None)
            seconds += _tcx_seconds(total)
    if start is None:
        raise ActivityError("has no times: no Id and no lap start")
    if not laps:
        raise ActivityError("has no laps: its minutes can't be known")
    return Activity("TCX", start, seconds, sport_of(activity.get("Sport")))


def _tcx_time(text: str) -> datetime:
    try:
        return _utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ActivityError(f"has a time that is not one: {text.strip()[:40]!r}") from None


def _tcx_seconds(text: str | None) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        raise ActivityError(f"has a lap time that is not a number: {text!r:.40}") from None
    if not 0 <= value <= 7 * 24 * 3600:  # nan and inf fail this too
        raise ActivityError(f"has a lap time of {value:g} seconds")
    return value
