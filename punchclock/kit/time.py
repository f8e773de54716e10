"""Instants and durations: lenient on the way in, strict on the way out (FACTS "Date-times and durations").

Instants live in the database as integer epoch milliseconds; the wire shows UTC with `Z` and whole seconds.
"""

from __future__ import annotations

import functools
import re
import time
from datetime import UTC, datetime, timedelta

from punchclock.kit.errors import ApiError

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE
)


_FRACTION = re.compile(r"^(.*T\d{2}:\d{2}:\d{2})\.(\d+)(.*)$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_MS = 86_400_000  # a UTC day, as the per-day tables (migration 0007) count days


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def parse_instant(value: str, field: str = "date") -> int:
    """Accept `Z` or numeric offsets and any fraction (ms, µs, ns); return epoch ms truncated to the second.

    Clockify stores whole seconds, so fractions are dropped rather than rounded.
    """
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    # datetime.fromisoformat takes at most 6 fraction digits; trim nanoseconds.
    match = _FRACTION.match(text) if "." in text else None
    if match:
        text = f"{match.group(1)}.{match.group(2)[:6].ljust(6, '0')}{match.group(3)}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(
            400, f"You entered invalid value for field: [{field}]. Value: {value!r}", 501
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return int(parsed.timestamp()) * 1000
    except (ValueError, OverflowError):  # an offset pushing 0001-01-01 or 9999-12-31 out of range
        raise ApiError(
            400, f"You entered invalid value for field: [{field}]. Value: {value!r}", 501
        ) from None


@functools.lru_cache(maxsize=4096)
def _utc_date(day: int) -> str:
    return (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")


@functools.cache  # at most 86,400 short strings
def _utc_clock(second_of_day: int) -> str:
    hour, rest = divmod(second_of_day, 3600)
    return f"T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def format_instant(ms: int | None) -> str | None:
    """Epoch ms as `2026-08-07T22:15:00Z`. Lists render two per entry, so both halves come from small
    caches: the date of the day and the clock of the second of the day (a fifth of `strftime`'s cost)."""
    if ms is None:
        return None
    day, second = divmod(ms // 1000, 86400)
    return _utc_date(day) + _utc_clock(second)


def parse_duration(value: str, field: str = "duration") -> int:
    """ISO-8601 duration (`PT1H30M`, `P1DT2H`) to whole seconds."""
    match = _DURATION.match(value.strip())
    if not match or value.strip().upper() in ("P", "PT"):
        raise ApiError(400, f"You entered invalid value for field: [{field}]. Value: {value!r}", 501)
    days, hours, minutes = (int(match.group(k) or 0) for k in ("d", "h", "m"))
    seconds = float(match.group("s") or 0)
    return days * 86400 + hours * 3600 + minutes * 60 + int(seconds)


def format_duration(seconds: int | None) -> str | None:
    """Whole seconds to Clockify's ISO form: `PT1H30M15S`, `PT0S` for zero."""
    if seconds is None:
        return None
    return _iso_duration(seconds)


@functools.lru_cache(maxsize=65536)  # entries' durations repeat (whole minutes, rounded hours)
def _iso_duration(seconds: int) -> str:
    if seconds == 0:
        return "PT0S"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs:
        out += f"{secs}S"
    return sign + out
