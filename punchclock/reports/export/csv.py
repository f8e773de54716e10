"""CSV exports with the columns a Clockify user knows. The detailed export is written chunk by chunk (the
service streams it); summary and weekly exports are small and written from the report itself."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from punchclock.reports.render import format_duration_hms

if TYPE_CHECKING:
    from punchclock.reports.service import Names, Setup


def filename(kind: str, setup: Setup, ext: str = "csv") -> str:
    period = setup.period
    last = period.day(period.days - 1)
    return f"Clockify_Time_Report_{kind}_{period.first_day.isoformat()}-{last.isoformat()}.{ext}"


def detailed_columns(setup: Setup) -> list[str]:
    """The detailed export's columns (CSV and XLSX alike)."""
    cur = setup.currency
    columns = [
        "Project", "Client", "Description", "Task", "User", "Group", "Email", "Tags", "Billable",
        "Start Date", "Start Time", "End Date", "End Time", "Duration (h)", "Duration (decimal)",
    ]  # fmt: skip
    if setup.shown != "HIDE_AMOUNT":
        label = "Cost" if setup.shown == "COST" else "Billable"
        columns += [f"{label} Rate ({cur})", f"{label} Amount ({cur})"]
    return columns


# Entries per cache of formatted pieces (each stays small: pieces repeat, and past this they are not kept).
CACHE_LIMIT = 100_000


class DetailedWriter:
    """Detailed rows to CSV, about a microsecond or two a row: names come from dicts built once, and local
    dates and times from the wall-clock value (instant + the zone's offset), cached per day and second."""

    def __init__(self, setup: Setup, names: Names) -> None:
        self.setup = setup
        self.names = names
        self.period = setup.period
        self.rounding = setup.rounding
        self.cost = setup.shown == "COST"
        self.hide = setup.shown == "HIDE_AMOUNT"
        self.buffer = io.StringIO()
        self.out = csv.writer(self.buffer, lineterminator="\n")
        self._dates: dict[int, str] = {}
        self._times: dict[int, str] = {}
        # A year's export meets nearly all 86,400 seconds of the day: each is formatted from its minute's
        # text (the pattern around %S, formatted once a minute) instead of by strftime.
        self._minutes: dict[int, tuple[str, str]] = {}
        before, marker, after = setup.time_pattern.partition("%S")
        self._split_time = (before, after) if marker and "%S" not in after else None
        self._projects: dict[str, str] = {}
        self._users: dict[str, str] = {}
        self._tag_lists: dict[str, str] = {}
        self._tasks: dict[str, str] | None = None
        self._middles: dict[tuple[str | None, str, str | None, bool], str] = {}
        self._durations: dict[int, str] = {}
        self._amounts: dict[tuple[int, int], str] = {}

    def header(self) -> bytes:
        self.out.writerow(detailed_columns(self.setup))
        return self._take()

    def _take(self) -> bytes:
        data = self.buffer.getvalue().encode()
        self.buffer.seek(0)
        self.buffer.truncate()
        return data

    def _date(self, wall_day: int) -> str:
        text = self._dates.get(wall_day)
        if text is None:
            day = date(1970, 1, 1) + timedelta(days=wall_day)
            text = self._dates[wall_day] = quote(day.strftime(self.setup.date_pattern))
        return text

    def _time(self, second: int) -> str:
        text = self._times.get(second)
        if text is None:
            if self._split_time is None:
                moment = datetime(2000, 1, 1) + timedelta(seconds=second)
                text = self._times[second] = quote(moment.strftime(self.setup.time_pattern))
                return text
            minute, seconds = divmod(second, 60)
            parts = self._minutes.get(minute)
            if parts is None:
                moment = datetime(2000, 1, 1) + timedelta(minutes=minute)
                parts = self._minutes[minute] = (
                    moment.strftime(self._split_time[0]),
                    moment.strftime(self._split_time[1]),
                )
            text = self._times[second] = quote(f"{parts[0]}{seconds:02d}{parts[1]}")
        return text

    def _project(self, project_id: str | None) -> str:
        """`Project,Client,` (the description follows), quoted as needed, cached per project."""
        if not project_id:
            self._projects[""] = ",,"
            return ",,"
        found = self._projects.get(project_id)
        if found is None:
            p = self.names.projects.get(project_id)
            found = ",," if p is None else f"{quote(p['name'])},{quote(p['client_name'] or '')},"
            self._projects[project_id] = found
        return found

    def _user(self, user_id: str) -> str:
        """`User,Group,Email`, quoted as needed, cached per user."""
        found = self._users.get(user_id)
        if found is None:
            u = self.names.users.get(user_id)
            found = ",," if u is None else f"{quote(u['name'])},,{quote(u['email'])}"
            self._users[user_id] = found
        return found

    def _tags(self, tag_list: str) -> str:
        found = self._tag_lists.get(tag_list)
        if found is None:
            names = self.names.tags
            found = quote(", ".join(names.get(t, "") for t in tag_list.split(",")))
            if len(self._tag_lists) < CACHE_LIMIT:
                self._tag_lists[tag_list] = found
        return found

    def _middle(self, key: tuple[str | None, str, str | None, bool]) -> str:
        """`,Task,User,Group,Email,Tags,Billable,` for (task, user, tag ids, billable), cached."""
        task_id, user_id, tag_ids, billable = key
        if self._tasks is None:
            self._tasks = {k: quote(v) for k, v in self.names.tasks.items()}
        task = self._tasks.get(task_id, "") if task_id else ""
        tags = self._tags(tag_ids) if tag_ids else ""
        found = f",{task},{self._user(user_id)},{tags},{'Yes' if billable else 'No'},"
        if len(self._middles) < CACHE_LIMIT:
            self._middles[key] = found
        return found

    def _duration(self, seconds: int) -> str:
        """`,HH:MM:SS,decimal hours` for a duration, cached."""
        found = f",{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d},{seconds / 3600:.2f}"
        if len(self._durations) < CACHE_LIMIT:
            self._durations[seconds] = found
        return found

    def _money(self, rate: int, duration: int) -> str:
        """`,rate,amount` in major units for a rate and a duration (the amount depends on their product)."""
        found = f",{rate / 100:.2f},{rate * duration / 360000:.2f}"
        if len(self._amounts) < CACHE_LIMIT:
            self._amounts[(rate, duration)] = found
        return found

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        """Rows in queries.EXPORT_COLUMNS order, then the comma-separated tag ids. A line is a handful of
        cached pieces: `Project,Client,` per project, `,Task,User,Group,Email,Tags,Billable,` per
        combination of those, dates per day, times per second, durations per length, rate and amount per
        (rate, duration); only the description is looked at every time (quoted when it needs to be)."""
        dates, times, projects, middles = self._dates, self._times, self._projects, self._middles
        durations, amounts = self._durations, self._amounts
        date_of, time_of, project_of, middle_of = self._date, self._time, self._project, self._middle
        duration_of, money_of = self._duration, self._money
        offset_at, rounding, hi = self.period.offset_function(), self.rounding, self.period.hi_ms
        hide, cost = self.hide, self.cost
        lines: list[str] = []
        append = lines.append
        for (
            _id, description, user_id, project_id, task_id, billable, _start, end_ms, duration, hourly_rate,
            cost_rate, tag_ids, start_wall, end_wall,
        ) in cast("list[tuple[Any, ...]]", rows):  # fmt: skip
            if duration is None:
                duration = 0
            if rounding is not None:
                duration = rounding.apply(duration)
            # Local wall clocks of start and end come from the database (queries.wall_sql); an end past
            # the period is placed here, in case the zone's offset changed after the period.
            if end_ms > hi:
                end_wall = (end_ms + offset_at(end_ms)) // 1000
            start_day, start_second = divmod(start_wall, 86400)
            end_day, end_second = divmod(end_wall, 86400)
            if '"' in description or "," in description or "\n" in description or "\r" in description:
                description = quote(description)
            key = (task_id, user_id, tag_ids, billable)
            if hide:
                money = ""
            else:
                rate = (cost_rate or 0) if cost else (hourly_rate or 0) if billable else 0
                money = amounts.get((rate, duration)) or money_of(rate, duration)
            append(
                f"{projects.get(project_id or '') or project_of(project_id)}{description}"
                f"{middles.get(key) or middle_of(key)}"
                f"{dates.get(start_day) or date_of(start_day)},"
                f"{times.get(start_second) or time_of(start_second)},"
                f"{dates.get(end_day) or date_of(end_day)},{times.get(end_second) or time_of(end_second)}"
                f"{durations.get(duration) or duration_of(duration)}{money}"
            )
        lines.append("")
        return "\n".join(lines).encode()


def quote(text: str) -> str:
    """A CSV field: quoted (inner quotes doubled) when it holds a comma, quote or line break."""
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


_LEVEL_TITLES = {
    "PROJECT": "Project", "CLIENT": "Client", "TASK": "Task", "TAG": "Tag", "USER": "User",
    "USER_GROUP": "Group", "DATE": "Date", "WEEK": "Week", "MONTH": "Month", "TIMEENTRY": "Description",
}  # fmt: skip


class Hours(int):
    """A duration in seconds, shown as H:MM:SS (CSV) or as an Excel duration (XLSX)."""


Cell = str | int | float | Hours


def summary_table(
    report: dict[str, Any], levels: list[str], currency: str, hide: bool
) -> tuple[list[str], list[list[Cell]]]:
    """One line per leaf group: the group names of each level, the time and the amount (money as major
    units, time in decimal hours as a float)."""
    head = [_LEVEL_TITLES[level] for level in levels] + ["Time (h)", "Time (decimal)"]
    lines: list[list[Cell]] = []

    def walk(rows: list[dict[str, Any]], path: list[Cell]) -> None:
        for row in rows:
            here = [*path, row["name"]]
            if row.get("children"):
                walk(row["children"], here)
                continue
            line: list[Cell] = [*here, Hours(row["duration"]), round(row["duration"] / 3600, 2)]
            lines.append(line if hide else [*line, round(row["amount"] / 100, 2)])

    walk(report["groupOne"], [])
    return (head if hide else [*head, f"Amount ({currency})"]), lines


def weekly_table(report: dict[str, Any], group: str, hide: bool) -> tuple[list[str], list[list[Cell]]]:
    """One line per group and subgroup, one column per day, then the week's total."""
    days = [d["date"] for d in report["totalsByDay"]]
    outer, inner = ("User", "Project") if group == "USER" else ("Project", "User")
    head = [outer, inner, *days, "Total (h)"] + ([] if hide else ["Amount"])
    lines: list[list[Cell]] = []
    for row in report["groupOne"]:
        for child in row["children"]:
            line: list[Cell] = [row["name"], child["name"], *(Hours(d["duration"]) for d in child["days"])]
            line.append(Hours(child["duration"]))
            lines.append(line if hide else [*line, round(child["amount"] / 100, 2)])
    return head, lines


def _text(cell: Cell) -> str:
    if isinstance(cell, Hours):
        return format_duration_hms(int(cell))
    if isinstance(cell, float):
        return f"{cell:.2f}"
    return str(cell)


def _write(head: list[str], lines: list[list[Cell]]) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(head)
    out.writerows([_text(c) for c in line] for line in lines)
    return buffer.getvalue().encode()


def summary(report: dict[str, Any], levels: list[str], currency: str, hide: bool) -> bytes:
    return _write(*summary_table(report, levels, currency, hide))


def weekly(report: dict[str, Any], group: str, hide: bool) -> bytes:
    return _write(*weekly_table(report, group, hide))
