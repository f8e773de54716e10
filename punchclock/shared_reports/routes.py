"""Clockify shared reports on the reports host (`/reports/v1`): list, create, update and delete under
/workspaces/{workspaceId}/shared-reports (behind the credential check), and the bare render
GET /shared-reports/{id}, which checks credentials itself: none for a public report, a member's key for a
private one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from litestar import Request, Response, Router, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from punchclock.kit.auth import WorkspaceContext, provide_workspace
from punchclock.kit.db import Unit
from punchclock.kit.paging import Page, PageParam
from punchclock.reports.routes import CSV, PDF, XLSX, CsvStream
from punchclock.shared_reports import service
from punchclock.shared_reports.schemas import SharedReportInput, SharedReportList, SharedReportOut

BASE = "/workspaces/{workspace_id:str}/shared-reports"
# FACTS "Pagination": this list reads camelCase `pageSize` (kebab `page-size` is ignored).
CamelPageSize = Annotated[int, QueryParameter(name="pageSize", ge=1)]
Which = Literal["ALL", "ALL_ADMIN", "CREATED_BY_ME", "SHARED_WITH_ME"]


@get(BASE)
async def list_shared_reports(
    ws: NamedDependency[WorkspaceContext],
    page: PageParam = 1,
    page_size: CamelPageSize = 50,
    which: Annotated[Which | None, QueryParameter(name="sharedReportsFilter")] = None,
) -> SharedReportList:
    return await service.search(ws, Page(page, page_size), which)


@post(BASE, status_code=200)
async def create_shared_report(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[SharedReportInput]
) -> SharedReportOut:
    return await service.create(ws, data)


@put(BASE + "/{shared_report_id:str}")
async def update_shared_report(
    ws: NamedDependency[WorkspaceContext],
    shared_report_id: FromPath[str],
    data: JSONBody[SharedReportInput],
) -> SharedReportOut:
    return await service.update(ws, shared_report_id, data)


@delete(BASE + "/{shared_report_id:str}", status_code=204)
async def delete_shared_report(
    ws: NamedDependency[WorkspaceContext], shared_report_id: FromPath[str]
) -> None:
    await service.delete(ws, shared_report_id)


@get("/shared-reports/{shared_report_id:str}")
async def render_shared_report(
    request: Request[Any, Any, State],
    unit: NamedDependency[Unit],
    shared_report_id: FromPath[str],
    export_type: Annotated[
        Literal["JSON", "JSON_V1", "CSV", "XLSX", "PDF"] | None, QueryParameter(name="exportType")
    ] = None,
    date_range_start: Annotated[str | None, QueryParameter(name="dateRangeStart")] = None,
    date_range_end: Annotated[str | None, QueryParameter(name="dateRangeEnd")] = None,
    sort_order: Annotated[Literal["ASCENDING", "DESCENDING"] | None, QueryParameter(name="sortOrder")] = None,
    page: Annotated[int | None, QueryParameter(ge=1, le=1_000_000)] = None,
    page_size: Annotated[int | None, QueryParameter(name="pageSize", ge=1, le=1000)] = None,
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
        await service.require_viewer(await provide_workspace(request, unit, workspace_id), shared_report_id)
    if export_type in ("CSV", "XLSX", "PDF"):
        content, name = await service.export(
            unit, request.app.state.db, shared_report_id, workspace_id, export_type, overrides
        )
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        media = {"CSV": CSV, "XLSX": XLSX, "PDF": PDF}[export_type]
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
