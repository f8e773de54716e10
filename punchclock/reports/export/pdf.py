"""PDF exports of the summary, detailed and weekly reports, meant to be printed.

Choices where nothing prescribes one:
- A4 (ISO 216), the paper of nearly every country outside North America; its width (210 mm) is within
  Letter's (216 mm) and the margins (12 mm) leave room for Letter's 18 mm shorter height when a printer
  scales to fit. The summary is portrait (charts above the table), the detailed and weekly reports are
  landscape (their tables are wide).
- Text is set in DejaVu Sans Condensed (regular and bold), bundled in fonts/ with its licence and
  embedded as subsets (only the glyphs a document uses), so the names people give projects, clients,
  tags and entries print in their own script: Latin with every European accent (and Vietnamese), Greek,
  Cyrillic, Armenian, Georgian. Hebrew and Arabic letters are there too, but set left to right and
  unjoined (no bidirectional reordering, no shaping). Bundled rather than looked up on the system: a
  fresh machine or a slim container image has no fonts at all, and one font everywhere gives the same
  widths, so the same cuts and pages on every host. Condensed rather than DejaVu Sans: the same glyphs,
  but widths within a few percent of Helvetica's where DejaVu Sans is 12 to 22% wider (dates, times and
  names that fit their columns before still do, and the weekly table's seven day columns leave room for
  the names).
- DejaVu has no Chinese, Japanese or Korean (nor Thai, Devanagari...): those print as empty boxes unless
  PUNCHCLOCK_PDF_FONT names a TrueType file that has them (.ttf, or a .ttc's first face; reportlab
  reads no PostScript-flavoured .otf, such as Noto Sans CJK's), and PUNCHCLOCK_PDF_FONT_BOLD its bold
  face (the regular one serves for bold when that is unset). A file that cannot be read is logged and
  DejaVu Sans Condensed is used.
- Cells that do not fit their column are cut with an ellipsis and rows stay one line high (a detailed
  report of a year is thousands of pages: one line a row keeps it readable and fast). Table cells are
  written as PDF text operators, measured and encoded here (see Text), not through reportlab's text
  objects: a detailed export writes millions of cells.
- The summary's bar chart shows time per day up to 31 days, per week (the report's week start) up to 26
  weeks, per month up to 36 months, per year beyond: a bar stays wide enough to read. Its donut shows the
  first grouping level's nine largest groups and "Other", with a legend (name, time, share).
- Amounts and their columns follow the CSV/XLSX exports exactly (the same `shown` setting, so HIDE_AMOUNT
  and the member visibility rules hide them here too). Every page but the first repeats a short heading
  and the table's header row; every page is numbered "Page n of m" (m is a form drawn once at the end).

Memory: reportlab keeps every page of a document until it is saved. Each finished page's content is
therefore compressed at once and spilled to a temporary file, leaving about 2 kB of bookkeeping a page in
memory (5 MB for a 250,000-row, 6,000-page report); saving reads the spilled pages back while reportlab
assembles the final file in memory before writing it (about 2.5 times the file's size at that moment;
the file takes 6 to 8 MB per 100,000 rows). Rows are never held beyond the chunk being written. The document
is written off the event loop into a temporary file, which is then streamed back in chunks.
"""

from __future__ import annotations

import functools
import logging
import re
import tempfile
import threading
import zlib
from bisect import bisect_right
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.doughnut import Doughnut
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from punchclock.reports.export.csv import Cell, Hours
from punchclock.reports.export.files import stream_and_close
from punchclock.reports.render import MONTHS, format_duration_hms
from punchclock.settings import Settings

if TYPE_CHECKING:
    from punchclock.reports.service import Names, Setup

MEDIA_TYPE = "application/pdf"
MARGIN = 34.0  # 12 mm
FONT, BOLD = "PunchclockSans", "PunchclockSans-Bold"  # names registered with reportlab (see faces())
FONTS = Path(__file__).with_name("fonts")
SIZE = 7.5  # table text
ROW = 11.5  # table row height
PAD = 3.0  # cell padding, each side
BAND = colors.Color(0.95, 0.95, 0.95)
RULE = colors.Color(0.6, 0.6, 0.6)
INK = colors.Color(0.1, 0.1, 0.1)
GREY = colors.Color(0.4, 0.4, 0.4)
PALETTE = [
    "#03A9F4", "#4CAF50", "#FF9800", "#9C27B0", "#F44336", "#3F51B5", "#009688", "#E91E63", "#795548",
    "#CDDC39",
]  # fmt: skip
OTHER_COLOR = "#B0BEC5"
DONUT_SLICES = 9
TITLES = {"SUMMARY": "Summary report", "DETAILED": "Detailed report", "WEEKLY": "Weekly report"}


@dataclass
class Column:
    title: str
    width: float
    right: bool = False  # numbers are right-aligned
    repeats: bool = True  # the same texts come back (names, dates): their cut is remembered


class _Spilled(PDFStream):  # type: ignore[misc]
    """A page's content stream, already compressed, read back from the spool file when the document is
    saved (reportlab would otherwise hold every page's text until then)."""

    def __init__(self, spool: IO[bytes], offset: int, length: int) -> None:
        dictionary = PDFDictionary()
        dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
        super().__init__(dictionary, b"")
        self.spool, self.offset, self.length = spool, offset, length

    def format(self, document: Any) -> bytes:
        self.spool.seek(self.offset)
        self.content = self.spool.read(self.length)
        try:
            data: bytes = super().format(document)
        finally:
            self.content = b""
        return data


_ESCAPED = [chr(b) if 32 <= b < 127 else f"\\{b:03o}" for b in range(256)]
_SPECIAL = re.compile(rb"[^\x20-\x27\x2a-\x5b\x5d-\x7e]")  # not printable ASCII, or ( ) \\
for _special in b"()\\":
    _ESCAPED[_special] = "\\" + chr(_special)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # line breaks, tabs...: printed as spaces
ELLIPSIS = "\u2026"
log = logging.getLogger("punchclock")


def _literal(data: bytes) -> str:
    """The body of a PDF string literal holding these bytes."""
    if not _SPECIAL.search(data):
        return data.decode()
    return "".join([_ESCAPED[b] for b in data])


class _Widths(dict[str, float]):
    """Advance widths by character (1/1000 em); a character the font lacks has its .notdef's width."""

    def __init__(self, widths: dict[str, float], missing: float) -> None:
        super().__init__(widths)
        self.missing = missing

    def __missing__(self, key: str) -> float:
        return self.missing


class Face:
    """A TrueType face registered with reportlab, with the metrics the table layout reads: one per face
    and process, shared by every document (reportlab keeps each document's subsets apart)."""

    def __init__(self, font: TTFont) -> None:
        self.font = font
        face = font.face
        self.widths = _Widths({chr(c): w for c, w in face.charWidths.items()}, face.defaultWidth)
        self.ascii = [self.widths[chr(b)] for b in range(128)]  # per byte, for the common all-ASCII text
        # reportlab gives printable ASCII its own codes in subset 0 when the font has all of it.
        self.ascii_direct = all(c in face.charToGlyph for c in range(32, 127))
        # Saving a document cuts its subsets out of the font file, read at a cursor the face keeps: two
        # documents saved at once (exports run in threads) would read each other's glyphs.
        make, lock = face.makeSubset, threading.Lock()

        def make_subset(subset: list[int]) -> bytes:
            with lock:
                data: bytes = make(subset)
            return data

        face.makeSubset = make_subset


def _register(regular: str | Path, bold: str | Path) -> tuple[Face, Face]:
    fonts = TTFont(FONT, str(regular), asciiReadable=True), TTFont(BOLD, str(bold), asciiReadable=True)
    for font in fonts:
        registerFont(font)
    return Face(fonts[0]), Face(fonts[1])


@functools.cache
def _load() -> tuple[Face, Face]:
    settings = Settings.from_env()
    if settings.pdf_font:
        try:
            return _register(settings.pdf_font, settings.pdf_font_bold or settings.pdf_font)
        except (OSError, TTFError) as exc:
            log.warning("PDF exports: PUNCHCLOCK_PDF_FONT(_BOLD) unusable, using the bundled font: %s", exc)
    return _register(FONTS / "DejaVuSansCondensed.ttf", FONTS / "DejaVuSansCondensed-Bold.ttf")


_LOCK = threading.Lock()


def faces() -> tuple[Face, Face]:
    """The regular and bold faces, loaded and registered (as FONT and BOLD) on first use: the bundled
    DejaVu Sans Condensed, or the files the settings name."""
    with _LOCK:
        return _load()


_ELSEWHERE = "\uffff"  # in a translated literal: a character of another subset than 0


class _Literals(dict[int, str]):
    """str.translate's table for one Text: a code point's piece of a subset-0 string literal (its byte,
    escaped when needed), or _ELSEWHERE; filled on first sight of each character."""

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, key: int) -> str:
        code = self.text.code(chr(key))
        found = self[key] = _ESCAPED[code] if code < 256 else _ELSEWHERE
        return found


class Text:
    """One face's table text on one document. reportlab splits a TrueType font into subsets of 256 glyphs
    (PDF simple fonts); a character's code here is subset * 256 + its byte in that subset, asked of
    reportlab (splitString) on first sight so that the canvas's own strings and these cells share the
    subsets. Printable ASCII has its own byte in subset 0 (the path the standard fonts took: bytes,
    summed widths, a literal); other text is translated to a literal by a table (str.translate), and
    only a cell with characters past the first subset's 256 is written character by character. A cell
    leaves subset 0 selected, as it found it."""

    def __init__(self, face: Face, doc: Any) -> None:
        self.face, self.doc = face, doc
        self.codes: dict[str, int] = {}
        self.literals = _Literals(self)
        self.names: list[str] = []  # each subset's resource name (/F1+0...)
        self.ellipsis = _ESCAPED[self.code(ELLIPSIS)]  # the first character outside ASCII: in subset 0

    def code(self, char: str) -> int:
        found = self.codes.get(char)
        if found is None:
            ((subset, data),) = self.face.font.splitString(char, self.doc)
            found = self.codes[char] = subset * 256 + data[0]
        return found

    def name(self, subset: int) -> str:
        while len(self.names) <= subset:
            self.names.append(self.face.font.getSubsetInternalName(len(self.names), self.doc))
        return self.names[subset]

    def cut(self, text: str, width: float) -> tuple[str, float]:
        """(PDF text operators, width in points) of the text, cut with an ellipsis when wider than
        `width` points."""
        limit = width * 1000 / SIZE
        face = self.face
        if text.isascii() and text.isprintable() and face.ascii_direct:
            widths = face.ascii
            data = text.encode()
            used = sum([widths[b] for b in data])
            if used <= limit:
                return f"({_literal(data)}) Tj", used * SIZE / 1000
            ends = list(accumulate(map(widths.__getitem__, data)))  # ends[n]: the first n + 1 bytes
            data = data[: bisect_right(ends, limit - face.widths[ELLIPSIS])].rstrip()
            used = (ends[len(data) - 1] if data else 0.0) + face.widths[ELLIPSIS]
            return f"({_literal(data)}{self.ellipsis}) Tj", used * SIZE / 1000
        elif not text.isprintable():
            text = _CONTROL.sub(" ", text)
        chars = face.widths
        used = sum(map(chars.__getitem__, text))
        if used > limit:
            ends = list(accumulate(map(chars.__getitem__, text)))  # ends[n]: the first n + 1 characters
            text = text[: bisect_right(ends, limit - chars[ELLIPSIS])].rstrip()
            used = (ends[len(text) - 1] if text else 0.0) + chars[ELLIPSIS]
            text += ELLIPSIS
        shown = text.translate(self.literals)
        if _ELSEWHERE not in shown:
            return f"({shown}) Tj", used * SIZE / 1000
        parts, subset, run = [], 0, bytearray()
        for code in map(self.code, text):
            if code >> 8 != subset:
                if run:
                    parts.append(f"({_literal(bytes(run))}) Tj")
                    run.clear()
                subset = code >> 8
                parts.append(f"{self.name(subset)} {SIZE} Tf")
            run.append(code & 0xFF)
        parts.append(f"({_literal(bytes(run))}) Tj")
        if subset:
            parts.append(f"{self.name(0)} {SIZE} Tf")
        return " ".join(parts), used * SIZE / 1000


def fit(text: str, width: float, font: str = FONT, size: float = SIZE) -> str:
    """The text, cut with an ellipsis when it is wider than `width` points."""
    faces()
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def money(value: float, currency: str = "") -> str:
    text = f"{value:,.2f}"
    return f"{text} {currency}" if currency else text


def range_text(setup: Setup) -> str:
    period = setup.period
    first, last = period.first_day, period.day(period.days - 1)
    return f"{first.strftime(setup.date_pattern)} - {last.strftime(setup.date_pattern)}"


def totals_text(setup: Setup, totals: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, value) pairs of the totals line: time, billable time and, when amounts are shown, the
    amount in the workspace currency."""
    t = totals or {}
    pairs = [
        ("Total time", format_duration_hms(int(t.get("totalTime", 0)))),
        ("Billable time", format_duration_hms(int(t.get("totalBillableTime", 0)))),
    ]
    if setup.shown != "HIDE_AMOUNT":
        label = {"COST": "Cost", "PROFIT": "Profit"}.get(setup.shown, "Billable amount")
        pairs.append((label, money(float(t.get("totalAmount", 0)) / 100, setup.currency)))
    pairs.append(("Entries", str(int(t.get("entriesCount", 0)))))
    return pairs


class Document:
    """One PDF on a temporary file: a first-page heading, then tables written row by row onto as many
    pages as they need."""

    def __init__(self, setup: Setup, kind: str, wide: bool) -> None:
        self.setup = setup
        self.kind = kind
        self.size = landscape(A4) if wide else A4
        self.width, self.height = self.size
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in chunks())
        self.spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish())
        regular, bold = faces()
        # A TrueType initial font: no page then names Helvetica, reportlab's default, in its preamble.
        self.canvas = Canvas(self.file, pagesize=self.size, pageCompression=0, initialFontName=FONT)
        self.text = (Text(regular, self.canvas._doc), Text(bold, self.canvas._doc))  # [bold]
        title = f"{TITLES[kind]} {range_text(setup)}"
        self.canvas.setTitle(title)
        self.canvas.setAuthor("punchclock")
        self.canvas.setCreator("punchclock")
        self.canvas.setPageCallBack(self._spill)
        self.page = 1
        self.y = self.height - MARGIN
        self.columns: list[Column] = []
        self.band = False
        self._fits: dict[tuple[str, float, bool], tuple[str, float]] = {}

    # pages

    def _spill(self, _number: int) -> None:
        """Called by reportlab right after a page is added: its text goes, compressed, to the spool."""
        page = self.canvas._doc.Pages.pages[-1]
        stream = page.stream
        if not stream:
            return
        data = zlib.compress(stream.encode("utf8") if isinstance(stream, str) else stream)
        offset = self.spool.seek(0, 2)
        self.spool.write(data)
        page.Contents = _Spilled(self.spool, offset, len(data))
        page.stream = None

    def _footer(self) -> None:
        c = self.canvas
        c.setFont(FONT, 7)
        c.setFillColor(GREY)
        c.drawString(MARGIN, MARGIN / 2, f"{TITLES[self.kind]} · {range_text(self.setup)}")
        label = f"Page {self.page} of "
        x = self.width - MARGIN - 24
        c.drawString(x, MARGIN / 2, label)
        c.saveState()
        c.translate(x + stringWidth(label, FONT, 7), MARGIN / 2)
        c.doForm("pagecount")
        c.restoreState()

    def _end_page(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.page += 1

    def new_page(self) -> None:
        self._end_page()
        c = self.canvas
        self.y = self.height - MARGIN
        c.setFont(BOLD, 9)
        c.setFillColor(INK)
        c.drawString(MARGIN, self.y - 9, f"{TITLES[self.kind]} · {range_text(self.setup)}")
        self.y -= 18
        if self.columns:
            self._header()

    def heading(self, totals: dict[str, Any] | None) -> None:
        """The first page's title, range, zone and totals."""
        c, setup = self.canvas, self.setup
        c.setFillColor(INK)
        c.setFont(BOLD, 18)
        c.drawString(MARGIN, self.y - 18, TITLES[self.kind])
        c.setFont(FONT, 11)
        c.drawString(MARGIN, self.y - 36, f"{range_text(setup)}   ({setup.period.zone_name})")
        self.y -= 58
        x = MARGIN
        for label, value in totals_text(setup, totals):
            c.setFont(FONT, 8)
            c.setFillColor(GREY)
            c.drawString(x, self.y, label)
            c.setFont(BOLD, 12)
            c.setFillColor(INK)
            c.drawString(x, self.y - 15, value)
            x += max(110.0, stringWidth(value, BOLD, 12) + 24)
        self.y -= 30

    def space(self, height: float) -> None:
        """Start a new page unless `height` points are left on this one."""
        if self.y - height < MARGIN + 10:
            self.new_page()

    # tables

    def table(self, columns: list[Column]) -> None:
        self.columns = columns
        self.space(ROW * 3)
        self._header()

    def _header(self) -> None:
        c = self.canvas
        c.setFillColor(INK)
        c.setFont(BOLD, SIZE)
        x, y = MARGIN, self.y - ROW + 3.5
        for col in self.columns:
            title = fit(col.title, col.width - 2 * PAD, BOLD)
            if col.right:
                c.drawRightString(x + col.width - PAD, y, title)
            else:
                c.drawString(x + PAD, y, title)
            x += col.width
        self.y -= ROW
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(MARGIN, self.y, x, self.y)
        self.band = False

    def _cut(self, text: str, width: float, bold: bool, keep: bool) -> tuple[str, float]:
        key = (text, width, bold)
        found = self._fits.get(key) if keep else None
        if found is None:
            found = self.text[bold].cut(text, width)
            if keep and len(self._fits) < 20_000:
                self._fits[key] = found
        return found

    def row(self, cells: Sequence[str], bold: bool = False) -> None:
        """One table line, written as PDF text operators (a few microseconds a cell, where the canvas's
        text objects take tens), each cell cut to its column's width."""
        if self.y - ROW < MARGIN + 10:
            self.new_page()
        c = self.canvas
        width = sum(col.width for col in self.columns)
        top = self.y - ROW
        if bold:
            c.addLiteral(f"q 0.6 G 0.6 w {MARGIN:.2f} {self.y:.2f} m {MARGIN + width:.2f} {self.y:.2f} l S Q")
        elif self.band:
            c.addLiteral(f"q 0.95 g {MARGIN:.2f} {top:.2f} {width:.2f} {ROW:.2f} re f Q")
        self.band = not self.band
        parts = [f"q 0.1 g BT {self.text[bold].name(0)} {SIZE} Tf"]
        x, y = MARGIN, top + 3.5
        for col, cell in zip(self.columns, cells, strict=False):
            if cell:
                shown, used = self._cut(cell, col.width - 2 * PAD, bold, col.repeats)
                left = x + col.width - PAD - used if col.right else x + PAD
                parts.append(f"1 0 0 1 {left:.2f} {y:.2f} Tm {shown}")
            x += col.width
        parts.append("ET Q")
        c.addLiteral(" ".join(parts))
        self.y = top

    def note(self, message: str) -> None:
        self.space(20)
        c = self.canvas
        c.setFont(FONT, 10)
        c.setFillColor(GREY)
        c.drawString(MARGIN, self.y - 14, message)
        self.y -= 24

    def drawing(self, drawing: Drawing) -> None:
        self.space(drawing.height)
        drawing.initialFontName = FONT  # not Helvetica, reportlab's default
        renderPDF.draw(drawing, self.canvas, MARGIN, self.y - drawing.height)
        self.y -= drawing.height + 8

    # the end

    def finish(self) -> None:
        """Number the pages, save, and rewind the file for reading."""
        self._footer()
        self.canvas.showPage()
        c = self.canvas
        c.beginForm("pagecount")
        c.setFont(FONT, 7)
        c.setFillColor(GREY)
        c.drawString(0, 0, str(self.page))
        c.endForm()
        try:
            c.save()
        finally:
            self.spool.close()
        self.file.seek(0)

    def close(self) -> None:
        self.spool.close()
        self.file.close()

    def chunks(self) -> AsyncIterator[bytes]:
        return stream_and_close(self.file)


def _spread(width: float, fixed: list[float | None], weights: list[float]) -> list[float]:
    """Column widths: the fixed ones as given, the others share what is left by their weights."""
    left = width - sum(w for w in fixed if w is not None)
    share = sum(weight for w, weight in zip(fixed, weights, strict=True) if w is None) or 1.0
    return [
        w if w is not None else max(30.0, left * weight / share)
        for w, weight in zip(fixed, weights, strict=True)
    ]


def _numbers(title: str, least: float) -> float:
    """A number column's width: `least`, or more when its bold title needs it."""
    return max(least, float(stringWidth(title, BOLD, SIZE)) + 2 * PAD + 2)


def _cell(cell: Cell) -> str:
    if isinstance(cell, Hours):
        return format_duration_hms(int(cell))
    if isinstance(cell, float):
        return f"{cell:,.2f}"
    return str(cell)


def _numeric(title: str) -> bool:
    return title.startswith(("Time (", "Amount", "Total (")) or title[:4].isdigit()


# Summary -----------------------------------------------------------------------------------------------


def _buckets(setup: Setup, per_day: dict[int, int]) -> tuple[str, list[str], list[float]]:
    """(unit, labels, hours) of the bar chart: days, weeks, months or years, whichever keeps the bar
    count readable over the range."""
    period = setup.period
    days = period.days
    keyed: dict[Any, int] = {}
    labels: dict[Any, str] = {}
    order: list[Any] = []

    def add(key: Any, label: str, seconds: int) -> None:
        if key not in keyed:
            keyed[key] = 0
            labels[key] = label
            order.append(key)
        keyed[key] += seconds

    if days <= 31:
        unit = "day"
        for i in range(days):
            d = period.day(i)
            add(i, f"{d:%a} {d.day}" if days <= 14 else f"{d.day}", per_day.get(i, 0))
    elif days <= 26 * 7:
        unit = "week"
        shift = period.week_shift(setup.week_start)
        for i in range(days):
            first = period.first_day + timedelta(days=(i + shift) // 7 * 7 - shift)
            add(first, f"{MONTHS[first.month - 1][:3]} {first.day}", per_day.get(i, 0))
    elif days <= 36 * 31:
        unit = "month"
        for i in range(days):
            d = period.day(i)
            add((d.year, d.month), f"{MONTHS[d.month - 1][:3]} {d.year % 100:02d}", per_day.get(i, 0))
    else:
        unit = "year"
        years: dict[int, int] = {}
        for i, seconds in per_day.items():
            years[period.day(i).year] = years.get(period.day(i).year, 0) + seconds
        for year in range(period.first_day.year, period.day(days - 1).year + 1):
            add(year, str(year), years.get(year, 0))
    return unit, [labels[k] for k in order], [keyed[k] / 3600 for k in order]


def _bar_chart(setup: Setup, per_day: dict[int, int], width: float) -> Drawing:
    unit, labels, hours = _buckets(setup, per_day)
    drawing = Drawing(width, 190)
    drawing.add(String(0, 178, f"Time per {unit} (hours)", fontName=BOLD, fontSize=9, fillColor=INK))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 34, width - 44, 130
    chart.data = [hours]
    chart.bars[0].fillColor = colors.HexColor(PALETTE[0])
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 2 if len(hours) > 20 else 6
    chart.valueAxis.valueMin = 0
    top = max(hours) if hours else 0
    chart.valueAxis.valueMax = max(1.0, top * 1.1)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%g"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5 if len(labels) > 14 else 7
    if len(labels) > 16:
        chart.categoryAxis.labels.angle = 90
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dy = -2
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
    drawing.add(chart)
    return drawing


def _colors(groups: list[dict[str, Any]]) -> list[Any]:
    """A slice colour per group: the project's own colour when it has one no other slice took, else the
    next unused colour of the palette (projects often share Clockify's default colour)."""
    taken: set[str] = set()
    spare = iter(PALETTE * (len(groups) // len(PALETTE) + 1))
    out = []
    for group in groups:
        value = str(group.get("color") or "").upper()
        if not re.fullmatch(r"#[0-9A-F]{6}", value) or value in taken:
            value = next(c for c in spare if c not in taken or len(taken) >= len(PALETTE))
        taken.add(value)
        out.append(colors.HexColor(value))
    return out


def _donut(report: dict[str, Any], level_title: str, width: float) -> Drawing | None:
    groups = [g for g in report["groupOne"] if g["duration"] > 0]
    if not groups:
        return None
    groups.sort(key=lambda g: -g["duration"])
    total = sum(g["duration"] for g in groups)
    shown = groups if len(groups) <= DONUT_SLICES + 1 else groups[:DONUT_SLICES]  # no lone "Other"
    slices = [(g["name"], g["duration"], c) for g, c in zip(shown, _colors(shown), strict=True)]
    rest = sum(g["duration"] for g in groups[len(shown) :])
    if rest:
        slices.append(("Other", rest, colors.HexColor(OTHER_COLOR)))
    drawing = Drawing(width, 200)
    drawing.add(String(0, 188, f"Time by {level_title.lower()}", fontName=BOLD, fontSize=9, fillColor=INK))
    donut = Doughnut()
    donut.x, donut.y, donut.width, donut.height = 10, 10, 165, 165
    donut.data = [seconds for _, seconds, _ in slices] if len(slices) > 1 else [slices[0][1], 0.0001]
    donut.labels = None
    donut.innerRadiusFraction = 0.55
    donut.strokeColor = colors.white
    donut.slices.strokeWidth = 0.8
    donut.slices.strokeColor = colors.white
    for i, (_, _, color) in enumerate(slices):
        donut.slices[i].fillColor = color
    if len(slices) == 1:
        donut.slices[1].fillColor = slices[0][2]
    drawing.add(donut)
    legend = Legend()
    legend.x, legend.y = 200, 170
    legend.alignment = "right"
    legend.fontName = FONT
    legend.fontSize = 8
    legend.dy = legend.dx = 7
    legend.deltay = 14
    legend.columnMaximum = 10
    legend.colorNamePairs = [
        (
            color,
            f"{fit(name, 200, FONT, 8)}   {format_duration_hms(int(seconds))}   {seconds * 100 / total:.1f}%",
        )
        for name, seconds, color in slices
    ]
    drawing.add(legend)
    return drawing


def summary(
    setup: Setup,
    report: dict[str, Any],
    levels: list[str],
    per_day: dict[int, int],
    head: list[str],
    lines: list[list[Cell]],
) -> Document:
    """Title, totals, time per day, the first level's donut, then the grouped table (the XLSX's rows)."""
    doc = Document(setup, "SUMMARY", wide=False)
    try:
        totals = report["totals"][0] if report["totals"] else None
        doc.heading(totals)
        usable = doc.width - 2 * MARGIN
        if totals is None or not totals.get("totalTime"):
            doc.note("No time tracked in this range.")
        else:
            doc.drawing(_bar_chart(setup, per_day, usable))
            donut = _donut(report, head[0], usable)
            if donut is not None:
                doc.drawing(donut)
        numeric = [_numeric(t) for t in head]
        fixed: list[float | None] = [
            _numbers(t, 70.0 if t.startswith("Amount") else 62.0) if n else None
            for t, n in zip(head, numeric, strict=True)
        ]
        widths = _spread(usable, fixed, [1.0] * len(head))
        doc.table([Column(t, w, n) for t, w, n in zip(head, widths, numeric, strict=True)])
        for line in lines:
            doc.row([_cell(c) for c in line])
        if lines and totals is not None:
            depth = len(levels)
            total_line = ["Total", *[""] * (depth - 1), format_duration_hms(int(totals["totalTime"]))]
            total_line.append(f"{totals['totalTime'] / 3600:,.2f}")
            if setup.shown != "HIDE_AMOUNT":
                total_line.append(f"{totals['totalAmount'] / 100:,.2f}")
            doc.row(total_line, bold=True)
        doc.finish()
    except BaseException:
        doc.close()
        raise
    return doc


# Weekly ------------------------------------------------------------------------------------------------


def weekly(setup: Setup, report: dict[str, Any], head: list[str], lines: list[list[Cell]]) -> Document:
    """Title, totals, then the weekly table (group, subgroup, a column a day, the week's total)."""
    doc = Document(setup, "WEEKLY", wide=True)
    try:
        totals = report["totals"][0] if report["totals"] and report["totals"][0] else None
        doc.heading(totals)
        titles = []
        for title in head:
            try:
                d = date.fromisoformat(title)
            except ValueError:
                titles.append(f"Amount ({setup.currency})" if title == "Amount" else title)
                continue
            titles.append(f"{d:%a} {d.strftime(setup.date_pattern)}")
        numeric = [i >= 2 for i in range(len(head))]
        day_width = max(62.0, stringWidth(titles[2], BOLD, SIZE) + 2 * PAD + 2) if len(titles) > 2 else 62.0
        fixed: list[float | None] = [
            (day_width if 2 <= i < 9 else _numbers(titles[i], 62.0)) if n else None
            for i, n in enumerate(numeric)
        ]
        widths = _spread(doc.width - 2 * MARGIN, fixed, [1.0] * len(head))
        doc.table([Column(t, w, n) for t, w, n in zip(titles, widths, numeric, strict=True)])
        for line in lines:
            doc.row([_cell(c) if not (isinstance(c, Hours) and int(c) == 0) else "" for c in line])
        if lines and totals is not None:
            days = [format_duration_hms(int(d["duration"])) for d in report["totalsByDay"]]
            total_line = ["Total", "", *days, format_duration_hms(int(totals["totalTime"]))]
            if setup.shown != "HIDE_AMOUNT":
                total_line.append(f"{totals['totalAmount'] / 100:,.2f}")
            doc.row(total_line, bold=True)
        if not lines:
            doc.note("No time tracked in this week.")
        doc.finish()
    except BaseException:
        doc.close()
        raise
    return doc


# Detailed ----------------------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1)


class Detailed:
    """The detailed report's rows (queries.EXPORT_COLUMNS order, then the comma-separated tag ids) as
    table lines: date, description, project (client), task, user, tags (sorted by name), start - end,
    duration and, when amounts are shown, the amount; written page by page as chunks arrive."""

    def __init__(self, setup: Setup, names: Names, totals: dict[str, Any] | None) -> None:
        self.setup, self.names = setup, names
        self.hide, self.cost = setup.shown == "HIDE_AMOUNT", setup.shown == "COST"
        self.offset_at = setup.period.offset_function()
        self.doc = Document(setup, "DETAILED", wide=True)
        self.doc.heading(totals)
        sample_time = datetime(2000, 1, 1, 22, 59, 59).strftime(setup.time_pattern)
        sample_date = date(2000, 12, 28).strftime(setup.date_pattern)
        wide = stringWidth(f"{sample_time} - {sample_time}", FONT, SIZE) + 2 * PAD + 2
        titles = [
            "Date",
            "Description",
            "Project (Client)",
            "Task",
            "User",
            "Tags",
            "Start - End",
            "Duration",
        ]
        fixed: list[float | None] = [
            stringWidth(sample_date, FONT, SIZE) + 2 * PAD + 4, None, None, None, None, None, wide, 44.0,
        ]  # fmt: skip
        weights = [0, 3.0, 2.0, 1.2, 1.3, 1.3, 0, 0]
        if not self.hide:
            label = "Cost" if self.cost else "Amount"
            titles.append(f"{label} ({setup.currency})")
            fixed.append(_numbers(titles[-1], 58.0))
            weights.append(0)
        widths = _spread(self.doc.width - 2 * MARGIN, fixed, weights)
        right = {"Duration", titles[-1]} if not self.hide else {"Duration"}
        columns = [
            Column(t, w, t in right, t not in ("Description", "Start - End"))
            for t, w in zip(titles, widths, strict=True)
        ]
        self.doc.table(columns)
        self._dates: dict[int, str] = {}
        self._times: dict[int, str] = {}
        self._projects: dict[str, str] = {}
        self._tag_lists: dict[str, str] = {}
        self.count = 0
        if not totals or not totals.get("entriesCount"):
            self.doc.note("No time entries in this range.")

    def _date(self, day: int) -> str:
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = (date(1970, 1, 1) + timedelta(days=day)).strftime(
                self.setup.date_pattern
            )
        return found

    def _time(self, second: int) -> str:
        found = self._times.get(second)
        if found is None:
            moment = datetime(2000, 1, 1) + timedelta(seconds=second)
            found = self._times[second] = moment.strftime(self.setup.time_pattern)
        return found

    def _project(self, project_id: str | None) -> str:
        if not project_id:
            return ""
        found = self._projects.get(project_id)
        if found is None:
            p = self.names.projects.get(project_id)
            if p is None:
                found = ""
            else:
                client = p["client_name"] or ""
                found = f"{p['name']} ({client})" if client else str(p["name"])
            self._projects[project_id] = found
        return found

    def _tags(self, tag_list: str | None) -> str:
        if not tag_list:
            return ""
        found = self._tag_lists.get(tag_list)
        if found is None:
            found = ", ".join(
                sorted((self.names.tags.get(t, "") for t in tag_list.split(",")), key=str.casefold)
            )
            if len(self._tag_lists) < 100_000:
                self._tag_lists[tag_list] = found
        return found

    def rows(self, rows: Sequence[Sequence[Any]]) -> None:
        setup, names, doc, offset_at = self.setup, self.names, self.doc, self.offset_at
        rounding, hide, cost = setup.rounding, self.hide, self.cost
        for r in rows:
            duration = int(r[8] or 0)
            if rounding is not None:
                duration = rounding.apply(duration)
            start_wall = (r[6] + offset_at(r[6])) // 1000
            end_wall = (r[7] + offset_at(r[7])) // 1000
            user = names.users.get(r[2])
            cells = [
                self._date(start_wall // 86400),
                r[1] or "",
                self._project(r[3]),
                names.tasks.get(r[4], "") if r[4] else "",
                str(user["name"]) if user is not None else "",
                self._tags(r[11]),
                f"{self._time(start_wall % 86400)} - {self._time(end_wall % 86400)}",
                format_duration_hms(duration),
            ]
            if not hide:
                rate = (r[10] or 0) if cost else (r[9] or 0) if r[5] else 0
                cells.append(f"{rate * duration / 360000:,.2f}")
            doc.row(cells)
        self.count += len(rows)

    def finish(self) -> None:
        self.doc.finish()
