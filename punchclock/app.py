"""create_app(settings) -> the ASGI application: every feature router, one route table, many URL prefixes."""

from __future__ import annotations

import gc
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig

from punchclock import __version__
from punchclock.clients.routes import router as clients_router
from punchclock.files.routes import public_files
from punchclock.files.routes import router as files_router
from punchclock.health.routes import health
from punchclock.kit import ids
from punchclock.kit.auth import DEPENDENCIES, KnownKeys, check_credentials
from punchclock.kit.db import connect
from punchclock.kit.errors import EXCEPTION_HANDLERS
from punchclock.kit.prefixes import API, REPORTS, PrefixRouter
from punchclock.kit.timing import ServerTiming
from punchclock.projects.routes import router as projects_router
from punchclock.reports.routes import router as reports_router
from punchclock.settings import Settings
from punchclock.shared_reports.routes import public_router as shared_reports_public
from punchclock.shared_reports.routes import router as shared_reports_router
from punchclock.tags.routes import router as tags_router
from punchclock.tasks.routes import router as tasks_router
from punchclock.time_entries.routes import router as time_entries_router
from punchclock.users.routes import router as users_router
from punchclock.workspaces.routes import router as workspaces_router

API_ROUTERS = [
    users_router,
    workspaces_router,
    clients_router,
    tags_router,
    files_router,
    projects_router,
    tasks_router,
    time_entries_router,
]


def create_litestar(settings: Settings) -> Litestar:
    db = connect(settings.effective_database_url, settings.effective_db_pool_size, serving=True)

    async def open_database(_: Litestar) -> None:
        ids.reseed_after_fork()
        await db.open()
        # Everything alive now (the app, its routes, types and caches) lives as long as the worker: out
        # of the collector's sight, a full collection walks only what requests left behind (fewer and
        # shorter pauses, which is where the slowest answers come from).
        gc.collect()
        gc.freeze()

    async def close_database(_: Litestar) -> None:
        await db.close()

    return Litestar(
        route_handlers=[
            Router(path=API, route_handlers=API_ROUTERS, before_request=check_credentials),
            Router(
                path=REPORTS,
                route_handlers=[reports_router, shared_reports_router],
                before_request=check_credentials,
            ),
            # The shared-report render checks credentials itself (public reports need none).
            Router(path=REPORTS, route_handlers=[shared_reports_public]),
            health,
            public_files,
        ],
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[open_database],
        on_shutdown=[close_database],
        state=State({"db": db, "settings": settings, "known_keys": KnownKeys()}),
        openapi_config=OpenAPIConfig(title="punchclock", version=__version__, path="/schema"),
        request_max_body_size=10 * 1024 * 1024,
        logging_config=None,
    )


def create_app(settings: Settings | None = None) -> Any:
    """The served application: alias prefixes folded onto the canonical routes."""
    return ServerTiming(PrefixRouter(create_litestar(settings or Settings.from_env())))


def serve_app() -> Any:
    """Factory for granian workers: settings come from the PUNCHCLOCK_* environment."""
    return create_app()
