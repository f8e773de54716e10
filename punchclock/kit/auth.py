"""Who is calling: `X-Api-Key` / `X-Addon-Token` → the caller, and for workspace routes their membership.

Each request gets one transaction (`provide_unit`), opened lazily on its first statement and finished
once after the handler: committed when the handler returned, rolled back when it raised.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any, cast

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from punchclock.kit.db import Database, Unit
from punchclock.kit.errors import (
    CODE_BAD_ADDON_TOKEN,
    CODE_NO_AUTH,
    CODE_UNKNOWN_KEY,
    ApiError,
    access_denied,
)

ADMIN_ROLES = frozenset({"OWNER", "WORKSPACE_ADMIN"})


def new_api_key() -> str:
    return secrets.token_urlsafe(36)


def hash_api_key(key: str) -> str:
    # Keys are 288 random bits, so a plain SHA-256 is as safe as a slow hash and costs microseconds.
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Caller:
    unit: Unit
    user_id: str


@dataclass(frozen=True, slots=True)
class WorkspaceContext:
    """The caller inside one workspace they belong to: what every workspace-scoped service receives."""

    unit: Unit
    user_id: str
    workspace_id: str
    role: str
    # The workspace's settings JSON and currency as read with the membership (see
    # workspaces.service.settings_of): most writes need them, and this saves each a query.
    settings_json: str = "{}"
    currency_id: str = ""
    currency_code: str = "USD"
    # The caller's member rates and the workspace's (hourly, cost; minor units or None), as read with the
    # membership: an entry of the caller's own without a project needs nothing else to be priced.
    own_rates: tuple[int | None, int | None, int | None, int | None] | None = None

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    def require_admin(self) -> None:
        if not self.is_admin:
            raise access_denied()


# Route option of handlers that only read although their verb is POST (the reports host's reports): their
# unit is a read transaction, which on SQLite takes no write lock (a year's summary would hold it).
READ_ONLY = "punchclock.read_only"


def _writes(request: Request[Any, Any, State]) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    return not request.route_handler.opt.get(READ_ONLY, False)


async def provide_unit(request: Request[Any, Any, State]) -> AsyncGenerator[Unit, None]:
    db: Database = request.app.state.db
    unit = db.begin(write=_writes(request))
    try:
        yield unit
    except BaseException:
        await unit.finish(ok=False)
        raise
    await unit.finish(ok=True)


_CREDENTIAL_HEADERS = (b"x-api-key", b"x-addon-token", b"authorization")


def _presented_key(request: Request[Any, Any, State]) -> str:
    """The request's one credential. Read from the raw ASGI headers (names arrive lower-cased): building
    Litestar's header mapping for this alone cost a few percent of a small write."""
    api_key: str | None = None
    presented = addon_tokens = 0
    for name, value in cast("list[tuple[bytes, bytes]]", request.scope["headers"]):
        if name in _CREDENTIAL_HEADERS:
            presented += 1
            if name == b"x-api-key":
                api_key = value.decode("latin-1")
            elif name == b"x-addon-token":
                addon_tokens += 1
    if presented != 1:
        raise ApiError(401, "Multiple or none auth tokens present", CODE_NO_AUTH)
    if addon_tokens:
        # Add-ons are not supported yet; no add-on token can be valid.
        raise ApiError(401, "Token is not valid", CODE_BAD_ADDON_TOKEN)
    if api_key is None:
        raise ApiError(401, "Multiple or none auth tokens present", CODE_NO_AUTH)
    return api_key


_KEY_HASH = "punchclock.key_hash"


def _key_hash(request: Request[Any, Any, State]) -> str:
    """The SHA-256 of the request's one credential, computed once per request (the early check and the
    request's own lookup both need it)."""
    scope = cast("dict[str, Any]", request.scope)
    cached: str | None = scope.get(_KEY_HASH)
    if cached is None:
        cached = scope[_KEY_HASH] = hash_api_key(_presented_key(request))
    return cached


_CALLER_SQL = """
SELECT u.id FROM api_keys k JOIN users u ON u.id = k.user_id
WHERE k.key_hash = :key_hash AND k.revoked_at IS NULL
"""

# The workspace's settings and currency come along: most writes consult them; and the caller's member and
# workspace rates, all an entry without a project needs to be priced (rates.service.resolve).
_MEMBER_SQL = """
SELECT u.id, m.role, m.status, w.settings, w.currency_id, w.currency_code,
    m.hourly_rate, m.cost_rate, w.hourly_rate, w.cost_rate FROM api_keys k
JOIN users u ON u.id = k.user_id
LEFT JOIN memberships m ON m.user_id = u.id AND m.workspace_id = :workspace_id
LEFT JOIN workspaces w ON w.id = m.workspace_id
WHERE k.key_hash = :key_hash AND k.revoked_at IS NULL
"""


class KnownKeys:
    """Hashes of keys recently seen live, so the early credential check costs no query on the hot path.

    Only the order of refusals depends on it: the request's own lookup (in its transaction) is what grants
    access, so a key revoked a moment ago is still refused there.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._hashes: dict[str, None] = {}

    def __contains__(self, key_hash: str) -> bool:
        return key_hash in self._hashes

    def add(self, key_hash: str) -> None:
        if len(self._hashes) >= self._capacity:
            self._hashes.pop(next(iter(self._hashes)))
        self._hashes[key_hash] = None


async def check_credentials(request: Request[Any, Any, State]) -> None:
    """`before_request` hook of every authenticated router: Clockify refuses bad credentials before it
    looks at the body, while Litestar would decode (and reject) the body first."""
    key_hash = _key_hash(request)
    known: KnownKeys = request.app.state.known_keys
    if key_hash in known:
        return
    db: Database = request.app.state.db
    unit = db.begin(write=False)
    try:
        row = await unit.fetch_one(_CALLER_SQL, {"key_hash": key_hash})
    finally:
        await unit.finish(ok=True)
    if row is None:
        raise ApiError(401, "Api key does not exist", CODE_UNKNOWN_KEY)
    known.add(key_hash)


async def provide_caller(request: Request[Any, Any, State], unit: NamedDependency[Unit]) -> Caller:
    row = await unit.fetch_one(_CALLER_SQL, {"key_hash": _key_hash(request)})
    if row is None:
        raise ApiError(401, "Api key does not exist", CODE_UNKNOWN_KEY)
    return Caller(unit=unit, user_id=row[0])


async def provide_workspace(
    request: Request[Any, Any, State],
    unit: NamedDependency[Unit],
    workspace_id: FromPath[str],
) -> WorkspaceContext:
    """Authenticate and check membership in one query. Non-members, unknown and malformed workspace ids
    are refused alike, so workspace ids cannot be probed."""
    row = await unit.fetch_one(_MEMBER_SQL, {"key_hash": _key_hash(request), "workspace_id": workspace_id})
    if row is None:
        raise ApiError(401, "Api key does not exist", CODE_UNKNOWN_KEY)
    if row[1] is None or row[2] in ("DECLINED", "INACTIVE"):
        raise access_denied()
    return WorkspaceContext(
        unit=unit,
        user_id=row[0],
        workspace_id=workspace_id,
        role=row[1],
        settings_json=row[3] or "{}",
        currency_id=row[4],
        currency_code=row[5],
        own_rates=(row[6], row[7], row[8], row[9]),
    )


DEPENDENCIES = {
    "unit": Provide(provide_unit),
    "caller": Provide(provide_caller),
    "ws": Provide(provide_workspace),
}
