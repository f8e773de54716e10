"""Clockify's report JSON: totals, amounts, group rows, detailed rows; and the date/time formats of the
exports. Pure functions over plain values (no SQL, no HTTP)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from punchclock.reports.period import format_local
from punchclock.reports.queries import Measures

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def amount_of(m: Measures, kind: str) -> float:
    """Minor units (may be fractional, as Clockify's): rate x seconds / 3600 summed per entry."""
    if kind == "COST":
        return m.cost / 3600
    if kind == "PROFIT":
        return (m.earned - m.cost) / 3600
    if kind == "HIDE_AMOUNT":
        return 0.0
    return m.earned / 3600


def amounts_of(m: Measures, kinds: list[str]) -> list[dict[str, Any]]:
    return [{"type": k, "value": amount_of(m, k)} for k in kinds]


def totals_of(m: Measures, shown: str, kinds: list[str], currency: str) -> dict[str, Any]:
    amount = amount_of(m, shown)
    return {
        "_id": "",
        "totalTime": m.duration,
        "totalBillableTime": m.billable_duration,
        "entriesCount": m.entries,
        "totalAmount": amount,
        "amounts": amounts_of(m, kinds),
        "numOfCurrencies": 1 if m.entries else 0,
        "totalAmountByCurrency": [{"currency": currency, "amount": amount}] if m.entries else [],
    }


def format_duration_hms(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def date_pattern(body_format: str | None, user_format: str) -> str:
    """strftime pattern for Clockify's date formats (`MM/DD/YYYY`, `DD.MM.YYYY`, `YYYY-MM-DD`…)."""
    for candidate in (body_format, user_format, "YYYY-MM-DD"):
        if candidate and "YYYY" in candidate.upper() and "DD" in candidate.upper():
            text = candidate.upper()
            return text.replace("YYYY", "%Y").replace("MM", "%m").replace("DD", "%d")
    return "%Y-%m-%d"


def time_pattern(body_format: str | None, user_format: str) -> str:
    for candidate in (body_format, user_format):
        if candidate in ("HOUR12", "HOUR24"):
            return "%I:%M:%S %p" if candidate == "HOUR12" else "%H:%M:%S"
    return "%I:%M:%S %p"


def month_name(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def local(instant_ms: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant_ms // 1000, tz=zone)


def interval(start_ms: int, end_ms: int | None, duration: int, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "start": format_local(start_ms, zone),
        "end": format_local(end_ms, zone),
        "duration": duration,
    }
