"""`GET /health`: is the server up and can it reach its database."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State

from punchclock import __version__
from punchclock.kit.db import Database


@get("/health", include_in_schema=False)
async def health(request: Request[Any, Any, State]) -> Response[dict[str, Any]]:
    db: Database = request.app.state.db
    started = time.perf_counter()
    unit = db.begin(write=False)
    try:
        await unit.fetch_val("SELECT 1")
        await unit.finish(ok=True)
        database: dict[str, Any] = {"dialect": db.dialect, "status": "ok"}
    except Exception as exc:  # any failure means "unhealthy", reported rather than raised
        await unit.finish(ok=False)
        database = {"dialect": db.dialect, "status": "error", "error": str(exc)}
    database["latencyMs"] = round((time.perf_counter() - started) * 1000, 3)
    ok = database["status"] == "ok"
    return Response(
        {"status": "ok" if ok else "degraded", "version": __version__, "database": database},
        status_code=200 if ok else 503,
    )
