"""`python -m bench.instructions`: CPU instructions per request, counted by valgrind, for A/B of a change.

Wall-clock and CPU time on a shared VM drift by tens of percent within minutes, so two versions of the code
cannot be told apart by timing them unless they differ a lot. Instructions executed can: valgrind's
cachegrind counts them exactly, whatever else the machine does. This drives the app in-process (ASGI calls,
no sockets, 8 requests in flight so that SQLite's group commit works as it does when serving) twice under
cachegrind, `--baseline` and `--requests` times after the same warm-up, and prints the difference divided
by the extra requests: the marginal instructions of one request, start-up and warm-up cancelled out.

    .venv/bin/punchclock demo seed --entries 1000000 --data-dir /tmp/bench-db     # once; prints a key
    .venv/bin/python -m bench.instructions --data-dir /tmp/bench-db --api-key KEY entries.list user.get

Each count takes a minute or two (valgrind runs Python about 50 times slower). Requests that write add rows
to the database they run on.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import click

try:
    import uvloop
except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
    uvloop = None  # type: ignore[assignment]

WARM_UP = 200
IN_FLIGHT = 8
SCENARIOS = ("user.get", "clients.create", "clients.list", "entries.create", "entries.list")


def _request(scenario: str, workspace: str, user: str, n: int) -> tuple[str, str, bytes, bytes]:
    """Method, path, query string and body of the n-th request of a scenario."""
    unique = f"{os.getpid()}-{time.monotonic_ns()}-{n}"
    if scenario == "user.get":
        return "GET", "/api/v1/user", b"", b""
    if scenario == "clients.create":
        return "POST", f"/api/v1/workspaces/{workspace}/clients", b"", json.dumps({"name": unique}).encode()
    if scenario == "clients.list":
        return "GET", f"/api/v1/workspaces/{workspace}/clients", b"page-size=50", b""
    if scenario == "entries.create":
        body = {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:30:00Z", "description": unique}
        return "POST", f"/api/v1/workspaces/{workspace}/time-entries", b"", json.dumps(body).encode()
    if scenario == "entries.list":
        return "GET", f"/api/v1/workspaces/{workspace}/user/{user}/time-entries", b"page=1&page-size=50", b""
    raise click.BadParameter(f"unknown scenario {scenario!r}: one of {', '.join(SCENARIOS)}")


async def _drive(scenario: str, api_key: str, count: int) -> None:
    from punchclock.app import create_app

    app = create_app()
    litestar = app.app.app  # ServerTiming(PrefixRouter(Litestar))
    for hook in litestar.on_startup:
        await hook(litestar)
    statuses: dict[int, int] = {}

    async def call(method: str, path: str, query: bytes, body: bytes) -> bytes:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
            "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8080), "state": {},
            "headers": [(b"host", b"127.0.0.1"), (b"x-api-key", api_key.encode()),
                        (b"content-type", b"application/json")],
        }  # fmt: skip
        chunks: list[bytes] = []
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                await asyncio.Event().wait()  # never: the request has no more body
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses[message["status"]] = statuses.get(message["status"], 0) + 1
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return b"".join(chunks)

    me = json.loads(await call("GET", "/api/v1/user", b"", b""))
    workspace, user = me["activeWorkspace"], me["id"]
    sent = 0

    async def one() -> None:
        nonlocal sent
        sent += 1
        await call(*_request(scenario, workspace, user, sent))

    async def worker(times: int) -> None:
        for _ in range(times):
            await one()

    run: Callable[[int], Awaitable[Any]] = lambda n: asyncio.gather(  # noqa: E731
        *(worker(n // IN_FLIGHT + (i < n % IN_FLIGHT)) for i in range(IN_FLIGHT))
    )
    await run(WARM_UP)
    await run(count)
    for hook in litestar.on_shutdown:
        await hook(litestar)
    failed = {s: n for s, n in statuses.items() if s >= 400}
    if failed:
        raise SystemExit(f"{scenario}: responses with status {failed}")


_IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _instructions(scenario: str, api_key: str, count: int, env: dict[str, str]) -> int:
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, "-m", "bench.instructions", "--drive", str(count), "--api-key", api_key, scenario,
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    found = _IREFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise click.ClickException(f"{scenario}: valgrind run failed:\n{done.stdout}{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


@click.command()
@click.argument("scenario_names", metavar="SCENARIO...", nargs=-1, required=True)
@click.option("--api-key", required=True, help="The owner's key (`punchclock demo seed` prints one).")
@click.option("--data-dir", default=None, help="Folder of the SQLite database [PUNCHCLOCK_DATA_DIR].")
@click.option("--database-url", default=None, help="postgresql://… instead [PUNCHCLOCK_DATABASE_URL].")
@click.option("--requests", "requests_", default=400, show_default=True, help="Requests of the long run.")
@click.option("--baseline", default=100, show_default=True, help="Requests of the short run.")
@click.option("--drive", type=int, default=None, hidden=True, help="Internal: serve this many requests.")
def main(
    scenario_names: tuple[str, ...],
    api_key: str,
    data_dir: str | None,
    database_url: str | None,
    requests_: int,
    baseline: int,
    drive: int | None,
) -> None:
    """Marginal CPU instructions per request of each SCENARIO (user.get, clients.create, clients.list,
    entries.create, entries.list)."""
    if drive is not None:
        # The event loop the server runs on: granian picks uvloop when it is installed.
        run = asyncio.run if uvloop is None else uvloop.run
        run(_drive(scenario_names[0], api_key, drive))
        return
    if shutil.which("valgrind") is None:
        raise click.ClickException("valgrind is needed (apt-get install valgrind)")
    if requests_ <= baseline:
        raise click.BadParameter("--requests must exceed --baseline")
    env = dict(os.environ)
    if data_dir:
        env["PUNCHCLOCK_DATA_DIR"] = data_dir
    if database_url:
        env["PUNCHCLOCK_DATABASE_URL"] = database_url
    for scenario in scenario_names:
        _request(scenario, "", "", 0)  # refuse an unknown name before minutes of valgrind
        short = _instructions(scenario, api_key, baseline, env)
        long = _instructions(scenario, api_key, requests_, env)
        click.echo(f"{scenario}: {(long - short) / (requests_ - baseline):,.0f} instructions per request")


if __name__ == "__main__":
    main()
