"""Time-ordered 24-hex ids, shaped like MongoDB ObjectIds as Clockify's are (FACTS "IDs")."""

from __future__ import annotations

import itertools
import os
import re
import time

_ID_SHAPE = re.compile(r"^[0-9a-f]{24}$")
_process_tag = os.urandom(5).hex()
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))


def new_id() -> str:
    """4 bytes of seconds, 5 random bytes fixed per process, a 3-byte counter: sortable by creation."""
    seconds = int(time.time()) & 0xFFFFFFFF
    count = next(_counter) & 0xFFFFFF
    return f"{seconds:08x}{_process_tag}{count:06x}"


def is_id(value: object) -> bool:
    return isinstance(value, str) and _ID_SHAPE.match(value) is not None


def reseed_after_fork() -> None:
    """Worker processes forked from one parent must not share the random part."""
    global _process_tag
    _process_tag = os.urandom(5).hex()
