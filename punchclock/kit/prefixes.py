"""Every Clockify URL layout a client may use, folded onto one route table.

Clockify clients are configured with a base URL: `/api/v1` (the API host), `/v1` (docs), `/api` (legacy),
`/clockify/api/v1` (the gateway); reports live at `/reports/v1`, `/report/v1` (regional hosts) and the
same under `/clockify`. Rewriting the path before routing keeps one canonical route per operation.
"""

from __future__ import annotations

from typing import Any

API = "/api/v1"
REPORTS = "/reports/v1"

# Longest first: `/api/v1/…` must not be read as the legacy `/api/…`.
_ALIASES: tuple[tuple[str, str], ...] = (
    ("/clockify/api/v1/", API + "/"),
    ("/clockify/reports/v1/", REPORTS + "/"),
    ("/clockify/report/v1/", REPORTS + "/"),
    ("/api/v1/", API + "/"),
    ("/reports/v1/", REPORTS + "/"),
    ("/report/v1/", REPORTS + "/"),
    ("/v1/", API + "/"),
    ("/api/", API + "/"),
)

ORIGINAL_PATH = "punchclock.original_path"


def canonical_path(path: str) -> str:
    probe = path if path.endswith("/") else path + "/"
    for alias, target in _ALIASES:
        if probe.startswith(alias):
            rest = path[len(alias) :]
            return target + rest if rest else target.rstrip("/")
    return path


class PrefixRouter:
    """ASGI wrapper that rewrites alias prefixes, keeping the original path for error messages."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            path = scope["path"]
            new_path = canonical_path(path)
            if new_path != path:
                scope = dict(scope)
                scope[ORIGINAL_PATH] = path
                scope["path"] = new_path
                scope["raw_path"] = new_path.encode()
        await self.app(scope, receive, send)
