"""XLSX exports with the CSV exports' columns, as typed cells: dates and times are Excel dates and times in
the report's zone (shown in the caller's date and time format), durations are Excel durations (`[h]:mm:ss`),
decimal hours, rates and amounts are numbers.

The workbook is written with xlsxwriter's `constant_memory` mode (each row goes to a temporary file as it is
written) into a temporary file, which is then streamed back in chunks: a detailed export of a year never
holds its rows in memory, only the chunk being read.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter

from punchclock.reports.export.csv import Cell, Hours, detailed_columns
from punchclock.reports.export.files import stream_and_close

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from punchclock.reports.service import Names, Setup

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_EPOCH = datetime(1970, 1, 1)
_WIDE = {"Project": 28, "Client": 22, "Description": 40, "Task": 22, "User": 22, "Email": 28, "Tags": 24}


def _excel_pattern(strftime_pattern: str) -> str:
    """Our strftime date/time patterns as Excel number formats."""
    out = strftime_pattern
    for ours, theirs in (
        ("%Y", "yyyy"), ("%m", "mm"), ("%d", "dd"), ("%H", "hh"), ("%I", "hh"), ("%M", "mm"),
        ("%S", "ss"), ("%p", "AM/PM"),
    ):  # fmt: skip
        out = out.replace(ours, theirs)
    return out


class Book:
    """One workbook, one sheet, a bold header, column widths set before any row is written (constant
    memory mode writes rows as they come, so widths must be known first)."""

    def __init__(self, head: list[str], setup: Setup) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in chunks())
        self.book = xlsxwriter.Workbook(self.file, {"constant_memory": True, "in_memory": False})
        self.sheet: Worksheet = self.book.add_worksheet("Report")
        self.bold: Format = self.book.add_format({"bold": True})
        self.date: Format = self.book.add_format({"num_format": _excel_pattern(setup.date_pattern)})
        self.time: Format = self.book.add_format({"num_format": _excel_pattern(setup.time_pattern)})
        self.hours: Format = self.book.add_format({"num_format": "[h]:mm:ss"})
        self.number: Format = self.book.add_format({"num_format": "0.00"})
        for col, title in enumerate(head):
            self.sheet.set_column(col, col, max(_WIDE.get(title, 12), len(title) + 2))
        self.sheet.write_row(0, 0, head, self.bold)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def cells(self, line: Iterable[Cell]) -> None:
        sheet, row = self.sheet, self.row
        for col, cell in enumerate(line):
            if isinstance(cell, Hours):
                sheet.write_number(row, col, int(cell) / 86400, self.hours)
            elif isinstance(cell, float):
                sheet.write_number(row, col, cell, self.number)
            elif isinstance(cell, int):
                sheet.write_number(row, col, cell)
            else:
                sheet.write_string(row, col, cell)
        self.row = row + 1

    def finish(self) -> None:
        self.book.close()
        self.file.seek(0)

    def chunks(self) -> AsyncIterator[bytes]:
        return stream_and_close(self.file)


def table(head: list[str], lines: list[list[Cell]], setup: Setup) -> Book:
    """A small export (summary, weekly) from its table."""
    book = Book(head, setup)
    for line in lines:
        book.cells(line)
    book.finish()
    return book


class DetailedSheet:
    """Detailed rows (queries.EXPORT_COLUMNS order, then the comma-separated tag ids) to typed cells."""

    def __init__(self, setup: Setup, names: Names) -> None:
        self.setup, self.names = setup, names
        self.book = Book(detailed_columns(setup), setup)
        self.offset_at = setup.period.offset_function()

    def _project(self, project_id: str | None) -> tuple[str, str]:
        p = self.names.projects.get(project_id) if project_id else None
        return ("", "") if p is None else (str(p["name"]), str(p["client_name"] or ""))

    def rows(self, rows: Sequence[Sequence[Any]]) -> None:
        setup, names, book = self.setup, self.names, self.book
        sheet, r_at = book.sheet, self.offset_at
        hide, cost = setup.shown == "HIDE_AMOUNT", setup.shown == "COST"
        for r in rows:
            duration = int(r[8] or 0)
            if setup.rounding is not None:
                duration = setup.rounding.apply(duration)
            start = _EPOCH + timedelta(milliseconds=r[6] + r_at(r[6]))
            end = _EPOCH + timedelta(milliseconds=r[7] + r_at(r[7]))
            project, client = self._project(r[3])
            user = names.users.get(r[2])
            tags = ", ".join(names.tags.get(t, "") for t in r[11].split(",")) if r[11] else ""
            row = book.row
            sheet.write_string(row, 0, project)
            sheet.write_string(row, 1, client)
            sheet.write_string(row, 2, r[1] or "")
            sheet.write_string(row, 3, names.tasks.get(r[4], "") if r[4] else "")
            sheet.write_string(row, 4, str(user["name"]) if user else "")
            sheet.write_string(row, 5, "")
            sheet.write_string(row, 6, str(user["email"]) if user else "")
            sheet.write_string(row, 7, tags)
            sheet.write_string(row, 8, "Yes" if r[5] else "No")
            sheet.write_datetime(row, 9, start.replace(hour=0, minute=0, second=0, microsecond=0), book.date)
            sheet.write_number(
                row, 10, (start.hour * 3600 + start.minute * 60 + start.second) / 86400, book.time
            )
            sheet.write_datetime(row, 11, end.replace(hour=0, minute=0, second=0, microsecond=0), book.date)
            sheet.write_number(row, 12, (end.hour * 3600 + end.minute * 60 + end.second) / 86400, book.time)
            sheet.write_number(row, 13, duration / 86400, book.hours)
            sheet.write_number(row, 14, round(duration / 3600, 2), book.number)
            if not hide:
                rate = (r[10] or 0) if cost else (r[9] or 0) if r[5] else 0
                sheet.write_number(row, 15, rate / 100, book.number)
                sheet.write_number(row, 16, round(rate * duration / 360000, 2), book.number)
            book.row = row + 1
