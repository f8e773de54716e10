"""Accounts as the operator manages them (CLI, first start): users, their workspaces, their API keys.

These take a bare Unit because there is no calling user: the operator acts on the server directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from punchclock.kit import ids
from punchclock.kit.auth import hash_api_key, new_api_key
from punchclock.kit.db import Unit
from punchclock.kit.errors import bad_request
from punchclock.kit.time import now_ms
from punchclock.kit.wire import is_email
from punchclock.users import store
from punchclock.workspaces import service as workspaces


@dataclass(frozen=True)
class NewAccount:
    user_id: str
    workspace_id: str | None
    api_key: str


def email_key(email: str) -> str:
    return email.strip().lower()


async def issue_api_key(unit: Unit, user_id: str) -> str:
    key = new_api_key()
    await store.insert_api_key(
        unit,
        {
            "id": ids.new_id(),
            "user_id": user_id,
            "key_hash": hash_api_key(key),
            "hint": key[-4:],
            "created_at": now_ms(),
        },
    )
    return key


def valid_time_zone(name: str) -> str:
    """An IANA zone name (`Europe/Berlin`, `UTC`), or a refusal."""
    cleaned = name.strip()
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise bad_request(f"Unknown time zone: {name!r}") from None
    return cleaned


async def set_time_zone(unit: Unit, user_id: str, time_zone: str) -> None:
    """The account's time zone (Clockify's API has no route for it; the operator sets it). Kept here, not
    in users/store.py, as the one write the operator tooling needs."""
    await unit.execute(
        "UPDATE users SET time_zone = :tz WHERE id = :id", {"tz": valid_time_zone(time_zone), "id": user_id}
    )


async def create_account(
    unit: Unit, email: str, name: str, workspace_name: str | None, time_zone: str | None = None
) -> NewAccount:
    """Create a user (or reuse one with that email), put them in `workspace_name` (created with them as
    owner when no workspace of theirs has that name) and issue a fresh API key. `time_zone` (an IANA
    name) sets the account's zone when given."""
    if not is_email(email.strip()):
        raise bad_request(f"Email is not valid: {email!r}")
    key_of_email = email_key(email)
    existing = await store.get_by_email(unit, key_of_email)
    if existing is None:
        user_id = ids.new_id()
        await store.insert(
            unit,
            {
                "id": user_id,
                "email": email.strip(),
                "email_key": key_of_email,
                "name": name.strip() or email.strip(),
                "status": "ACTIVE",
                "workspace_id": None,
                "created_at": now_ms(),
            },
        )
    else:
        user_id = existing["id"]
        if existing["status"] == "NOT_REGISTERED":
            # Invited by email (`POST /workspaces/{ws}/users`) and now given an account by the operator.
            await store.set_status(unit, user_id, "ACTIVE")
            if name.strip():
                await store.set_name(unit, user_id, name.strip())
    if time_zone is not None:
        await set_time_zone(unit, user_id, time_zone)
    workspace_id = None
    if workspace_name:
        mine = await workspaces.rows_for_user(unit, user_id)
        match = next((w for w in mine if w["name"] == workspace_name.strip()), None)
        workspace_id = match["id"] if match else await workspaces.create_owned(unit, user_id, workspace_name)
        await store.set_default_workspace(unit, user_id, workspace_id)
    return NewAccount(user_id=user_id, workspace_id=workspace_id, api_key=await issue_api_key(unit, user_id))


async def api_key_for(unit: Unit, email: str) -> str:
    user = await store.get_by_email(unit, email_key(email))
    if user is None:
        raise bad_request(f"No user with email {email!r}")
    return await issue_api_key(unit, user["id"])
