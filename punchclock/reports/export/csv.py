"""CSV exports with the columns a Clockify user knows. The detailed export is written chunk by chunk (the
service streams it); summary and weekly exports are small and written from the report itself."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from punchclock.kit.db import Row
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
        self._projects: dict[str, str] = {}
        self._users: dict[str, str] = {}
        self._tag_lists: dict[str, str] = {}
        self._tasks: dict[str, str] | None = None

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
            moment = datetime(2000, 1, 1) + timedelta(seconds=second)
            text = self._times[second] = quote(moment.strftime(self.setup.time_pattern))
        return text

    def _project(self, project_id: str | None) -> str:
        """`Project,Client`, quoted as needed, cached per project."""
        if not project_id:
            self._projects[""] = ","
            return ","
        found = self._projects.get(project_id)
        if found is None:
            p = self.names.projects.get(project_id)
            found = "," if p is None else f"{quote(p['name'])},{quote(p['client_name'] or '')}"
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
            if len(self._tag_lists) < 100_000:
                self._tag_lists[tag_list] = found
        return found

    def rows(self, rows: list[Row]) -> bytes:
        """Rows in queries.EXPORT_COLUMNS order, then the comma-separated tag ids. One f-string a row:
        names come quoted from caches (looked up inline: a call per field would double the cost),
        numbers and dates never need quoting, descriptions are checked."""
        if self._tasks is None:
            self._tasks = {k: quote(v) for k, v in self.names.tasks.items()}
        tasks = self._tasks
        dates, times, projects, users, tag_lists = (
            self._dates, self._times, self._projects, self._users, self._tag_lists
        )  # fmt: skip
        offset_at, rounding = self.period.offset_function(), self.rounding
        lo, hi, first_offset = self.period.lo_ms, self.period.hi_ms, self.period.offsets[0][1]
        steady = len(self.period.offsets) == 1
        hide, cost = self.hide, self.cost
        lines: list[str] = []
        append = lines.append
        for r in rows:
            duration = int(r[8] or 0)
            if rounding is not None:
                duration = rounding.apply(duration)
            start_ms, end_ms = r[6], r[7]
            if steady and lo <= start_ms and end_ms <= hi:
                start_wall = (start_ms + first_offset) // 1000
                end_wall = (end_ms + first_offset) // 1000
            else:
                start_wall = (start_ms + offset_at(start_ms)) // 1000
                end_wall = (end_ms + offset_at(end_ms)) // 1000
            start_day, end_day = start_wall // 86400, end_wall // 86400
            start_second, end_second = start_wall % 86400, end_wall % 86400
            billable = r[5]
            description = r[1]
            if '"' in description or "," in description or "\n" in description or "\r" in description:
                description = quote(description)
            tag_ids = r[11]
            line = (
                f"{projects.get(r[3] or '') or self._project(r[3])},{description},"
                f"{tasks.get(r[4], '') if r[4] else ''},{users.get(r[2]) or self._user(r[2])},"
                f"{(tag_lists.get(tag_ids) or self._tags(tag_ids)) if tag_ids else ''},"
                f"{'Yes' if billable else 'No'},"
                f"{dates.get(start_day) or self._date(start_day)},"
                f"{times.get(start_second) or self._time(start_second)},"
                f"{dates.get(end_day) or self._date(end_day)},"
                f"{times.get(end_second) or self._time(end_second)},"
                f"{duration // 3600:02d}:{duration // 60 % 60:02d}:{duration % 60:02d},{duration / 3600:.2f}"
            )
            if not hide:
                rate = (r[10] or 0) if cost else (r[9] or 0) if billable else 0
                line += f",{rate / 100:.2f},{rate * duration / 360000:.2f}"
            append(line)
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
