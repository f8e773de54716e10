"""The servers under test, each started as a subprocess and stopped whatever happens:

- `punchclock serve` exactly as a user starts it, on a fresh SQLite data dir or a fresh PostgreSQL database;
- the bare Litestar "hello" baseline (bench/baseline.py) on the same granian settings;
- a throwaway PostgreSQL cluster (the approach of scripts/with-postgres) when no URL is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.api import Api
from bench.errors import BenchError

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0

# Fills a database before the server first starts: takes its URL, returns (the owner's API key, facts).
Preseed = Callable[[str], tuple[str, dict[str, Any]]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Target:
    """One running server: what scenarios format their paths with and what set-up hooks talk to."""

    name: str  # "sqlite", "postgres", "baseline": the row label
    kind: str  # "punchclock" or "baseline": which scenarios apply
    port: int
    pid: int
    api_key: str | None = None
    vars: dict[str, str] = field(default_factory=dict)  # e.g. {"ws": workspace id}, for path templates
    database_url: str | None = None
    database_pid: int | None = None  # the postmaster of a throwaway cluster, to account for its CPU
    log_path: Path | None = None
    preseeded: dict[str, Any] | None = None  # what a Preseed reported, when the database was filled first

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self) -> Api:
        return Api(self.port, self.api_key)


def _clean_env() -> dict[str, str]:
    """Our environment without PUNCHCLOCK_* (a stray PUNCHCLOCK_DATABASE_URL would redirect the server)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUNCHCLOCK_")}
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def _stop(process: subprocess.Popen[Any], grace_s: float = 15.0) -> None:
    """SIGINT (granian stops its workers gracefully), then SIGKILL to the process group we created."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Workers left behind by a main process that died: they share its session and process group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _punchclock_command() -> list[str]:
    """The `punchclock` console script beside our interpreter, as a user of the venv runs it."""
    script = Path(sys.executable).parent / "punchclock"
    return [str(script)] if script.exists() else [sys.executable, "-m", "punchclock"]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def punchclock_server(
    backend: str,
    workers: int,
    work_dir: Path,
    database_url: str | None = None,
    database_pid: int | None = None,
    preseed: Preseed | None = None,
) -> Iterator[Target]:
    """`punchclock serve --port P --data-dir D --workers N [--database-url URL]` on an empty database, or on
    one `preseed` filled first (its owner's key is then the one used: serve creates no first owner)."""
    data_dir = work_dir / f"data-{backend}"
    data_dir.mkdir(parents=True)
    url = database_url or f"sqlite:///{data_dir / 'punchclock.db'}"
    preseeded: tuple[str, dict[str, Any]] | None = preseed(url) if preseed is not None else None
    port = free_port()
    command = [
        *_punchclock_command(),
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--workers",
        str(workers),
    ]
    if database_url:
        command += ["--database-url", database_url]
    out_path, log_path = work_dir / f"{backend}.out", work_dir / f"{backend}.log"
    with out_path.open("w") as out, log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=log,
            stdin=subprocess.DEVNULL,
            env=_clean_env(),
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        if preseeded is None:
            api_key = _first_start_key(out_path, process, deadline, log_path)
        else:
            api_key = preseeded[0]
        target = Target(
            name=backend,
            kind="punchclock",
            port=port,
            pid=process.pid,
            api_key=api_key,
            database_url=url,
            database_pid=database_pid,
            log_path=log_path,
            preseeded=preseeded[1] if preseeded is not None else None,
        )
        api = target.api()
        try:
            api.wait_ready("/health", deadline, alive=lambda: process.poll() is None)
            user = api.expect("GET", "/api/v1/user")
        except BenchError as exc:
            raise BenchError(f"{backend}: {exc}\n{_tail(log_path)}") from None
        finally:
            api.close()
        workspace = user.get("defaultWorkspace") or user.get("activeWorkspace")
        if not workspace:
            raise BenchError(f"{backend}: the first owner has no workspace: {user!r}")
        target.vars["ws"] = workspace
        target.vars["user"] = user["id"]
        yield target
    finally:
        _stop(process)


def _first_start_key(out_path: Path, process: subprocess.Popen[Any], deadline: float, log_path: Path) -> str:
    """On a first start with an empty database `serve` prints 3 lines, the third being the owner's key."""
    while time.monotonic() < deadline:
        lines = out_path.read_text().splitlines()
        if len(lines) >= 3:
            if not lines[0].startswith("First start"):
                raise BenchError(f"the database was not empty, or serve changed its banner: {lines[:3]!r}")
            return lines[2].strip()
        if process.poll() is not None:
            raise BenchError(
                f"`punchclock serve` exited with {process.returncode} while starting:\n"
                f"{out_path.read_text()}{_tail(log_path)}"
            )
        time.sleep(0.05)
    raise BenchError(f"`punchclock serve` printed no API key in {START_TIMEOUT_S:.0f}s:\n{_tail(log_path)}")


@contextlib.contextmanager
def baseline_server(workers: int, work_dir: Path) -> Iterator[Target]:
    from bench.baseline import PATH

    port = free_port()
    command = [sys.executable, "-m", "bench.baseline", "--port", str(port), "--workers", str(workers)]
    log_path = work_dir / "baseline.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=_clean_env(),
            cwd=REPO,
            start_new_session=True,
        )
    try:
        api = Api(port)
        try:
            api.wait_ready(PATH, time.monotonic() + START_TIMEOUT_S, alive=lambda: process.poll() is None)
        except BenchError as exc:
            raise BenchError(f"baseline: {exc}\n{_tail(log_path)}") from None
        finally:
            api.close()
        yield Target(name="baseline", kind="baseline", port=port, pid=process.pid, log_path=log_path)
    finally:
        _stop(process)


# PostgreSQL ------------------------------------------------------------------------------------------


def postgres_tools() -> tuple[str, str] | None:
    """(initdb, pg_ctl) from PATH, else from a Debian-style /usr/lib/postgresql/*/bin; None if absent."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    for bin_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists():
            return str(bin_dir / "initdb"), str(bin_dir / "pg_ctl")
    return None


@dataclass(frozen=True)
class Cluster:
    admin_url: str  # a superuser URL we may CREATE DATABASE with
    postmaster_pid: int | None = None  # known for a cluster we started


def _system_tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin", name), Path("/sbin", name)) if p.exists()), None
    )
    if found is None:
        raise BenchError(f"{name} not found: needed to run PostgreSQL as the postgres user when root")
    return found


@contextlib.contextmanager
def throwaway_postgres(tools: tuple[str, str]) -> Iterator[Cluster]:
    """A disposable cluster on a free loopback port, tuned like scripts/with-postgres (no durability).
    Stops and deletes the cluster on exit. As root it runs as the `postgres` system user."""
    initdb, pg_ctl = tools
    as_owner: list[str] = []
    if os.geteuid() == 0:
        as_owner = [_system_tool("runuser"), "-u", "postgres", "--"]
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            subprocess.run([_system_tool("useradd"), "--system", "--no-create-home", "postgres"], check=True)
    cluster = Path(tempfile.mkdtemp(prefix="punchclock-bench-pg."))
    cluster.chmod(0o755)
    if as_owner:
        shutil.chown(cluster, "postgres")
    port = free_port()
    data = cluster / "data"
    try:
        init = subprocess.run(
            [*as_owner, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
             "--no-locale"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if init.returncode != 0:
            raise BenchError(f"initdb failed:\n{init.stdout}{init.stderr}")
        options = (
            f"-p {port} -k {cluster} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB"
        )
        start = subprocess.run(
            [*as_owner, pg_ctl, "-D", str(data), "-l", str(cluster / "server.log"), "-w", "-t", "60",
             "-o", options, "start"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if start.returncode != 0:
            raise BenchError(f"pg_ctl start failed:\n{start.stderr}{_tail(cluster / 'server.log')}")
        pid_line = (data / "postmaster.pid").read_text().split("\n", 1)[0].strip()
        yield Cluster(f"postgresql://postgres@127.0.0.1:{port}/postgres", int(pid_line) if pid_line else None)
    finally:
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(
                    [*as_owner, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                    capture_output=True,
                    check=False,
                    timeout=60,
                )
        shutil.rmtree(cluster, ignore_errors=True)


@contextlib.contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    """CREATE DATABASE punchclock_bench_<random> on `admin_url`; yield its URL; drop it afterwards."""
    import asyncpg

    name = f"punchclock_bench_{secrets.token_hex(4)}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        asyncio.run(run(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        raise BenchError(f"cannot create a database on {redact(admin_url)}: {exc}") from None
    base, _, _ = admin_url.partition("?")[0].rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with contextlib.suppress(OSError, asyncpg.PostgresError):
            asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def local_postmaster_pid(admin_url: str) -> int | None:
    """The postmaster of a PostgreSQL running on this machine (our backend's parent), to account for its
    CPU; None when it is elsewhere or not visible."""
    import asyncpg

    async def backend_pid() -> int:
        conn = await asyncpg.connect(admin_url)
        try:
            pid: int = await conn.fetchval("SELECT pg_backend_pid()")
            return pid
        finally:
            await conn.close()

    try:
        pid = asyncio.run(backend_pid())
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, asyncpg.PostgresError):
        return None
    parent = int(stat[stat.rfind(")") + 2 :].split()[1])
    return parent if parent > 1 else None


def redact(url: str) -> str:
    """postgresql://user:secret@host → postgresql://user:***@host."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{creds}{at}{host}"
