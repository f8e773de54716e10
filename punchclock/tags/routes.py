"""Clockify Tag operations: /workspaces/{workspaceId}/tags."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, delete, get, post, put
from litestar.params import Parameter

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response
from punchclock.tags import service
from punchclock.tags.schemas import TagCreate, TagOut, TagSort, TagUpdate

BASE = "/workspaces/{workspace_id:str}/tags"


@get(BASE)
async def list_tags(
    ws: WorkspaceContext,
    page: PageParam,
    page_size: PageSizeParam,
    name: str | None = None,
    strict_name_search: bool = Parameter(query="strict-name-search", default=False),
    excluded_ids: str | None = Parameter(query="excluded-ids", default=None),
    archived: bool | None = None,
    sort_column: TagSort | None = Parameter(query="sort-column", default=None),
    sort_order: SortOrder | None = Parameter(query="sort-order", default=None),
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
async def create_tag(ws: WorkspaceContext, data: TagCreate) -> TagOut:
    return await service.create(ws, data)


@get(BASE + "/{tag_id:str}")
async def get_tag(ws: WorkspaceContext, tag_id: str) -> TagOut:
    return await service.get(ws, tag_id)


@put(BASE + "/{tag_id:str}")
async def update_tag(ws: WorkspaceContext, tag_id: str, data: TagUpdate) -> TagOut:
    return await service.replace(ws, tag_id, data)


@delete(BASE + "/{tag_id:str}", status_code=200)
async def delete_tag(ws: WorkspaceContext, tag_id: str) -> TagOut:
    return await service.delete(ws, tag_id)


router = Router(path="", route_handlers=[list_tags, create_tag, get_tag, update_tag, delete_tag])
