"""Tag rules: unique names per workspace, PUT replaces (an omitted `archived` resets to false)."""

from __future__ import annotations

from punchclock.kit import ids
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.db import Row, UniqueViolation
from punchclock.kit.errors import ApiError, bad_request, not_in_workspace
from punchclock.kit.listing import SortOrder, name_key
from punchclock.kit.paging import Page, paged
from punchclock.kit.time import now_ms
from punchclock.tags import store
from punchclock.tags.schemas import TagCreate, TagOut, TagUpdate
from punchclock.workspaces import service as workspaces

MAX_NAME = 100


def to_out(row: Row) -> TagOut:
    return TagOut(
        id=row["id"], name=row["name"], workspace_id=row["workspace_id"], archived=bool(row["archived"])
    )


def _valid_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise bad_request("Tag name can't be empty")
    if len(cleaned) > MAX_NAME:
        raise bad_request(f"Tag name can't be longer than {MAX_NAME} characters")
    return cleaned


def _duplicate() -> ApiError:
    return bad_request("Tag with this name already exists")


async def require(ctx: WorkspaceContext, tag_id: str) -> Row:
    row = await store.get(ctx.unit, ctx.workspace_id, tag_id) if ids.is_id(tag_id) else None
    if row is None:
        raise not_in_workspace("Tag")
    return row


async def require_all(ctx: WorkspaceContext, tag_ids: list[str]) -> list[Row]:
    """Every id must be a tag of this workspace (used when other entities reference tags)."""
    wanted = list(dict.fromkeys(tag_ids))
    if not all(ids.is_id(t) for t in wanted):
        raise not_in_workspace("Tag")
    rows = await store.get_many(ctx.unit, ctx.workspace_id, wanted) if wanted else []
    if len(rows) != len(wanted):
        raise not_in_workspace("Tag")
    return rows


async def create(ctx: WorkspaceContext, body: TagCreate) -> TagOut:
    settings = await workspaces.settings_of(ctx)
    if settings.only_admins_create_tag:
        ctx.require_admin()
    name = _valid_name(body.name)
    tag_id = ids.new_id()
    try:
        await store.insert(
            ctx.unit,
            {
                "id": tag_id,
                "workspace_id": ctx.workspace_id,
                "name": name,
                "name_key": name_key(name),
                "archived": False,
                "created_at": now_ms(),
            },
        )
    except UniqueViolation:
        raise _duplicate() from None
    return TagOut(id=tag_id, name=name, workspace_id=ctx.workspace_id, archived=False)


async def get(ctx: WorkspaceContext, tag_id: str) -> TagOut:
    return to_out(await require(ctx, tag_id))


async def search(
    ctx: WorkspaceContext,
    page: Page,
    *,
    name: str | None = None,
    strict_name: bool = False,
    excluded_ids: list[str] | None = None,
    archived: bool | None = None,
    sort_column: str | None = None,
    sort_order: SortOrder | None = None,
) -> tuple[list[TagOut], bool]:
    rows = await store.search(
        ctx.unit,
        ctx.workspace_id,
        name=name,
        strict_name=strict_name,
        excluded_ids=excluded_ids or [],
        archived=archived,
        sort_column=sort_column,
        sort_order=sort_order,
        limit=page.probe_limit,
        offset=page.offset,
    )
    page_rows, last = paged(rows, page)
    return [to_out(r) for r in page_rows], last


async def replace(ctx: WorkspaceContext, tag_id: str, body: TagUpdate) -> TagOut:
    ctx.require_admin()
    current = await require(ctx, tag_id)
    name = _valid_name(body.name) if body.name is not None else current["name"]
    archived = bool(body.archived)
    try:
        await store.replace(
            ctx.unit,
            ctx.workspace_id,
            tag_id,
            {"name": name, "name_key": name_key(name), "archived": archived},
        )
    except UniqueViolation:
        raise _duplicate() from None
    return TagOut(id=tag_id, name=name, workspace_id=ctx.workspace_id, archived=archived)


async def delete(ctx: WorkspaceContext, tag_id: str) -> TagOut:
    ctx.require_admin()
    row = await require(ctx, tag_id)
    # Imported here: time entries validate their tags through this module.
    from punchclock.time_entries import service as time_entries

    await time_entries.detach_tag(ctx, tag_id)
    await store.delete(ctx.unit, ctx.workspace_id, tag_id)
    return to_out(row)
