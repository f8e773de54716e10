"""Clockify Time entry operations: /workspaces/{workspaceId}/time-entries and …/user/{userId}/time-entries."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, patch, post, put
from litestar.params import Parameter

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response
from punchclock.time_entries import service
from punchclock.time_entries.schemas import (
    BulkEditEntry,
    EntriesByIds,
    HydratedTimeEntryOut,
    MarkInvoiced,
    StopTimer,
    TimeEntryCreate,
    TimeEntryOut,
    TimeEntryUpdate,
)
from punchclock.time_entries.service import MAX_IN_PROGRESS_PAGE, ListQuery

WS = "/workspaces/{workspace_id:str}"
ENTRIES = WS + "/time-entries"
ENTRY = ENTRIES + "/{time_entry_id:str}"
USER_ENTRIES = WS + "/user/{user_id:str}/time-entries"

Entry = TimeEntryOut | HydratedTimeEntryOut
InProgressPageSize = Annotated[int, Parameter(query="page-size", default=10, ge=1)]
Hydrated = Annotated[bool, Parameter(query="hydrated", default=False)]


@post(ENTRIES)
async def create_entry(ws: WorkspaceContext, data: TimeEntryCreate) -> Entry:
    return await service.create(ws, data)


@post(ENTRIES + "/batch", status_code=200)
async def entries_by_ids(ws: WorkspaceContext, data: EntriesByIds) -> list[Entry]:
    return await service.by_ids(ws, data)


@patch(ENTRIES + "/invoiced", status_code=200)
async def mark_invoiced(ws: WorkspaceContext, data: MarkInvoiced) -> Response[bytes]:
    await service.mark_invoiced(ws, data)
    return Response(content=b"", status_code=200)


@get(ENTRIES + "/status/in-progress")
async def in_progress(ws: WorkspaceContext, page: PageParam, page_size: InProgressPageSize) -> Response[Any]:
    items, last = await service.in_progress(ws, Page(page, min(page_size, MAX_IN_PROGRESS_PAGE)))
    return page_response(items, last)


@get(ENTRY)
async def get_entry(
    ws: WorkspaceContext,
    time_entry_id: str,
    hydrated: Hydrated,
    consider_duration_format: bool = Parameter(query="consider-duration-format", default=False),
) -> Entry:
    return await service.get(ws, time_entry_id, hydrated=hydrated)


@put(ENTRY)
async def update_entry(ws: WorkspaceContext, time_entry_id: str, data: TimeEntryUpdate) -> Entry:
    return await service.replace(ws, time_entry_id, data)


@delete(ENTRY, status_code=204)
async def delete_entry(ws: WorkspaceContext, time_entry_id: str) -> None:
    await service.delete(ws, time_entry_id)


@get(USER_ENTRIES)
async def list_user_entries(
    ws: WorkspaceContext,
    user_id: str,
    page: PageParam,
    page_size: PageSizeParam,
    hydrated: Hydrated,
    description: str | None = None,
    start: str | None = None,
    end: str | None = None,
    project: str | None = None,
    task: str | None = None,
    tags: list[str] | None = None,
    project_required: bool = Parameter(query="project-required", default=False),
    task_required: bool = Parameter(query="task-required", default=False),
    in_progress: bool = Parameter(query="in-progress", default=False),
    get_week_before: str | None = Parameter(query="get-week-before", default=None),
) -> Response[Any]:
    query = ListQuery(
        description=description,
        start=start,
        end=end,
        project=project,
        task=task,
        tags=tags,
        project_required=project_required,
        task_required=task_required,
        in_progress=in_progress,
        get_week_before=get_week_before,
    )
    items, last = await service.list_of_user(ws, user_id, query, Page(page, page_size), hydrated=hydrated)
    return page_response(items, last)


@post(USER_ENTRIES)
async def create_user_entry(
    ws: WorkspaceContext,
    user_id: str,
    data: TimeEntryCreate,
    from_entry: str | None = Parameter(query="from-entry", default=None),
) -> Response[Any]:
    if from_entry is not None:
        # Fields the body leaves out come from that entry; an unknown one is a 404 with an empty body.
        filled = await service.filled_from(ws, data, from_entry)
        if filled is None:
            return Response(content=b"", status_code=404)
        data = filled
    return Response(await service.create(ws, data, user_id), status_code=201)


@put(USER_ENTRIES)
async def bulk_edit(
    ws: WorkspaceContext, user_id: str, data: list[BulkEditEntry] | BulkEditEntry, hydrated: Hydrated
) -> list[Entry]:
    return await service.bulk_edit(ws, user_id, data, hydrated=hydrated)


@patch(USER_ENTRIES, status_code=200)
async def stop_timer(ws: WorkspaceContext, user_id: str, data: StopTimer) -> Entry:
    return await service.stop(ws, user_id, data)


@delete(USER_ENTRIES, status_code=200)
async def delete_user_entries(
    ws: WorkspaceContext,
    user_id: str,
    time_entry_ids: list[str] | None = Parameter(query="time-entry-ids", default=None),
) -> list[Entry]:
    return await service.delete_many(ws, user_id, time_entry_ids)


@post(USER_ENTRIES + "/{time_entry_id:str}/duplicate")
async def duplicate_entry(ws: WorkspaceContext, user_id: str, time_entry_id: str) -> Entry:
    return await service.duplicate(ws, user_id, time_entry_id)


router = Router(
    path="",
    route_handlers=[
        create_entry,
        entries_by_ids,
        mark_invoiced,
        in_progress,
        get_entry,
        update_entry,
        delete_entry,
        list_user_entries,
        create_user_entry,
        bulk_edit,
        stop_timer,
        delete_user_entries,
        duplicate_entry,
    ],
)
