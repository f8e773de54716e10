"""PDF exports of the summary, detailed and weekly reports over HTTP: each file is opened (pypdf), its text
is checked against the JSON report of the same body (title, range, totals, group names, every detailed
entry across pages), and its first page is rendered to an image (pypdfium2) that must hold ink and the
charts' colours."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from pypdf import PdfReader

from punchclock.reports.render import format_duration_hms
from tests.conftest import Account, add_member, assert_error, new_database_url, running_server
from tests.test_reports import Data, R, _insert_entries, _ok, _range, _selected
from tests.test_reports import data as data  # the seeded workspace fixture, reused

PDF = "application/pdf"
SR = "/reports/v1/workspaces/{ws}/shared-reports"
RENDER = "/reports/v1/shared-reports/"


def _pdf(response: Any) -> PdfReader:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith(PDF)
    disposition = response.headers["content-disposition"]
    assert "attachment" in disposition and disposition.endswith('.pdf"')
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader, page: int = 0) -> str:
    return reader.pages[page].extract_text()


def _all_text(reader: PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


def _picture(content: bytes) -> Any:
    """Page 1 as an RGB image (PIL), rendered at 72 dpi (PUNCHCLOCK_PDF_SNAPSHOTS=dir keeps a copy)."""
    document = pypdfium2.PdfDocument(content)
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
        keep = os.environ.get("PUNCHCLOCK_PDF_SNAPSHOTS")
        if keep:
            image.save(f"{keep}/page1-{image.size[0]}x{image.size[1]}-{len(content)}.png")
            (Path(keep) / f"doc-{len(content)}.pdf").write_bytes(content)
        return image
    finally:
        document.close()


def _share(image: Any, test: Any) -> float:
    raw = image.tobytes()  # RGB, 3 bytes a pixel (getdata is deprecated in Pillow 12)
    pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
    return sum(1 for p in pixels if test(p)) / len(pixels)


def _money(minor: float) -> str:
    return f"{minor / 100:,.2f} USD"


def test_summary_pdf_holds_title_range_totals_charts_and_table(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    zone = "America/New_York"
    body = {
        **_range(first, last, zone),
        "dateFormat": "DD.MM.YYYY",
        "summaryFilter": {"groups": ["PROJECT", "USER"]},
    }
    report = _ok(data.owner.post(R + "summary", body))
    response = data.owner.post(R + "summary", {**body, "exportType": "PDF"})
    reader = _pdf(response)
    assert "Summary_2026-03-01-2026-11-30.pdf" in response.headers["content-disposition"]
    text = _text(reader)
    totals = report["totals"][0]
    assert "Summary report" in text
    assert "01.03.2026 - 30.11.2026" in text and zone in text
    assert format_duration_hms(totals["totalTime"]) in text
    assert format_duration_hms(totals["totalBillableTime"]) in text
    assert _money(totals["totalAmount"]) in text
    assert f"Entries\n{totals['entriesCount']}" in text or str(totals["entriesCount"]) in text
    assert "Time per month (hours)" in text and "Time by project" in text
    everything = _all_text(reader)
    for group in report["groupOne"]:
        assert group["name"] in everything
        assert format_duration_hms(group["duration"]) in everything
        for child in group["children"]:
            assert child["name"] in everything
    assert "Page 1 of " in text
    image = _picture(response.content)
    assert abs(image.size[0] - 595) <= 1 and abs(image.size[1] - 842) <= 1  # A4 portrait at 72 dpi
    assert _share(image, lambda p: sum(p) < 200) > 0.002  # ink: text, rules
    assert _share(image, lambda p: abs(p[0] - 0x03) < 40 and abs(p[1] - 0xA9) < 40 and p[2] > 200) > 0.001
    assert _share(image, lambda p: p == (255, 255, 255)) > 0.5  # and mostly paper


def test_summary_pdf_bars_by_day_for_short_ranges(data: Data) -> None:
    first, last = date(2026, 3, 29), date(2026, 4, 5)
    body = {**_range(first, last, "UTC"), "summaryFilter": {"groups": ["USER"]}, "exportType": "PDF"}
    response = data.owner.post(R + "summary", body)
    text = _text(_pdf(response))
    assert "Time per day (hours)" in text and "Time by user" in text
    assert _share(_picture(response.content), lambda p: sum(p) < 200) > 0.002
    assert "Sun 29" in text and "Wed 1" in text
    assert "Tester" in text and "Bea Member" in text
    for first, last, unit, label in (
        (date(2026, 3, 1), date(2026, 5, 31), "week", "Mar 30"),  # weeks start on Monday by default
        (date(2020, 1, 1), date(2026, 12, 31), "year", "2026"),
    ):
        wide = {**_range(first, last, "UTC"), "summaryFilter": {"groups": ["TAG"]}, "exportType": "PDF"}
        text = _text(_pdf(data.owner.post(R + "summary", wide)))
        assert f"Time per {unit} (hours)" in text and label in text and "Time by tag" in text
        assert "red" in text and "Without tag" in text
    empty = {**_range(date(2025, 1, 1), date(2025, 1, 31), "UTC"), "exportType": "PDF"}
    text = _text(_pdf(data.owner.post(R + "summary", empty)))
    assert "No time tracked in this range." in text and "00:00:00" in text


def test_detailed_pdf_lists_the_entries_with_their_names(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    zone = "Europe/Berlin"
    body = {**_range(first, last, zone), "dateFormat": "YYYY-MM-DD", "timeFormat": "HOUR24"}
    json_report = _ok(data.owner.post(R + "detailed", {**body, "detailedFilter": {"pageSize": 1000}}))
    reader = _pdf(data.owner.post(R + "detailed", {**body, "exportType": "PDF"}))
    text = _all_text(reader)
    totals = json_report["totals"][0]
    assert "Detailed report" in text and "2026-03-01 - 2026-11-30" in text
    assert format_duration_hms(totals["totalTime"]) in text and _money(totals["totalAmount"]) in text
    entries = json_report["timeentries"]
    assert len(entries) == len(_selected(data, zone, first, last))
    assert "Website (Acme)" in text and "Mockups" in text and "blue, red" in text  # tag names sorted
    assert "Tester" in text and "Bea Member" in text
    for entry in entries:
        assert format_duration_hms(entry["timeInterval"]["duration"]) in text
        assert entry["description"] in text
    # 2026-03-28T22:30Z is 23:30 in Berlin (UTC+1), ending 02:30 (3 a.m. became 3 after DST: UTC+2)
    assert "2026-03-28" in text and "23:30:00 - 03:30:00" in text
    assert f"{5000 * 3 * 3600 / 360000:,.2f}" in text  # 3 h on Website at 50.00


def test_detailed_pdf_spans_pages_with_headers_and_every_row(me: Account) -> None:
    from punchclock.kit import ids

    base = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp()) * 1000
    count = 230  # several pages, and more than one streaming chunk is covered by the XLSX tests
    rows = [(ids.new_id(), base + n * 600_000, 300 + n) for n in range(count)]
    _insert_entries(me, rows)
    body = {**_range(date(2026, 6, 1), date(2026, 6, 30), "UTC"), "exportType": "PDF"}
    response = me.post(R + "detailed", body)
    reader = _pdf(response)
    pages = len(reader.pages)
    assert pages >= 4
    found: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Description" in text and "Duration" in text  # the header row on every page
        assert re.search(rf"Page {number} of\s*{pages}\b", text)  # the total is a form drawn at the end
        found += [int(n) for n in re.findall(r"bulk (\d+)\b", text)]
    assert sorted(found) == list(range(count))
    assert found == list(reversed(range(count)))  # newest first, as the JSON report
    assert _share(_picture(response.content), lambda p: sum(p) < 200) > 0.002


def test_hidden_amounts_stay_hidden(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    base = {**_range(first, last, "UTC"), "exportType": "PDF"}
    hidden = {**base, "amountShown": "HIDE_AMOUNT"}
    for path in ("summary", "detailed"):
        text = _all_text(_pdf(data.owner.post(R + path, hidden)))
        assert "USD" not in text and "amount" not in text.lower()
        shown = _all_text(_pdf(data.owner.post(R + path, base)))
        assert "USD" in shown
    cost = _all_text(_pdf(data.owner.post(R + "detailed", {**base, "amountShown": "COST"})))
    assert "Cost (USD)" in cost
    # A member sees no amounts by default (onlyAdminsSeeBillableRates), in the PDF as in the JSON.
    text = _all_text(_pdf(data.member.post(R + "summary", base)))
    assert "USD" not in text and "Total time" in text


def test_weekly_pdf(data: Data) -> None:
    body = {
        **_range(date(2026, 3, 30), date(2026, 4, 5), "UTC"),
        "weeklyFilter": {"group": "PROJECT"},
        "dateFormat": "YYYY-MM-DD",
    }
    report = _ok(data.owner.post(R + "weekly", body))
    response = data.owner.post(R + "weekly", {**body, "exportType": "PDF"})
    text = _all_text(_pdf(response))
    totals = report["totals"][0]
    assert "Weekly report" in text and "2026-03-30 - 2026-04-05" in text
    assert "Mon 2026-03-30" in text and "Sun 2026-04-05" in text
    assert format_duration_hms(totals["totalTime"]) in text and _money(totals["totalAmount"]) in text
    for group in report["groupOne"]:
        assert group["name"] in text
        for child in group["children"]:
            assert child["name"] in text
    image = _picture(response.content)
    assert abs(image.size[0] - 842) <= 1 and abs(image.size[1] - 595) <= 1  # A4 landscape
    assert _share(image, lambda p: sum(p) < 200) > 0.002
    assert_error(
        data.owner.post(R + "weekly", {**body, "dateRangeEnd": "2026-04-09T00:00:00Z", "exportType": "PDF"}),
        400,
        501,
    )


def test_shared_report_renders_as_pdf(me: Account) -> None:
    start = datetime(2026, 2, 4, 8, tzinfo=UTC)
    entry = {"start": "2026-02-04T08:00:00Z", "end": "2026-02-04T09:30:00Z", "description": "shared pdf"}
    _ok(me.post("/workspaces/{ws}/time-entries", entry), 201)
    assert start.year == 2026
    fixed = {**_range(date(2026, 2, 2), date(2026, 2, 8), "UTC"), "exportType": "JSON"}
    for kind, needle in (("DETAILED", "shared pdf"), ("SUMMARY", "Without project"), ("WEEKLY", "Tester")):
        made = _ok(me.post(SR, {"name": kind.lower(), "type": kind, "isPublic": True, "filter": fixed}))
        import httpx

        with httpx.Client(base_url=me.server.base_url, timeout=30) as anonymous:
            reader = _pdf(anonymous.get(RENDER + made["id"], params={"exportType": "PDF"}))
        text = _all_text(reader)
        assert needle in text and "01:30:00" in text, (kind, text[:300])
    member = add_member(me, name="Pat Private")
    body = {"name": "private", "type": "DETAILED", "isPublic": False, "filter": fixed}
    private = _ok(me.post(SR, {**body, "visibleToUsers": [member.user_id]}))
    assert "shared pdf" in _all_text(_pdf(member.get(RENDER + private["id"], params={"exportType": "PDF"})))


@pytest.mark.parametrize("path", ["summary", "detailed", "weekly"])
def test_zip_is_still_refused(data: Data, path: str) -> None:
    body = {**_range(date(2026, 3, 30), date(2026, 4, 5), "UTC"), "exportType": "ZIP"}
    assert_error(data.owner.post(R + path, body), 400, 501, "ZIP")
    attendance = {**body, "exportType": "PDF"}
    assert_error(data.owner.post(R + "attendance", attendance), 400, 501, "attendance")


def test_special_characters_and_long_texts(me: Account) -> None:
    tricky = "Caf\u00e9 (draft) \\ 50% \u2013 \u201cquoted\u201d"  # accent, en dash, curly quotes
    long = "A very long description " * 12
    for hour, text in ((9, tricky), (11, long)):
        body = {"start": f"2026-07-01T{hour:02d}:00:00Z", "end": f"2026-07-01T{hour + 1:02d}:00:00Z"}
        _ok(me.post("/workspaces/{ws}/time-entries", {**body, "description": text}), 201)
    report = {**_range(date(2026, 7, 1), date(2026, 7, 1), "UTC"), "exportType": "PDF"}
    text = _all_text(_pdf(me.post(R + "detailed", report)))
    assert tricky in text
    assert "A very long description A very" in text and "…" in text and long.strip() not in text


# Scripts beyond Latin-1: the embedded DejaVu Sans Condensed ------------------------------------------

CLIENT = "Клиент «Ωμέγα»"  # Cyrillic, Greek, guillemets
PROJECT = "Łódź: żółw"  # Polish
TASK = "Ξένη μετάφραση"
TAG = "срочно"
DESCRIPTIONS = [
    "Обзор дизайна: щётка, ёж, юла",
    "Διόρθωση σφάλματος στο ψηφιακό σύστημα",
    "Spotkanie zespołu: źdźbło, łąka, ćma",
    "İstanbul'da ğüşöç toplantısı",  # noqa: RUF001 (Turkish dotless i)
]


def _fonts(content: bytes) -> set[str]:
    """The BaseFont names of every page's fonts."""
    reader = PdfReader(io.BytesIO(content))
    found: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]))
    return found


def _pdfium_text(content: bytes) -> str:
    """Page 1's text as pdfium (the renderer) reads it."""
    document = pypdfium2.PdfDocument(content)
    try:
        textpage = document[0].get_textpage()
        return str(textpage.get_text_range())
    finally:
        document.close()


def _scripts(me: Account) -> None:
    client_id = _ok(me.post("/workspaces/{ws}/clients", {"name": CLIENT}), 201)["id"]
    project_id = _ok(
        me.post("/workspaces/{ws}/projects", {"name": PROJECT, "clientId": client_id, "isPublic": True}), 201
    )["id"]
    task_id = _ok(me.post(f"/workspaces/{{ws}}/projects/{project_id}/tasks", {"name": TASK}), 201)["id"]
    tag_id = _ok(me.post("/workspaces/{ws}/tags", {"name": TAG}), 201)["id"]
    for hour, description in enumerate(DESCRIPTIONS, start=8):
        body = {
            "start": f"2026-05-04T{hour:02d}:00:00Z",
            "end": f"2026-05-04T{hour:02d}:45:00Z",
            "description": description,
            "projectId": project_id,
            "taskId": task_id,
            "tagIds": [tag_id],
        }
        _ok(me.post("/workspaces/{ws}/time-entries", body), 201)


def test_pdf_prints_cyrillic_greek_and_polish_names(me: Account) -> None:
    _scripts(me)
    week = _range(date(2026, 5, 4), date(2026, 5, 10), "UTC")
    summary = {**week, "summaryFilter": {"groups": ["CLIENT", "PROJECT", "TAG"]}, "exportType": "PDF"}
    response = me.post(R + "summary", summary)
    text = _all_text(_pdf(response))
    for name in (CLIENT, PROJECT, TAG):
        assert name in text, (name, text)
    assert "?" not in text
    assert re.search(rf"{re.escape(CLIENT)}\s+03:00:00", _pdfium_text(response.content))  # donut legend
    image = _picture(response.content)
    assert _share(image, lambda p: sum(p) < 200) > 0.002
    detailed = me.post(R + "detailed", {**week, "exportType": "PDF"})
    text = _all_text(_pdf(detailed))
    for name in (*DESCRIPTIONS, f"{PROJECT} ({CLIENT})", TASK, TAG):
        assert name in text, (name, text)
    assert "?" not in text
    assert DESCRIPTIONS[0] in _pdfium_text(detailed.content)
    assert _share(_picture(detailed.content), lambda p: sum(p) < 200) > 0.002
    # The bundled faces, embedded (subsets: a six-letter tag and "+"), and nothing else.
    fonts = {re.sub(r"^/[A-Z]{6}\+", "", f) for f in _fonts(response.content) | _fonts(detailed.content)}
    assert fonts == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}


def test_pdf_spans_font_subsets_and_prints_line_breaks_as_spaces(me: Account) -> None:
    """A PDF simple font holds 256 glyphs: past that reportlab opens another subset of the face, which the
    table's cells switch to and back from (here 431 distinct letters, 24 to an entry)."""
    letters = [chr(c) for c in range(0x410, 0x450)] + [chr(c) for c in range(0x391, 0x3AA) if c != 0x3A2]
    letters += [chr(c) for c in range(0x3B1, 0x3CA)] + [chr(c) for c in range(0x100, 0x180)]
    letters += [chr(c) for c in range(0x1E00, 0x1E9C)] + [chr(c) for c in range(0x460, 0x482)]
    assert len(set(letters)) > 400
    descriptions = ["".join(letters[i : i + 24]) for i in range(0, len(letters), 24)]
    descriptions.append("first line\nsecond\tline")
    for n, description in enumerate(descriptions):
        body = {
            "start": f"2026-06-{1 + n // 10:02d}T{8 + n % 10:02d}:00:00Z",
            "end": f"2026-06-{1 + n // 10:02d}T{8 + n % 10:02d}:30:00Z",
            "description": description,
        }
        _ok(me.post("/workspaces/{ws}/time-entries", body), 201)
    body = {**_range(date(2026, 6, 1), date(2026, 6, 30), "UTC"), "exportType": "PDF"}
    response = me.post(R + "detailed", body)
    text = _all_text(_pdf(response))
    for description in descriptions[:-1]:
        assert description in text, description
    assert "first line second line" in text
    names = _fonts(response.content)
    assert len(names) >= 4  # regular in several subsets, and bold
    assert _share(_picture(response.content), lambda p: sum(p) < 200) > 0.002


def test_pdf_font_setting_replaces_the_bundled_face(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PUNCHCLOCK_PDF_FONT names the regular face (here the bundled bold file, to tell them apart); with no
    PUNCHCLOCK_PDF_FONT_BOLD the same file serves for bold."""
    from punchclock.reports.export import pdf

    monkeypatch.setenv("PUNCHCLOCK_PDF_FONT", str(pdf.FONTS / "DejaVuSansCondensed-Bold.ttf"))
    monkeypatch.delenv("PUNCHCLOCK_PDF_FONT_BOLD", raising=False)
    with running_server("sqlite", new_database_url("sqlite", tmp_path), tmp_path) as server:
        me = server.account()
        body = {"start": "2026-07-01T09:00:00Z", "end": "2026-07-01T10:00:00Z", "description": "Задача"}
        _ok(me.post("/workspaces/{ws}/time-entries", body), 201)
        week = {**_range(date(2026, 7, 1), date(2026, 7, 1), "UTC"), "exportType": "PDF"}
        response = me.post(R + "detailed", week)
        assert "Задача" in _all_text(_pdf(response))
    assert {re.sub(r"^/[A-Z]{6}\+", "", f) for f in _fonts(response.content)} == {"DejaVuSansCondensed-Bold"}
