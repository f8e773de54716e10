"""Query-parameter parsing shared by the workspace and user routes."""

from __future__ import annotations

from punchclock.kit.errors import CODE_BAD_ENUM, ApiError


def enum_list(name: str, values: list[str] | None, allowed: tuple[str, ...]) -> list[str] | None:
    """A list query parameter given repeated (`?roles=A&roles=B`) or comma-separated (`?roles=A,B`), as
    Spring reads it; an unknown value is refused the way Spring refuses an enum (400, code 3002)."""
    if values is None:
        return None
    out: list[str] = []
    for raw in values:
        for part in raw.split(","):
            value = part.strip()
            if not value:
                continue
            if value not in allowed:
                raise ApiError(400, f"No enum constant for parameter '{name}': {value}", CODE_BAD_ENUM)
            if value not in out:
                out.append(value)
    return out or None
