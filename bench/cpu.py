"""Where the CPU went during a measurement (Linux /proc; zeros elsewhere).

Server and load generator share the machine, and so may other work (a test suite, another bench): each
scenario's CPU is split into server, database, wrk and *other*, so that a run disturbed by foreign load
shows as such instead of passing for a slow server. On a virtual machine the host may also run other
guests on our cores: that time is *steal* (/proc/stat), counted apart, since no process here spent it.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def _hz() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK"))
    except (ValueError, OSError, AttributeError):
        return 100


HZ = _hz()


@dataclass(frozen=True, slots=True)
class Proc:
    pid: int
    ppid: int
    session: int
    ticks: int  # utime + stime
    reaped_ticks: int = 0  # cutime + cstime: of its children that ended and that it waited for


def processes() -> list[Proc]:
    found = []
    try:
        entries = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # After "pid (comm) ": state ppid pgrp session … utime(14) stime(15) cutime(16) cstime(17), counted
        # from field 3.
        fields = stat[stat.rfind(")") + 2 :].split()
        found.append(
            Proc(
                int(entry),
                int(fields[1]),
                int(fields[3]),
                int(fields[11]) + int(fields[12]),
                int(fields[13]) + int(fields[14]),
            )
        )
    return found


def _seconds(keep: Callable[[Proc], bool], procs: list[Proc]) -> float:
    return sum(p.ticks for p in procs if keep(p)) / HZ


def session_seconds(sid: int, procs: list[Proc] | None = None) -> float:
    """CPU seconds of the live processes of session `sid` (a server started with start_new_session)."""
    return _seconds(lambda p: p.session == sid, processes() if procs is None else procs)


def tree_seconds(root: int, procs: list[Proc] | None = None) -> float:
    """CPU seconds of `root` and its live descendants (e.g. the postmaster and its backends), plus those of
    the children `root` reaped: a backend that ends during a measurement (an autovacuum worker, a parallel
    worker of an index build) moves its time into the postmaster's, instead of vanishing from the sum and
    leaving the measurement's share to "other" (which read 54-184 % of the machine in two runs)."""
    procs = processes() if procs is None else procs
    parent = {p.pid: p.ppid for p in procs}

    def under_root(p: Proc) -> bool:
        pid, hops = p.pid, 0
        while pid > 1 and hops < 64:
            if pid == root:
                return True
            pid, hops = parent.get(pid, 0), hops + 1
        return False

    reaped = sum(p.reaped_ticks for p in procs if p.pid == root) / HZ
    return _seconds(under_root, procs) + reaped


def machine_seconds() -> tuple[float, float]:
    """CPU seconds of the whole machine since boot, all cores (/proc/stat): busy (less idle, iowait and
    steal), and steal (time the virtual machine's host gave our cores to someone else)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    ticks = [int(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    steal = ticks[7]
    return (sum(ticks) - ticks[3] - ticks[4] - steal) / HZ, steal / HZ


def children_seconds() -> float:
    """CPU seconds of our reaped children (wrk runs are reaped when they finish)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Snapshot:
    at: float
    machine: float
    steal: float
    server: float
    database: float
    children: float


@dataclass(frozen=True)
class CpuSplit:
    """CPU seconds spent during one measurement, by whom; `other` is everything not ours."""

    wall_s: float
    server: float
    database: float
    wrk: float
    other: float
    steal: float = 0.0

    def _share(self, seconds: float, cores: int) -> float:
        capacity = self.wall_s * cores
        return seconds / capacity if capacity > 0 else 0.0

    def other_share(self, cores: int) -> float:
        """`other` as a share of the machine's capacity over the measurement (0..1)."""
        return self._share(self.other, cores)

    def steal_share(self, cores: int) -> float:
        """Steal as a share of the machine's capacity over the measurement (0..1)."""
        return self._share(self.steal, cores)

    def as_json(self, requests: int, cores: int) -> dict[str, float | None]:
        def per_request(seconds: float) -> float | None:
            return round(seconds / requests * 1e6, 1) if requests else None

        return {
            "wall_s": round(self.wall_s, 3),
            "server_s": round(self.server, 3),
            "database_s": round(self.database, 3),
            "wrk_s": round(self.wrk, 3),
            "other_s": round(self.other, 3),
            "server_us_per_request": per_request(self.server),
            "database_us_per_request": per_request(self.database),
            "other_share_of_machine": round(self.other_share(cores), 3),
            "steal_s": round(self.steal, 3),
            "steal_share_of_machine": round(self.steal_share(cores), 3),
        }


def snapshot(at: float, server_session: int, database_pid: int | None) -> Snapshot:
    procs = processes()
    busy, steal = machine_seconds()
    return Snapshot(
        at=at,
        machine=busy,
        steal=steal,
        server=session_seconds(server_session, procs),
        database=tree_seconds(database_pid, procs) if database_pid else 0.0,
        children=children_seconds(),
    )


def split(before: Snapshot, after: Snapshot) -> CpuSplit:
    server = after.server - before.server
    database = after.database - before.database
    wrk = after.children - before.children
    busy = after.machine - before.machine
    return CpuSplit(
        wall_s=after.at - before.at,
        server=server,
        database=database,
        wrk=wrk,
        other=max(0.0, busy - server - database - wrk),
        steal=max(0.0, after.steal - before.steal),
    )
