"""Clockify reports host: POST /workspaces/{workspaceId}/reports/{detailed,summary,weekly,attendance},
mounted under `/reports/v1` (and its aliases `/report/v1`, `/clockify/report(s)/v1`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request, Response, Router, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.response import Stream
from litestar.response.base import ASGIResponse

from punchclock.kit.auth import READ_ONLY, WorkspaceContext
from punchclock.reports import service
from punchclock.reports.schemas import (
    AttendanceReportRequest,
    DetailedReportRequest,
    SummaryReportRequest,
    WeeklyReportRequest,
)

BASE = "/workspaces/{workspace_id:str}/reports"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


class CsvStream(Stream):
    """A streamed CSV or XLSX body. Litestar 2's Stream lets the handler's media type (JSON here, the handler
    also answers JSON) win over the response's own, against its documentation; this keeps the response's."""

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        kwargs["media_type"] = self.media_type
        return super().to_asgi_response(*args, **kwargs)


def _xlsx(chunks: AsyncIterator[bytes], name: str) -> CsvStream:
    return CsvStream(
        chunks, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _pdf(chunks: AsyncIterator[bytes], name: str) -> CsvStream:
    return CsvStream(
        chunks, media_type=PDF, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _attachment(content: bytes, name: str) -> Response[bytes]:
    return Response(
        content=content, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@post(BASE + "/summary", status_code=200)
async def summary_report(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[SummaryReportRequest]
) -> Response[Any]:
    if data.export_type == "CSV":
        return _attachment(*await service.summary_csv(ws, data))
    if data.export_type == "XLSX":
        return _xlsx(*await service.summary_xlsx(ws, data))
    if data.export_type == "PDF":
        return _pdf(*await service.summary_pdf(ws, data))
    return Response(content=await service.summary(ws, data))


@post(BASE + "/detailed", status_code=200)
async def detailed_report(
    ws: NamedDependency[WorkspaceContext],
    data: JSONBody[DetailedReportRequest],
    request: Request[Any, Any, State],
) -> Any:
    if data.export_type == "CSV":
        chunks, name = await service.detailed_csv(ws, request.app.state.db, data)
        return CsvStream(
            chunks, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )
    if data.export_type == "XLSX":
        return _xlsx(*await service.detailed_xlsx(ws, request.app.state.db, data))
    if data.export_type == "PDF":
        return _pdf(*await service.detailed_pdf(ws, request.app.state.db, data))
    return Response(content=await service.detailed(ws, data))


@post(BASE + "/weekly", status_code=200)
async def weekly_report(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[WeeklyReportRequest]
) -> Response[Any]:
    if data.export_type == "CSV":
        return _attachment(*await service.weekly_csv(ws, data))
    if data.export_type == "XLSX":
        return _xlsx(*await service.weekly_xlsx(ws, data))
    if data.export_type == "PDF":
        return _pdf(*await service.weekly_pdf(ws, data))
    return Response(content=await service.weekly(ws, data))


@post(BASE + "/attendance", status_code=200)
async def attendance_report(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[AttendanceReportRequest]
) -> Response[Any]:
    if data.export_type in ("CSV", "XLSX", "PDF"):
        from punchclock.kit.errors import bad_request

        raise bad_request(
            f"Export type {data.export_type} is not supported for the attendance report yet; use JSON"
        )
    return Response(content=await service.attendance(ws, data))


# Reports are POSTs that only read.
router = Router(
    path="",
    route_handlers=[summary_report, detailed_report, weekly_report, attendance_report],
    opt={READ_ONLY: True},
)
