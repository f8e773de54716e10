"""Shared pieces of list queries: name search, sort direction, archived filter."""

from __future__ import annotations

from typing import Literal

SortOrder = Literal["ASCENDING", "DESCENDING"]


def name_key(name: str) -> str:
    """Case-folded form used for uniqueness and search, identical on SQLite and PostgreSQL."""
    return name.strip().casefold()


def like_pattern(text: str) -> str:
    """A `LIKE … ESCAPE '\\'` pattern matching names that contain `text`, whatever the case."""
    escaped = name_key(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def direction(order: SortOrder | None, default: SortOrder = "ASCENDING") -> str:
    return "DESC" if (order or default) == "DESCENDING" else "ASC"
