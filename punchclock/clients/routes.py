"""Clockify Client operations: /workspaces/{workspaceId}/clients."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, delete, get, post, put
from litestar.params import Parameter

from punchclock.clients import service
from punchclock.clients.schemas import ClientCreate, ClientOut, ClientSort, ClientUpdate
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response

BASE = "/workspaces/{workspace_id:str}/clients"


@get(BASE)
async def list_clients(
    ws: WorkspaceContext,
    page: PageParam,
    page_size: PageSizeParam,
    name: str | None = None,
    archived: bool | None = None,
    address: str | None = None,
    note: str | None = None,
    sort_column: ClientSort | None = Parameter(query="sort-column", default=None),
    sort_order: SortOrder | None = Parameter(query="sort-order", default=None),
) -> Response[Any]:
    items, last = await service.search(
        ws,
        Page(page, page_size),
        name=name,
        archived=archived,
        address=address,
        note=note,
        sort_column=sort_column,
        sort_order=sort_order,
    )
    return page_response(items, last)


@post(BASE)
async def create_client(ws: WorkspaceContext, data: ClientCreate) -> ClientOut:
    return await service.create(ws, data)


@get(BASE + "/{client_id:str}")
async def get_client(ws: WorkspaceContext, client_id: str) -> ClientOut:
    return await service.get(ws, client_id)


@put(BASE + "/{client_id:str}")
async def update_client(
    ws: WorkspaceContext,
    client_id: str,
    data: ClientUpdate,
    archive_projects: bool = Parameter(query="archive-projects", default=False),
    mark_tasks_as_done: bool = Parameter(query="mark-tasks-as-done", default=False),
) -> ClientOut:
    return await service.replace(
        ws, client_id, data, archive_projects=archive_projects, mark_tasks_as_done=mark_tasks_as_done
    )


@delete(BASE + "/{client_id:str}", status_code=200)
async def delete_client(ws: WorkspaceContext, client_id: str) -> ClientOut:
    return await service.delete(ws, client_id)


router = Router(
    path="", route_handlers=[list_clients, create_client, get_client, update_client, delete_client]
)
