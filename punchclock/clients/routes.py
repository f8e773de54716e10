"""Clockify Client operations: /workspaces/{workspaceId}/clients."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from punchclock.clients import service
from punchclock.clients.schemas import ClientCreate, ClientOut, ClientSort, ClientUpdate
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response

BASE = "/workspaces/{workspace_id:str}/clients"


@get(BASE)
async def list_clients(
    ws: NamedDependency[WorkspaceContext],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    name: FromQuery[str | None] = None,
    archived: FromQuery[bool | None] = None,
    address: FromQuery[str | None] = None,
    note: FromQuery[str | None] = None,
    sort_column: Annotated[ClientSort | None, QueryParameter(name="sort-column")] = None,
    sort_order: Annotated[SortOrder | None, QueryParameter(name="sort-order")] = None,
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
async def create_client(ws: NamedDependency[WorkspaceContext], data: JSONBody[ClientCreate]) -> ClientOut:
    return await service.create(ws, data)


@get(BASE + "/{client_id:str}")
async def get_client(ws: NamedDependency[WorkspaceContext], client_id: FromPath[str]) -> ClientOut:
    return await service.get(ws, client_id)


@put(BASE + "/{client_id:str}")
async def update_client(
    ws: NamedDependency[WorkspaceContext],
    client_id: FromPath[str],
    data: JSONBody[ClientUpdate],
    archive_projects: Annotated[bool, QueryParameter(name="archive-projects")] = False,
    mark_tasks_as_done: Annotated[bool, QueryParameter(name="mark-tasks-as-done")] = False,
) -> ClientOut:
    return await service.replace(
        ws, client_id, data, archive_projects=archive_projects, mark_tasks_as_done=mark_tasks_as_done
    )


@delete(BASE + "/{client_id:str}", status_code=200)
async def delete_client(ws: NamedDependency[WorkspaceContext], client_id: FromPath[str]) -> ClientOut:
    return await service.delete(ws, client_id)


router = Router(
    path="", route_handlers=[list_clients, create_client, get_client, update_client, delete_client]
)
