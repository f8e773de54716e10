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
    # PostgreSQL connections per worker process (0: the driver's default).
    db_pool_size: int = 0
    # TrueType files for the PDF exports' text (regular, bold), for scripts the bundled DejaVu Sans lacks.
    pdf_font: str = ""
    pdf_font_bold: str = ""

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'punchclock.db'}"

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
