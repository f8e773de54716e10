"""`python -m bench` (`make bench ARGS=…`): start the servers, load them with wrk, print one table, save JSON.

Exit status: 0 when everything was measured (missed targets are printed, not failed), 1 when something
could not be measured (a server did not start, wrk failed…), 2 on a usage problem (wrk missing…).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from bench import cpu
from bench.errors import BenchError
from bench.probe import run_probe
from bench.report import Outcome, add_ratios, print_summary, table, write_json
from bench.scenarios import Scenario, demo_seed, scenarios, select
from bench.servers import (
    REPO,
    Cluster,
    Target,
    baseline_server,
    fresh_postgres_database,
    local_postmaster_pid,
    postgres_tools,
    punchclock_server,
    redact,
    throwaway_postgres,
)
from bench.stream import run_stream
from bench.wrk import ensure_wrk, run_wrk

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BACKENDS = ("sqlite", "postgres")


@dataclass(frozen=True)
class Config:
    duration: float
    warmup: float
    connections: int
    threads: int
    workers: int
    timeout: float
    seed_clients: int
    seed_entries: int
    probe_requests: int
    probe_only: bool = False  # no wrk load at all: every scenario measured one request at a time

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Run:
    """One bench run: the outcomes so far, what was skipped, what went wrong."""

    def __init__(self, console: Console, config: Config, wrk: str, chosen: list[Scenario]) -> None:
        self.console = console
        self.config = config
        self.wrk = wrk
        self.scenarios = chosen
        self.outcomes: list[Outcome] = []
        self.skipped: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.tag = "r" + dt.datetime.now(dt.UTC).strftime("%H%M%S")

    def error(self, message: str) -> None:
        self.errors.append(message)
        self.console.print(f"[bold red]error:[/] {message}")

    def fail(self, name: str, kind: str, message: str) -> None:
        """A server that could not be measured at all: one ERROR row per scenario it would have run."""
        self.error(f"{name}: {message}")
        done = {o.scenario.name for o in self.outcomes if o.backend == name}
        self.outcomes += [
            Outcome(name, s, error=message) for s in self.scenarios if kind in s.kinds and s.name not in done
        ]

    def measure(self, name: str, kind: str, server: AbstractContextManager[Target]) -> None:
        """Start one server, run every chosen scenario of its kind against it, stop it."""
        chosen = [s for s in self.scenarios if kind in s.kinds]
        if not chosen:
            return
        self.console.rule(f"[bold]{name}")
        if any(s.needs_entries for s in chosen):
            self.console.print(f"  seeding {self.config.seed_entries:,} time entries first…")
        target: Target | None = None
        try:
            with server as target:
                self.console.print(f"  started on {target.base_url} (pid {target.pid})")
                if target.preseeded is not None:
                    info = target.preseeded
                    self.console.print(f"  seeded in {info['seed_seconds']}s: {info['seed_summary']}")
                for scenario in chosen:
                    self.outcomes.append(self._scenario(target, scenario))
        except BenchError as exc:
            self.fail(name, kind, str(exc))
        if target is not None and target.log_path is not None and target.log_path.exists():
            log = target.log_path.read_text(errors="replace")
            if "Traceback" in log:
                self.warnings.append(f"{name}: the server log holds a traceback (unhandled error)")
                self.console.print(f"[yellow]warning:[/] {name} logged a traceback:\n{log[-3000:]}")

    def _scenario(self, target: Target, scenario: Scenario) -> Outcome:
        outcome = Outcome(target.name, scenario)
        cfg = self.config
        headers: dict[str, str] = {}
        if scenario.authenticated and target.api_key:
            headers["X-Api-Key"] = target.api_key
        if scenario.body is not None:
            headers["Content-Type"] = "application/json"
        url = target.base_url + scenario.url_path(target)
        common: dict[str, Any] = {
            "method": scenario.method,
            "body": scenario.body,
            "extra_lua": scenario.lua,
            "headers": headers,
            "threads": cfg.threads,
            "connections": scenario.connections or cfg.connections,
            "timeout_s": cfg.timeout,
        }
        try:
            if scenario.setup is not None:
                started = time.monotonic()
                self.console.print(f"  {scenario.name}: set-up…")
                outcome.setup_info = scenario.setup(target)
                outcome.setup_info["setup_seconds"] = round(time.monotonic() - started, 2)
            loaded = not (scenario.sequential or cfg.probe_only)
            if loaded and cfg.warmup > 0:
                run_wrk(self.wrk, url, **common, duration_s=cfg.warmup, tag=f"{self.tag}-{scenario.name}-w")
            before = cpu.snapshot(time.monotonic(), target.pid, target.database_pid)
            if loaded:
                outcome.result = run_wrk(
                    self.wrk, url, **common, duration_s=cfg.duration, tag=f"{self.tag}-{scenario.name}"
                )
            requests = min(cfg.probe_requests, scenario.probe_requests or cfg.probe_requests)
            if scenario.stream and target.kind == "punchclock":
                outcome.stream = run_stream(
                    target.port,
                    target.pid,
                    scenario.method,
                    scenario.url_path(target),
                    headers=headers,
                    body=scenario.body,
                    requests=max(1, requests),
                )
            elif cfg.probe_requests > 0 and target.kind == "punchclock":
                outcome.probe = run_probe(
                    target.port,
                    scenario.method,
                    scenario.url_path(target),
                    headers=headers,
                    body=scenario.body,
                    requests=requests,
                    tag=f"{self.tag}-{scenario.name}",
                    body_for=scenario.body_for,
                )
            outcome.cpu = cpu.split(before, cpu.snapshot(time.monotonic(), target.pid, target.database_pid))
        except (BenchError, OSError) as exc:  # OSError: the server went away during set-up
            outcome.error = str(exc)
            self.error(f"{target.name} {scenario.name}: {exc}")
            return outcome
        r = outcome.result
        machine = "".join(
            f", {label} {share:.0%}"
            for label, share in (("other CPU", outcome.other_cpu_share), ("steal", outcome.steal_share))
            if share is not None
        )
        if r is not None:
            self.console.print(
                f"  {scenario.name}: {r.rps:,.0f} req/s, p50 {r.latency_ms['p50']:.2f} ms, "
                f"p99 {r.latency_ms['p99']:.2f} ms, statuses {r.statuses or '{}'}, "
                f"socket errors {r.socket_errors}{machine}"
            )
        else:
            self.console.print(f"  {scenario.name}: sequential only{machine}")
        if outcome.stream is not None:
            self.console.print(f"    {outcome.stream.describe()}, statuses {outcome.stream.statuses}")
        if outcome.probe is not None:
            p, server = outcome.probe, outcome.probe.server_ms
            self.console.print(
                f"    one connection, {p.requests} requests: p50 {p.client_ms['p50']:.2f} ms, "
                f"p99 {p.client_ms['p99']:.2f} ms"
                + (
                    f"; at the server p50 {server['p50']:.2f} ms, p99 {server['p99']:.2f} ms"
                    if server
                    else ""
                )
                + f", statuses {p.statuses}"
            )
        return outcome


@contextlib.contextmanager
def postgres_cluster(url: str | None, run: Run) -> Iterator[Cluster | None]:
    """The given superuser URL, else a throwaway cluster; None (with a message) if neither is possible."""
    if url:
        yield Cluster(url, local_postmaster_pid(url))
        return
    tools = postgres_tools()
    if tools is None:
        message = (
            "PostgreSQL skipped: initdb/pg_ctl not found and no --postgres-url / "
            "PUNCHCLOCK_TEST_DATABASE_URL given (install PostgreSQL 15, e.g. "
            "`apt-get install postgresql-15`, to measure it)"
        )
        run.skipped.append(message)
        run.console.print(f"[yellow]{message}[/]")
        yield None
        return
    run.console.print("  starting a throwaway PostgreSQL cluster…")
    with throwaway_postgres(tools) as cluster:
        yield cluster


def _environment(wrk: str) -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    def output(*command: str) -> str:
        with contextlib.suppress(OSError):
            done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
            return (done.stdout or done.stderr).strip()
        return ""

    return {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "packages": {
            d: version(d) for d in ("punchclock", "litestar", "granian", "msgspec", "asyncpg", "uvloop")
        },
        "wrk": output(wrk, "-v").splitlines()[0] if output(wrk, "-v") else None,
        "git_commit": output("git", "rev-parse", "HEAD") or None,
        "git_dirty": bool(output("git", "status", "--porcelain")),
        "pythonpath": os.environ.get("PYTHONPATH") or None,
    }


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--duration", "-d", type=float, default=10.0, show_default=True, help="Seconds per scenario.")
@click.option("--warmup", type=float, default=2.0, show_default=True, help="Unrecorded seconds before each.")
@click.option("--connections", "-c", type=int, default=32, show_default=True, help="Open HTTP connections.")
@click.option("--threads", "-t", type=int, default=2, show_default=True, help="wrk threads.")
@click.option(
    "--workers",
    "-w",
    type=int,
    default=os.cpu_count() or 1,
    show_default=True,
    help="Server worker processes.",
)
@click.option(
    "--backend",
    "backends",
    multiple=True,
    type=click.Choice(BACKENDS),
    help="Database backend to measure (repeatable) [default: both].",
)
@click.option(
    "--scenario", "-s", "patterns", multiple=True, help="Only scenarios matching this glob (repeatable)."
)
@click.option(
    "--postgres-url",
    envvar="PUNCHCLOCK_TEST_DATABASE_URL",
    default=None,
    help="Superuser URL to create the bench database in "
    "[PUNCHCLOCK_TEST_DATABASE_URL; else a throwaway cluster].",
)
@click.option(
    "--seed-clients", type=int, default=1000, show_default=True, help="Clients present for the list."
)
@click.option(
    "--seed-entries",
    type=int,
    default=1_000_000,
    show_default=True,
    help="Time entries present for the entries.* scenarios (seeded once per backend).",
)
@click.option(
    "--probe-requests",
    type=int,
    default=300,
    show_default=True,
    help="Sequential requests per scenario on one connection, reading Server-Timing (0: none).",
)
@click.option(
    "--probe-only",
    is_flag=True,
    help="No load: measure every scenario by its sequential probe only (server time, exports' rows/s).",
)
@click.option("--timeout", type=float, default=5.0, show_default=True, help="wrk's per-request timeout (s).")
@click.option(
    "--results-dir", type=click.Path(path_type=Path), default=RESULTS_DIR, help="Where the JSON goes."
)
@click.option("--install-wrk/--no-install-wrk", default=True, show_default=True, help="apt-get it when root.")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
def main(
    duration: float,
    warmup: float,
    connections: int,
    threads: int,
    workers: int,
    backends: tuple[str, ...],
    patterns: tuple[str, ...],
    postgres_url: str | None,
    seed_clients: int,
    seed_entries: int,
    probe_requests: int,
    probe_only: bool,
    timeout: float,
    results_dir: Path,
    install_wrk: bool,
    list_only: bool,
) -> None:
    """Load-test punchclock (SQLite and PostgreSQL) against a bare Litestar hello baseline with wrk."""
    # Wide enough for the table when the output is a file or a pipe (rich assumes 80 columns there).
    console = Console(width=None if sys.stdout.isatty() else 200, soft_wrap=True)
    chosen = select(scenarios(seed_clients, seed_entries), list(patterns))
    if list_only:
        for s in chosen:
            console.print(f"{s.name:16} {s.method:6} {s.path}  [dim]{s.description}[/]")
        return
    if not chosen:
        raise click.UsageError(f"no scenario matches {patterns!r} (see --list)")
    if duration < 1 or connections < 1 or threads < 1 or workers < 1:
        raise click.UsageError("--duration, --connections, --threads and --workers must be at least 1")
    try:
        wrk = ensure_wrk(install_wrk)
    except BenchError as exc:
        console.print(f"[bold red]{exc}[/]")
        sys.exit(2)
    if seed_entries < 0 or probe_requests < 0:
        raise click.UsageError("--seed-entries and --probe-requests must not be negative")
    config = Config(
        duration,
        warmup,
        connections,
        threads,
        workers,
        timeout,
        seed_clients,
        seed_entries,
        probe_requests,
        probe_only,
    )
    run = Run(console, config, wrk, chosen)
    started = dt.datetime.now(dt.UTC)
    console.print(
        f"[bold]punchclock bench[/]: {workers} worker(s), wrk {threads} thread(s), "
        f"{connections} connections, "
        f"{duration:g}s per scenario after {warmup:g}s warm-up, on {os.cpu_count()} cores (wrk shares them)"
    )
    work = Path(tempfile.mkdtemp(prefix="punchclock-bench."))
    preseed = demo_seed(seed_entries) if any(s.needs_entries for s in chosen) else None
    try:
        run.measure("baseline", "baseline", baseline_server(workers, work))
        for backend in backends or BACKENDS:
            if backend == "sqlite":
                run.measure(
                    "sqlite", "punchclock", punchclock_server("sqlite", workers, work, preseed=preseed)
                )
                continue
            with ExitStack() as stack:
                try:
                    cluster = stack.enter_context(postgres_cluster(postgres_url, run))
                    if cluster is None:
                        continue
                    database = stack.enter_context(fresh_postgres_database(cluster.admin_url))
                except (BenchError, OSError, subprocess.SubprocessError) as exc:
                    run.fail("postgres", "punchclock", str(exc))
                    continue
                console.print(f"  database {redact(database)}")
                server = punchclock_server(
                    "postgres", workers, work, database, cluster.postmaster_pid, preseed=preseed
                )
                run.measure("postgres", "punchclock", server)
    except KeyboardInterrupt:
        console.print("[red]interrupted[/]")
        sys.exit(130)
    finally:
        if run.errors and any(work.iterdir()):
            console.print(f"[dim]server logs kept in {work}[/]")
        else:
            shutil.rmtree(work, ignore_errors=True)

    hello_rps = add_ratios(run.outcomes)
    console.print()
    console.print(
        table(
            run.outcomes,
            f"punchclock bench — {workers} workers, {connections} connections, {duration:g}s each"
            + (f" — hello baseline {hello_rps:,.0f} req/s" if hello_rps else ""),
        )
    )
    print_summary(console, run.outcomes)
    for message in run.skipped + run.warnings:
        console.print(f"[yellow]{message}[/]")

    finished = dt.datetime.now(dt.UTC)
    path = results_dir / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    write_json(
        path,
        {
            "started_at": started.isoformat(),
            "finished_at": finished.isoformat(),
            "argv": sys.argv[1:],
            "config": config.as_json(),
            "environment": _environment(wrk),
            "hello_rps": round(hello_rps, 1) if hello_rps else None,
            "outcomes": [o.as_json() for o in run.outcomes],
            "skipped": run.skipped,
            "warnings": run.warnings,
            "errors": run.errors,
        },
    )
    console.print(f"results saved to {path}")
    if run.errors:
        console.print(f"[bold red]{len(run.errors)} error(s): the run is incomplete[/]")
        sys.exit(1)
