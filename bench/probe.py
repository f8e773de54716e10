"""The unloaded view of a scenario: a few hundred requests one after the other on one keep-alive connection,
timing each at the client and reading the server's own time from its `Server-Timing: app;dur=<ms>` header
(punchclock/kit/timing.py). wrk's figures are under load, with queueing; these are the cost of one request.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.errors import BenchError
from bench.wrk import UNIQUE
from punchclock.kit.timing import parse


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class ProbeResult:
    requests: int
    client_ms: dict[str, float]  # p50, p99 of the round trip on one connection
    server_ms: dict[str, float] | None  # p50, p99 of Server-Timing app;dur (None: the header was absent)
    statuses: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "client_ms": self.client_ms,
            "server_ms": self.server_ms,
            "statuses": self.statuses,
        }


def run_probe(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    body: str | None,
    requests: int,
    tag: str,
    timeout: float = 30.0,
    body_for: Callable[[int], str] | None = None,
) -> ProbeResult:
    """`requests` sequential requests to 127.0.0.1:`port` (`{{unique}}` in the body: unique each time;
    `body_for(i)`, when given, is the i-th request's body instead)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    client: list[float] = []
    server: list[float] = []
    statuses: dict[str, int] = {}
    try:
        for i in range(requests):
            text = body_for(i) if body_for is not None else body
            payload = text.replace(UNIQUE, f"{tag}-probe-{i}").encode() if text is not None else None
            started = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                raise BenchError(f"probe {method} {path}: {exc}") from None
            client.append((time.perf_counter() - started) * 1000.0)
            statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
            took = parse(response.getheader("server-timing"))
            if took is not None:
                server.append(took)
    finally:
        conn.close()
    return ProbeResult(
        requests=requests,
        client_ms={"p50": round(percentile(client, 50), 3), "p99": round(percentile(client, 99), 3)},
        server_ms=(
            {"p50": round(percentile(server, 50), 3), "p99": round(percentile(server, 99), 3)}
            if server
            else None
        ),
        statuses=dict(sorted(statuses.items())),
    )
