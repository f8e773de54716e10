"""Clockify shared reports on the reports host (`/reports/v1`): list, create, update and delete under
/workspaces/{workspaceId}/shared-reports (behind the credential check), and the bare render
GET /shared-reports/{id}, which checks credentials itself: none for a public report, a member's key for a
private one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from litestar import Request, Response, Router, delete, get, post, put
from litestar.datastructures import State
from litestar.params import Parameter

from punchclock.kit.auth import WorkspaceContext, provide_workspace
from punchclock.kit.db import Unit
from punchclock.kit.errors import bad_request
from punchclock.kit.paging import Page, PageParam
from punchclock.reports.routes import CSV, XLSX, CsvStream
from punchclock.shared_reports import service
from punchclock.shared_reports.schemas import SharedReportInput, SharedReportList, SharedReportOut

BASE = "/workspaces/{workspace_id:str}/shared-reports"
# FACTS "Pagination": this list reads camelCase `pageSize` (kebab `page-size` is ignored).
CamelPageSize = Annotated[int, Parameter(query="pageSize", default=50, ge=1)]
Which = Literal["ALL", "ALL_ADMIN", "CREATED_BY_ME", "SHARED_WITH_ME"]


@get(BASE)
async def list_shared_reports(
    ws: WorkspaceContext,
    page: PageParam,
    page_size: CamelPageSize,
    which: Which | None = Parameter(query="sharedReportsFilter", default=None),
) -> SharedReportList:
    return await service.search(ws, Page(page, page_size), which)


@post(BASE, status_code=200)
async def create_shared_report(ws: WorkspaceContext, data: SharedReportInput) -> SharedReportOut:
    return await service.create(ws, data)


@put(BASE + "/{shared_report_id:str}")
async def update_shared_report(
    ws: WorkspaceContext, shared_report_id: str, data: SharedReportInput
) -> SharedReportOut:
    return await service.update(ws, shared_report_id, data)


@delete(BASE + "/{shared_report_id:str}", status_code=204)
async def delete_shared_report(ws: WorkspaceContext, shared_report_id: str) -> None:
    await service.delete(ws, shared_report_id)


@get("/shared-reports/{shared_report_id:str}")
async def render_shared_report(
    request: Request[Any, Any, State],
    unit: Unit,
    shared_report_id: str,
    export_type: Literal["JSON", "JSON_V1", "CSV", "XLSX", "PDF"] | None = Parameter(
        query="exportType", default=None
    ),
    date_range_start: str | None = Parameter(query="dateRangeStart", default=None),
    date_range_end: str | None = Parameter(query="dateRangeEnd", default=None),
    sort_order: Literal["ASCENDING", "DESCENDING"] | None = Parameter(query="sortOrder", default=None),
    page: int | None = Parameter(query="page", default=None, ge=1, le=1_000_000),
    page_size: int | None = Parameter(query="pageSize", default=None, ge=1, le=1000),
) -> Any:
    """Public by design (the contract walker lists it in its PUBLIC_BY_DESIGN): a public report needs no
    key; a private one needs the key of an active member of the report's workspace (401/403 otherwise)."""
    overrides = {
        "dateRangeStart": date_range_start,
        "dateRangeEnd": date_range_end,
        "sortOrder": sort_order,
        "page": page,
        "pageSize": page_size,
    }
    workspace_id, public = await service.locate(unit, shared_report_id)
    if not public:
        await provide_workspace(request, unit, workspace_id)
    if export_type == "PDF":
        raise bad_request("Export type PDF is not supported yet; use JSON, CSV or XLSX")
    if export_type in ("CSV", "XLSX"):
        content, name = await service.export(
            unit, request.app.state.db, shared_report_id, workspace_id, export_type, overrides
        )
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        media = CSV if export_type == "CSV" else XLSX
        if isinstance(content, bytes):
            return Response(content=content, media_type=media, headers=headers)
        chunks: AsyncIterator[bytes] = content
        return CsvStream(chunks, media_type=media, headers=headers)
    return Response(content=await service.render(unit, shared_report_id, workspace_id, overrides))


# Behind the reports host's credential check.
router = Router(
    path="",
    route_handlers=[list_shared_reports, create_shared_report, update_shared_report, delete_shared_report],
)
# Mounted beside it without the check.
public_router = Router(path="", route_handlers=[render_shared_report])
