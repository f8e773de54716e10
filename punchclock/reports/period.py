"""The report's period: the body's date range read as wall clock in the body's zone (FACTS "Date-times").

`dateRangeStart`/`dateRangeEnd` are first read as instants (`Z`, offsets and fractions accepted; no offset
means UTC), and their UTC clock reading is then applied in `timeZone`: a midnight-to-midnight range selects
the zone's calendar days. An end at exactly midnight is exclusive (`…T00:00:00Z` of the next day), any
other end is inclusive (`…T23:59:59.999Z`).

Local dates inside SQL: the zone's UTC offset is constant between transitions, so for the period the
offset is a short step function of the instant (`offset_sql`), computed here once. The "wall" value
`start_ms + offset` divided by a day gives the local day with integer arithmetic that SQLite and
PostgreSQL evaluate alike, and weeks and months follow from the day.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from punchclock.kit.errors import bad_request
from punchclock.kit.time import DAY_MS

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_FRACTION = re.compile(r"^(.*T\d{2}:\d{2}:\d{2})\.(\d+)(.*)$")


def zone_of(name: str | None, fallback: str) -> tuple[ZoneInfo, str]:
    for candidate, from_body in ((name, True), (fallback, False), ("UTC", False)):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate), candidate
        except Exception:  # unknown name, path-like or NUL-holding text: all the client's fault
            if from_body:
                raise bad_request(
                    f"You entered invalid value for field: [timeZone]. Value: {candidate}"
                ) from None
    return ZoneInfo("UTC"), "UTC"


def wall_reading(value: str | None, field_name: str) -> datetime:
    """The UTC clock reading of the instant `value` names, as a naive datetime with milliseconds."""
    if value is None or not value.strip():
        raise bad_request(f"{field_name} must not be null")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    match = _FRACTION.match(text)
    if match:
        text = f"{match.group(1)}.{match.group(2)[:6].ljust(6, '0')}{match.group(3)}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(f"You entered invalid value for field: [{field_name}]. Value: {value}") from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise bad_request(
                f"You entered invalid value for field: [{field_name}]. Value: {value}"
            ) from None
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def _instant_ms(wall: datetime, zone: ZoneInfo) -> int:
    aware = wall.replace(tzinfo=zone)
    return int(aware.timestamp() * 1000 + 0.5) if aware.microsecond else int(aware.timestamp()) * 1000


def _offset_ms(instant_ms: int, zone: ZoneInfo) -> int:
    offset = datetime.fromtimestamp(instant_ms / 1000, tz=zone).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0


@dataclass(frozen=True)
class Period:
    zone: ZoneInfo
    zone_name: str
    lo_ms: int  # first instant included
    hi_ms: int  # last instant included
    first_day: date  # local date of lo_ms
    days: int  # local calendar days covered
    # (from_ms, offset_ms): the offset holds from that instant on (the first from lo_ms).
    offsets: tuple[tuple[int, int], ...] = field(default=())

    @property
    def base_wall_ms(self) -> int:
        """The first local midnight of the period, as a wall value (epoch ms of the naive reading)."""
        return (self.first_day - date(1970, 1, 1)).days * DAY_MS

    def offset_sql(self, column: str) -> str:
        """SQL for the zone's offset (ms) at instant `column`: a CASE over the transitions in the period."""
        if len(self.offsets) == 1:
            return str(self.offsets[0][1])
        branches = " ".join(
            f"WHEN {column} < {self.offsets[i + 1][0]} THEN {self.offsets[i][1]}"
            for i in range(len(self.offsets) - 1)
        )
        return f"(CASE {branches} ELSE {self.offsets[-1][1]} END)"

    def day_sql(self, column: str = "te.start_ms") -> str:
        """SQL for the local day of `column`, counted from `first_day` (0, 1, …)."""
        return f"(({column} + {self.offset_sql(column)} - {self.base_wall_ms}) / {DAY_MS})"

    def week_shift(self, week_start: str) -> int:
        """Days between the start of the week holding `first_day` and `first_day`."""
        return (self.first_day.weekday() - WEEKDAYS.index(week_start)) % 7

    def week_sql(self, week_start: str, column: str = "te.start_ms") -> str:
        return f"(({self.day_sql(column)} + {self.week_shift(week_start)}) / 7)"

    def week_first_day(self, week_index: int, week_start: str) -> date:
        return self.first_day - timedelta(days=self.week_shift(week_start)) + timedelta(days=7 * week_index)

    def month_starts(self) -> list[int]:
        """Day indexes (from `first_day`) where a new local month begins inside the period."""
        starts = []
        day = self.first_day
        month = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        while (month - self.first_day).days < self.days:
            starts.append((month - self.first_day).days)
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        return starts

    def month_sql(self, column: str = "te.start_ms") -> str:
        """The local month (0 for the first of the period): a CASE over the instants the months begin at,
        so each row costs plain comparisons of its start."""
        starts = self.month_starts()
        if not starts:
            return "0"
        instants = [
            _instant_ms(datetime.combine(self.day(s), datetime.min.time()), self.zone) for s in starts
        ]
        branches = " ".join(f"WHEN {column} < {b} THEN {i}" for i, b in enumerate(instants))
        return f"(CASE {branches} ELSE {len(starts)} END)"

    def month_first_day(self, month_index: int) -> date:
        day = self.first_day.replace(day=1)
        for _ in range(month_index):
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return day

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)

    def offset_function(self) -> Callable[[int], int]:
        """The zone's offset (ms) at an instant: from the period's steps, or the zone outside the period."""
        lo, hi, zone, offsets = self.lo_ms, self.hi_ms, self.zone, self.offsets
        froms = [f for f, _ in offsets]
        if len(offsets) == 1:
            only = offsets[0][1]

            def constant(instant_ms: int) -> int:
                return only if lo <= instant_ms <= hi else _offset_ms(instant_ms, zone)

            return constant

        def stepped(instant_ms: int) -> int:
            if not lo <= instant_ms <= hi:
                return _offset_ms(instant_ms, zone)
            return offsets[bisect_right(froms, instant_ms) - 1][1]

        return stepped


def _transitions(lo_ms: int, hi_ms: int, zone: ZoneInfo) -> tuple[tuple[int, int], ...]:
    """The offset at lo_ms, then every change up to hi_ms (found by day steps, pinned by bisection)."""
    found = [(lo_ms, _offset_ms(lo_ms, zone))]
    t = lo_ms
    while t < hi_ms:
        step = min(t + DAY_MS, hi_ms)
        offset = _offset_ms(step, zone)
        if offset != found[-1][1]:
            a, b = t, step  # offset(a) is the old one, offset(b) the new one
            while b - a > 1000:
                mid = (a + b) // 2
                if _offset_ms(mid, zone) == found[-1][1]:
                    a = mid
                else:
                    b = mid
            found.append((b // 1000 * 1000 if _offset_ms(b // 1000 * 1000, zone) == offset else b, offset))
        t = step
    return tuple(found)


# Entries live between these wall clocks; a range reaching beyond them is cut to them (so that "any
# length" stays cheap: offsets are found day by day and months are listed in SQL).
FIRST_WALL = datetime(1970, 1, 2)
LAST_WALL = datetime(2200, 1, 1)


def period_of(start: str | None, end: str | None, zone: ZoneInfo, zone_name: str) -> Period:
    start_wall = wall_reading(start, "dateRangeStart")
    end_wall = wall_reading(end, "dateRangeEnd")
    if end_wall < start_wall:
        raise bad_request("Date range end must be after date range start")
    start_wall = min(max(start_wall, FIRST_WALL), LAST_WALL)
    end_wall = min(max(end_wall, FIRST_WALL), LAST_WALL)
    lo_ms = _instant_ms(start_wall, zone)
    end_ms = _instant_ms(end_wall, zone)
    exclusive = end_wall.time() == datetime.min.time() and end_wall > start_wall
    hi_ms = end_ms - 1 if exclusive else end_ms
    if hi_ms < lo_ms:
        raise bad_request("Date range end must be after date range start")
    last_wall = end_wall - timedelta(milliseconds=1) if exclusive else end_wall
    first_day = start_wall.date()
    days = (last_wall.date() - first_day).days + 1
    return Period(zone, zone_name, lo_ms, hi_ms, first_day, days, _transitions(lo_ms, hi_ms, zone))


def format_local(instant_ms: int | None, zone: ZoneInfo) -> str | None:
    """`2026-08-08T10:15:00+12:00` (`Z` for a zero offset), as the reports host renders instants."""
    if instant_ms is None:
        return None
    text = datetime.fromtimestamp(instant_ms // 1000, tz=zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
