"""The sequential view of a big streamed response (a year's CSV export): a few requests one after the other,
each read to its end, timed at the client, its rows (lines after the header) counted, and the server's
memory watched: the resident set (VmRSS) of every process of the server's session sampled while the body
streams, and each one's lifetime peak (VmHWM) before and after. A flat-memory export leaves the peak where
the idle server had it, whatever the number of rows.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import cpu
from bench.errors import BenchError
from bench.probe import percentile
from punchclock.kit.timing import parse

SAMPLE_S = 0.01
READ_SIZE = 1 << 16


def _kib(status: str, field: str) -> int:
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory(session: int) -> dict[int, tuple[int, int]]:
    """{pid: (VmRSS KiB, VmHWM KiB)} of the live processes of `session` (the server and its workers)."""
    found: dict[int, tuple[int, int]] = {}
    for proc in cpu.processes():
        if proc.session != session:
            continue
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            continue
        found[proc.pid] = (_kib(status, "VmRSS"), _kib(status, "VmHWM"))
    return found


class Sampler(threading.Thread):
    """Samples the session's per-process RSS every SAMPLE_S until stopped; keeps each process's maximum."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.peak: dict[int, int] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            for pid, (rss, _) in memory(self.session).items():
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
            self._done.wait(SAMPLE_S)

    def stop(self) -> dict[int, int]:
        self._done.set()
        self.join()
        return self.peak


@dataclass(frozen=True)
class StreamResult:
    requests: int
    rows: int  # of one response (the same every time)
    bytes: int
    seconds: dict[str, float]  # p50 and max of the whole transfer, at the client
    rows_per_s: float  # rows / median seconds
    first_byte_ms: float  # median time to the response headers (Server-Timing: until the headers go)
    rss_mb: dict[str, float]  # the busiest worker: before, peak while streaming, after (VmRSS)
    hwm_mb: dict[str, float]  # the same worker's lifetime peak (VmHWM) before and after
    statuses: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def describe(self) -> str:
        rss = self.rss_mb
        return (
            f"{self.rows_per_s:,.0f} rows/s ({self.rows:,} rows, {self.bytes / 1e6:.1f} MB in "
            f"{self.seconds['p50']:.2f}s), worker RSS {rss['before']:.0f} → peak {rss['peak']:.0f} → "
            f"{rss['after']:.0f} MB"
        )


def run_stream(
    port: int,
    session: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    body: str | None,
    requests: int,
    timeout: float = 120.0,
) -> StreamResult:
    """A first request (it fills the caches an export meets: the database's page cache, names), then
    `requests` timed ones, each body read in 64 KiB pieces and its lines counted; memory is compared to
    what it was after the first."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    took: list[float] = []
    first: list[float] = []
    statuses: dict[str, int] = {}
    rows = size = 0
    before: dict[int, tuple[int, int]] = {}
    sampler = Sampler(session)
    try:
        for i in range(requests + 1):
            if i == 1:
                took.clear()
                first.clear()
                before = memory(session)
                sampler.start()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
                response = conn.getresponse()
                first.append(parse(response.getheader("server-timing")) or 0.0)
                lines = size = 0
                while True:
                    piece = response.read(READ_SIZE)
                    if not piece:
                        break
                    size += len(piece)
                    lines += piece.count(b"\n")
            except (OSError, http.client.HTTPException) as exc:
                raise BenchError(f"stream {method} {path}: {exc}") from None
            took.append(time.perf_counter() - started)
            statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
            rows = max(0, lines - 1)
    finally:
        peak = sampler.stop() if sampler.is_alive() else {}
        conn.close()
    after = memory(session)
    # The worker that served the export is the one whose resident set grew most while it streamed.
    pids = [p for p in after if p in before] or list(after)
    if not pids:
        raise BenchError("no server process to read memory from")
    busiest = max(pids, key=lambda p: peak.get(p, 0) - before.get(p, (0, 0))[0])
    mb = 1024.0
    median = percentile(took, 50)
    return StreamResult(
        requests=requests,
        rows=rows,
        bytes=size,
        seconds={"p50": round(median, 3), "max": round(max(took), 3)},
        rows_per_s=round(rows / median, 1) if median > 0 else 0.0,
        first_byte_ms=round(percentile(first, 50), 2),
        rss_mb={
            "before": round(before.get(busiest, (0, 0))[0] / mb, 1),
            "peak": round(peak.get(busiest, 0) / mb, 1),
            "after": round(after[busiest][0] / mb, 1),
        },
        hwm_mb={
            "before": round(before.get(busiest, (0, 0))[1] / mb, 1),
            "after": round(after[busiest][1] / mb, 1),
        },
        statuses=dict(sorted(statuses.items())),
    )
