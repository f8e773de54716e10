"""Clockify Tag operations: /workspaces/{workspaceId}/tags."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response
from punchclock.tags import service
from punchclock.tags.schemas import TagCreate, TagOut, TagSort, TagUpdate

BASE = "/workspaces/{workspace_id:str}/tags"


@get(BASE)
async def list_tags(
    ws: NamedDependency[WorkspaceContext],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    name: FromQuery[str | None] = None,
    strict_name_search: Annotated[bool, QueryParameter(name="strict-name-search")] = False,
    excluded_ids: Annotated[str | None, QueryParameter(name="excluded-ids")] = None,
    archived: FromQuery[bool | None] = None,
    sort_column: Annotated[TagSort | None, QueryParameter(name="sort-column")] = None,
    sort_order: Annotated[SortOrder | None, QueryParameter(name="sort-order")] = None,
) -> Response[Any]:
    excluded = [i.strip() for i in (excluded_ids or "").split(",") if i.strip()]
    items, last = await service.search(
        ws,
        Page(page, page_size),
        name=name,
        strict_name=strict_name_search,
        excluded_ids=excluded,
        archived=archived,
        sort_column=sort_column,
        sort_order=sort_order,
    )
    return page_response(items, last)


@post(BASE)
async def create_tag(ws: NamedDependency[WorkspaceContext], data: JSONBody[TagCreate]) -> TagOut:
    return await service.create(ws, data)


@get(BASE + "/{tag_id:str}")
async def get_tag(ws: NamedDependency[WorkspaceContext], tag_id: FromPath[str]) -> TagOut:
    return await service.get(ws, tag_id)


@put(BASE + "/{tag_id:str}")
async def update_tag(
    ws: NamedDependency[WorkspaceContext], tag_id: FromPath[str], data: JSONBody[TagUpdate]
) -> TagOut:
    return await service.replace(ws, tag_id, data)


@delete(BASE + "/{tag_id:str}", status_code=200)
async def delete_tag(ws: NamedDependency[WorkspaceContext], tag_id: FromPath[str]) -> TagOut:
    return await service.delete(ws, tag_id)


router = Router(path="", route_handlers=[list_tags, create_tag, get_tag, update_tag, delete_tag])
