"""Clockify Time entry operations: /workspaces/{workspaceId}/time-entries and …/user/{userId}/time-entries."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

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
# Defaults go on the handler's parameter: `page_size: InProgressPageSize = 10`, `hydrated: Hydrated = False`.
InProgressPageSize = Annotated[int, QueryParameter(name="page-size", ge=1)]
Hydrated = FromQuery[bool]


@post(ENTRIES)
async def create_entry(ws: NamedDependency[WorkspaceContext], data: JSONBody[TimeEntryCreate]) -> Entry:
    return await service.create(ws, data)


@post(ENTRIES + "/batch", status_code=200)
async def entries_by_ids(ws: NamedDependency[WorkspaceContext], data: JSONBody[EntriesByIds]) -> list[Entry]:
    return await service.by_ids(ws, data)


@patch(ENTRIES + "/invoiced", status_code=200)
async def mark_invoiced(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[MarkInvoiced]
) -> Response[bytes]:
    await service.mark_invoiced(ws, data)
    return Response(content=b"", status_code=200)


@get(ENTRIES + "/status/in-progress")
async def in_progress(
    ws: NamedDependency[WorkspaceContext], page: PageParam = 1, page_size: InProgressPageSize = 10
) -> Response[Any]:
    items, last = await service.in_progress(ws, Page(page, min(page_size, MAX_IN_PROGRESS_PAGE)))
    return page_response(items, last)


@get(ENTRY)
async def get_entry(
    ws: NamedDependency[WorkspaceContext],
    time_entry_id: FromPath[str],
    hydrated: Hydrated = False,
    consider_duration_format: Annotated[bool, QueryParameter(name="consider-duration-format")] = False,
) -> Entry:
    return await service.get(ws, time_entry_id, hydrated=hydrated)


@put(ENTRY)
async def update_entry(
    ws: NamedDependency[WorkspaceContext], time_entry_id: FromPath[str], data: JSONBody[TimeEntryUpdate]
) -> Entry:
    return await service.replace(ws, time_entry_id, data)


@delete(ENTRY, status_code=204)
async def delete_entry(ws: NamedDependency[WorkspaceContext], time_entry_id: FromPath[str]) -> None:
    await service.delete(ws, time_entry_id)


@get(USER_ENTRIES)
async def list_user_entries(
    ws: NamedDependency[WorkspaceContext],
    user_id: FromPath[str],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    hydrated: Hydrated = False,
    description: FromQuery[str | None] = None,
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    project: FromQuery[str | None] = None,
    task: FromQuery[str | None] = None,
    tags: FromQuery[list[str] | None] = None,
    project_required: Annotated[bool, QueryParameter(name="project-required")] = False,
    task_required: Annotated[bool, QueryParameter(name="task-required")] = False,
    in_progress: Annotated[bool, QueryParameter(name="in-progress")] = False,
    get_week_before: Annotated[str | None, QueryParameter(name="get-week-before")] = None,
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
    ws: NamedDependency[WorkspaceContext],
    user_id: FromPath[str],
    data: JSONBody[TimeEntryCreate],
    from_entry: Annotated[str | None, QueryParameter(name="from-entry")] = None,
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
    ws: NamedDependency[WorkspaceContext],
    user_id: FromPath[str],
    data: JSONBody[list[BulkEditEntry] | BulkEditEntry],
    hydrated: Hydrated = False,
) -> list[Entry]:
    return await service.bulk_edit(ws, user_id, data, hydrated=hydrated)


@patch(USER_ENTRIES, status_code=200)
async def stop_timer(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[StopTimer]
) -> Entry:
    return await service.stop(ws, user_id, data)


@delete(USER_ENTRIES, status_code=200)
async def delete_user_entries(
    ws: NamedDependency[WorkspaceContext],
    user_id: FromPath[str],
    time_entry_ids: Annotated[list[str] | None, QueryParameter(name="time-entry-ids")] = None,
) -> list[Entry]:
    return await service.delete_many(ws, user_id, time_entry_ids)


@post(USER_ENTRIES + "/{time_entry_id:str}/duplicate")
async def duplicate_entry(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], time_entry_id: FromPath[str]
) -> Entry:
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
