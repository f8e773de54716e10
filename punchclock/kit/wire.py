"""Base Structs for the wire: camelCase names, lenient input, strict output."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec

# Generous bounds that keep absurd inputs (a 1 MB name) from reaching the database.
Name = Annotated[str, msgspec.Meta(max_length=250)]
ShortText = Annotated[str, msgspec.Meta(max_length=3000)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
Money = Annotated[int, msgspec.Meta(ge=0, le=2_147_483_647)]

_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Input(msgspec.Struct, rename="camel", forbid_unknown_fields=False, omit_defaults=False):
    """Request bodies: unknown keys are ignored and explicit nulls mean "not given", as in Clockify."""


class Output(msgspec.Struct, rename="camel"):
    """Response bodies: every field is always present, in Clockify's names."""


def is_color(value: str) -> bool:
    return _COLOR.match(value) is not None


def is_email(value: str) -> bool:
    return _EMAIL.match(value) is not None


def clean_name(value: str | None) -> str:
    return (value or "").strip()


def to_builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)
