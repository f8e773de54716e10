"""Outcomes: one per backend and scenario, judged against its goal, shown as one table and saved as JSON."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.cpu import CpuSplit
from bench.probe import ProbeResult
from bench.scenarios import Goal, Scenario
from bench.stream import StreamResult
from bench.wrk import WrkResult

CORES = os.cpu_count() or 1
NOISY_SHARE = 0.10  # foreign load above this share of the machine makes the figures pessimistic


@dataclass
class Outcome:
    backend: str
    scenario: Scenario
    result: WrkResult | None = None
    error: str | None = None
    setup_info: dict[str, Any] = field(default_factory=dict)
    cpu: CpuSplit | None = None
    ratio_to_hello: float | None = None
    probe: ProbeResult | None = None  # the sequential one-connection run, with Server-Timing
    stream: StreamResult | None = None  # a streamed export's sequential run: rows/s and worker memory

    @property
    def goal(self) -> Goal | None:
        return self.scenario.goals.get(self.backend)

    def _per_request(self, seconds: float | None) -> float | None:
        if seconds is None or self.result is None or self.result.requests == 0:
            return None
        return seconds / self.result.requests * 1e6

    @property
    def server_us_per_request(self) -> float | None:
        """Server CPU (granian main + workers) per request, in microseconds."""
        return self._per_request(self.cpu.server if self.cpu else None)

    @property
    def database_us_per_request(self) -> float | None:
        """PostgreSQL's CPU per request (a throwaway cluster's only; SQLite runs inside the server)."""
        return self._per_request(self.cpu.database if self.cpu and self.cpu.database else None)

    @property
    def other_cpu_share(self) -> float | None:
        """The share of the machine used by processes that are neither the server, its database nor wrk."""
        return self.cpu.other_share(CORES) if self.cpu else None

    @property
    def steal_share(self) -> float | None:
        """The share of the machine's capacity that the virtual machine's host gave to others."""
        return self.cpu.steal_share(CORES) if self.cpu else None

    def misses(self) -> list[str]:
        """Why this outcome misses its goal (empty: met, or no goal)."""
        goal, result = self.goal, self.result
        if goal is None:
            return []
        if result is None and self.probe is None and self.stream is None:
            return ["not measured"]
        reasons = []
        if result is not None:
            if result.rps < goal.min_rps:
                reasons.append(f"{result.rps:,.0f}/s < {goal.min_rps:,.0f}/s")
            p99 = result.latency_ms["p99"]
            if goal.max_p99_ms is not None and p99 > goal.max_p99_ms:
                reasons.append(f"p99 {p99:.1f} ms > {goal.max_p99_ms:g} ms")
            failed = result.non_2xx + result.socket_errors
            if failed:
                reasons.append(f"{failed:,} failed requests")
        reasons += self._stream_misses(goal)
        if goal.max_server_ms is not None:
            server = self.probe.server_ms if self.probe is not None else None
            if server is None:
                reasons.append("no Server-Timing measured")
            elif server["p50"] > goal.max_server_ms:
                reasons.append(f"server p50 {server['p50']:.1f} ms > {goal.max_server_ms:g} ms")
        if self.probe is not None and any(not code.startswith("2") for code in self.probe.statuses):
            reasons.append(f"probe statuses {self.probe.statuses}")
        return reasons

    def _stream_misses(self, goal: Goal) -> list[str]:
        if goal.min_rows_per_s is None and goal.max_rss_growth_mb is None:
            return []
        stream = self.stream
        if stream is None:
            return ["export not measured"]
        reasons = []
        if goal.min_rows_per_s is not None and stream.rows_per_s < goal.min_rows_per_s:
            reasons.append(f"{stream.rows_per_s:,.0f} rows/s < {goal.min_rows_per_s:,.0f} rows/s")
        growth = stream.rss_mb["peak"] - stream.rss_mb["before"]
        if goal.max_rss_growth_mb is not None and growth > goal.max_rss_growth_mb:
            reasons.append(f"worker RSS grew {growth:.0f} MB > {goal.max_rss_growth_mb:g} MB")
        if any(not code.startswith("2") for code in stream.statuses):
            reasons.append(f"export statuses {stream.statuses}")
        return reasons

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return "ERROR"
        if self.goal is None:
            return "-"
        return "MISS" if self.misses() else "PASS"

    def as_json(self) -> dict[str, Any]:
        goal = self.goal
        return {
            "backend": self.backend,
            "scenario": self.scenario.name,
            "method": self.scenario.method,
            "path": self.scenario.path,
            "description": self.scenario.description,
            "setup": self.setup_info,
            "result": self.result.as_json() if self.result else None,
            "error": self.error,
            "ratio_to_hello": round(self.ratio_to_hello, 4) if self.ratio_to_hello is not None else None,
            "cpu": self.cpu.as_json(self.result.requests, CORES) if self.cpu and self.result else None,
            "probe": self.probe.as_json() if self.probe else None,
            "stream": self.stream.as_json() if self.stream else None,
            "goal": (
                {
                    "min_rps": goal.min_rps,
                    "max_p99_ms": goal.max_p99_ms,
                    "max_server_ms": goal.max_server_ms,
                    "min_rows_per_s": goal.min_rows_per_s,
                    "max_rss_growth_mb": goal.max_rss_growth_mb,
                }
                if goal
                else None
            ),
            "verdict": self.verdict,
            "misses": self.misses(),
        }


def add_ratios(outcomes: list[Outcome]) -> float | None:
    """Fill ratio_to_hello from the baseline's hello row; return the baseline's req/s."""
    hello = next((o for o in outcomes if o.scenario.kinds == frozenset({"baseline"}) and o.result), None)
    if hello is None or hello.result is None or hello.result.rps == 0:
        return None
    for outcome in outcomes:
        if outcome.result is not None:
            outcome.ratio_to_hello = outcome.result.rps / hello.result.rps
    return hello.result.rps


def _num(value: float | None, fmt: str) -> str:
    return "" if value is None else format(value, fmt)


def table(outcomes: list[Outcome], title: str) -> Table:
    t = Table(title=title, title_justify="left", header_style="bold")
    t.add_column("backend", no_wrap=True)
    t.add_column("scenario", no_wrap=True)
    t.add_column("req/s", justify="right")
    t.add_column("p50 ms", justify="right")
    t.add_column("p99 ms", justify="right")
    t.add_column("errors/non-2xx", justify="right")  # socket errors (connect, read, write, timeout)
    t.add_column("1-conn p50", justify="right")  # the probe: one request at a time, round trip (ms)
    t.add_column("server p50/p99", justify="right")  # the probe's Server-Timing app;dur (ms)
    t.add_column("vs hello", justify="right")
    t.add_column("app µs/req", justify="right")  # server CPU (all workers) per request
    t.add_column("db µs/req", justify="right")  # PostgreSQL's CPU per request, when we run it
    t.add_column("other CPU", justify="right")  # the machine's share used by foreign processes
    t.add_column("steal", justify="right")  # the share the VM's host gave to other guests
    t.add_column("export rows/s · RSS MB", justify="right")  # a streamed export: before→peak→after
    t.add_column("target", no_wrap=True)
    t.add_column("result")
    styles = {"PASS": "bold green", "MISS": "bold red", "ERROR": "bold red", "-": "dim"}
    for o in outcomes:
        r = o.result
        verdict = o.verdict
        t.add_row(
            o.backend,
            o.scenario.name,
            _num(r.rps if r else None, ",.0f"),
            _num(r.latency_ms["p50"] if r else None, ".2f"),
            _num(r.latency_ms["p99"] if r else None, ".2f"),
            f"{r.socket_errors:,}/{r.non_2xx:,}" if r else "",
            _num(o.probe.client_ms["p50"] if o.probe else None, ".2f"),
            f"{o.probe.server_ms['p50']:.2f}/{o.probe.server_ms['p99']:.2f}"
            if o.probe and o.probe.server_ms
            else "",
            _num(o.ratio_to_hello, ".2f"),
            _num(o.server_us_per_request, ",.0f"),
            _num(o.database_us_per_request, ",.0f"),
            _num(o.other_cpu_share, ".0%"),
            _num(o.steal_share, ".0%"),
            f"{o.stream.rows_per_s:,.0f} · {o.stream.rss_mb['before']:.0f}→{o.stream.rss_mb['peak']:.0f}"
            f"→{o.stream.rss_mb['after']:.0f}"
            if o.stream
            else "",
            o.goal.describe() if o.goal else "",
            f"[{styles[verdict]}]{verdict}[/]",
        )
    return t


def print_summary(console: Console, outcomes: list[Outcome]) -> None:
    judged = [o for o in outcomes if o.goal is not None]
    missed = [o for o in judged if o.verdict != "PASS"]
    if not judged:
        return
    if missed:
        console.print(f"[bold red]{len(missed)} of {len(judged)} targets missed:[/]")
        for o in missed:
            why = "; ".join(o.misses()) if o.error is None else o.error
            console.print(f"  [red]✗[/] {o.backend} {o.scenario.name}: {why}")
    else:
        console.print(f"[bold green]All {len(judged)} targets met.[/]")
    for share, what, column, advice in (
        (lambda o: o.other_cpu_share, "other processes used", "other CPU", "rerun on a quiet machine"),
        (lambda o: o.steal_share, "the virtual machine's host took", "steal", "rerun later"),
    ):
        noisy = [share(o) or 0.0 for o in outcomes if (share(o) or 0.0) > NOISY_SHARE]
        if noisy:
            console.print(
                f"[yellow]! {what} up to {max(noisy):.0%} of the machine during {len(noisy)} "
                f"measurement(s) (column '{column}'): those figures are pessimistic; {advice}.[/]"
            )
    for o in outcomes:
        if o.result is not None and o.result.sample:
            console.print(f"  [yellow]![/] {o.backend} {o.scenario.name}: first non-2xx: {o.result.sample}")


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
