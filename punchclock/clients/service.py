"""Client rules: unique names per workspace, archive before delete, PUT replaces the record."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from punchclock.clients import store
from punchclock.clients.schemas import ClientCreate, ClientOut, ClientUpdate
from punchclock.kit import ids
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.db import Row, UniqueViolation
from punchclock.kit.errors import ApiError, bad_request, not_in_workspace
from punchclock.kit.listing import SortOrder, name_key
from punchclock.kit.paging import Page, paged
from punchclock.kit.time import now_ms
from punchclock.kit.wire import is_email
from punchclock.workspaces import service as workspaces

MAX_NAME = 100
MAX_CC_EMAILS = 3


def to_out(row: Row | Mapping[str, Any], ws: WorkspaceContext | None = None) -> ClientOut:
    """A stored client; `ws` supplies the workspace's currency to rows read without it (store.search)."""
    if ws is not None:
        currency_id, currency_code = row["currency_id"] or ws.currency_id, ws.currency_code
    else:
        currency_id, currency_code = row["currency_id"], row["currency_code"]
    return ClientOut(
        id=row["id"],
        name=row["name"],
        workspace_id=row["workspace_id"],
        archived=bool(row["archived"]),
        address=row["address"],
        note=row["note"],
        email=row["email"],
        cc_emails=store.cc_emails_of(row),
        currency_id=currency_id,
        currency_code=currency_code,
    )


def _valid_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise bad_request("Client name can't be empty")
    if len(cleaned) > MAX_NAME:
        raise bad_request(f"Client name can't be longer than {MAX_NAME} characters")
    return cleaned


def _valid_email(email: str | None) -> str | None:
    if email is None or email.strip() == "":
        return None
    if not is_email(email.strip()):
        raise bad_request("Email is not valid")
    return email.strip()


def _duplicate() -> ApiError:
    return bad_request("Client with this name already exists")


async def require(ctx: WorkspaceContext, client_id: str) -> Row:
    """The client, or Clockify's refusal for an unknown/foreign/malformed id."""
    row = await store.get(ctx.unit, ctx.workspace_id, client_id) if ids.is_id(client_id) else None
    if row is None:
        raise not_in_workspace("Client")
    return row


async def create(ctx: WorkspaceContext, body: ClientCreate) -> ClientOut:
    settings = await workspaces.settings_of(ctx)
    if settings.only_admins_create_project and not ctx.is_admin:
        ctx.require_admin()
    name = _valid_name(body.name)
    values = {
        "id": ids.new_id(),
        "workspace_id": ctx.workspace_id,
        "name": name,
        "name_key": name_key(name),
        "email": _valid_email(body.email),
        "address": body.address,
        "note": body.note,
        "archived": False,
        # Clockify ignores ccEmails and currencyId on create (FACTS "Delete and update semantics").
        "currency_id": None,
        "cc_emails": "[]",
        "created_at": now_ms(),
    }
    try:
        await store.insert(ctx.unit, values)
    except UniqueViolation:
        raise _duplicate() from None
    # What was stored, with the workspace's currency (a new client has none of its own): no read-back.
    return to_out({**values, "currency_id": ctx.currency_id, "currency_code": ctx.currency_code})


async def get(ctx: WorkspaceContext, client_id: str) -> ClientOut:
    return to_out(await require(ctx, client_id))


async def search(
    ctx: WorkspaceContext,
    page: Page,
    *,
    name: str | None = None,
    archived: bool | None = None,
    address: str | None = None,
    note: str | None = None,
    sort_column: str | None = None,
    sort_order: SortOrder | None = None,
) -> tuple[list[ClientOut], bool]:
    rows = await store.search(
        ctx.unit,
        ctx.workspace_id,
        name=name,
        archived=archived,
        address=address,
        note=note,
        sort_column=sort_column,
        sort_order=sort_order,
        limit=page.probe_limit,
        offset=page.offset,
    )
    page_rows, last = paged(rows, page)
    return [to_out(r, ctx) for r in page_rows], last


async def replace(
    ctx: WorkspaceContext,
    client_id: str,
    body: ClientUpdate,
    *,
    archive_projects: bool = False,
    mark_tasks_as_done: bool = False,
) -> ClientOut:
    """Full replace: omitted fields are cleared, except the name (never blank) and the currency (kept).
    Archiving the client may archive its projects too (`archive-projects`) and mark their tasks DONE
    (`mark-tasks-as-done`)."""
    ctx.require_admin()
    current = await require(ctx, client_id)
    name = _valid_name(body.name) if body.name is not None else current["name"]
    cc_emails = [e.strip() for e in (body.cc_emails or []) if e.strip()]
    if len(cc_emails) > MAX_CC_EMAILS:
        raise bad_request("Number of additional emails must be less than 3")
    for address in cc_emails:
        if not is_email(address):
            raise bad_request("Email is not valid")
    currency_id = current["currency_id"]
    if body.currency_id is not None:
        currency_id = await workspaces.require_currency(ctx, body.currency_id)
    try:
        await store.replace(
            ctx.unit,
            ctx.workspace_id,
            client_id,
            {
                "name": name,
                "name_key": name_key(name),
                "email": _valid_email(body.email),
                "address": body.address,
                "note": body.note,
                "archived": bool(body.archived),
                "currency_id": currency_id,
                "cc_emails": json.dumps(cc_emails),
            },
        )
    except UniqueViolation:
        raise _duplicate() from None
    if body.archived and (archive_projects or mark_tasks_as_done):
        from punchclock.projects import service as projects

        await projects.of_client_archived(
            ctx, client_id, archive=archive_projects, mark_tasks_done=mark_tasks_as_done
        )
    return to_out(await require(ctx, client_id))


async def delete(ctx: WorkspaceContext, client_id: str) -> ClientOut:
    ctx.require_admin()
    row = await require(ctx, client_id)
    if not row["archived"]:
        raise bad_request("Cannot delete an active client")
    from punchclock.projects import service as projects

    # Its projects (and their tracked time) stay, without a client.
    await projects.detach_client(ctx, client_id)
    await store.delete(ctx.unit, ctx.workspace_id, client_id)
    return to_out(row)
