"""Settings: one Struct, read from PUNCHCLOCK_* environment variables, overridden by CLI flags."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec


class Settings(msgspec.Struct, frozen=True):
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: str = "./data"
    database_url: str = ""
    workers: int = 1
    public_url: str = ""
    log_level: str = "warning"
    # PostgreSQL connections per worker process (0: `effective_db_pool_size` picks).
    db_pool_size: int = 0
    # TrueType files for the PDF exports' text (regular, bold), for scripts the bundled DejaVu Sans lacks.
    pdf_font: str = ""
    pdf_font_bold: str = ""

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'punchclock.db'}"

    @property
    def effective_db_pool_size(self) -> int:
        """Connections per worker: by default twice this machine's cores, shared among the workers (at least
        2 each). A busy connection is a PostgreSQL backend wanting a core; more of them than cores only
        queue requests in the kernel's scheduler, which is unfair, instead of in the pool, which is FIFO.
        With 2 workers on 2 cores under 32 clients, pools of 20 gave entry creates a p99 of 136-208 ms and
        pools of 2 gave 37-64 ms at the same throughput (fewer backends also contend less for the same
        index pages)."""
        if self.db_pool_size > 0:
            return self.db_pool_size
        return max(2, 2 * (os.cpu_count() or 1) // max(1, self.workers))

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        for field in cls.__struct_fields__:
            raw = os.environ.get(f"PUNCHCLOCK_{field.upper()}")
            if raw is not None and raw != "":
                values[field] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return msgspec.convert(values, cls, strict=False)

    def to_env(self) -> dict[str, str]:
        """The same settings as environment variables, for worker processes."""
        env = {f"PUNCHCLOCK_{k.upper()}": str(v) for k, v in msgspec.structs.asdict(self).items()}
        env["PUNCHCLOCK_DATABASE_URL"] = self.effective_database_url
        return env
