"""How a custom-field value is matched by the reports' filters (`customFields` on time entries,
`userCustomFields` on members), shared by every table that stores such values next to their JSON text:

- `value_text`: '' for an empty value (null, blank text, empty list), else every item case-folded, each
  between newlines ("\\nred\\nblue\\n"), so "contains" is one LIKE and "equals an item" is LIKE '%\\nx\\n%';
- `value_number`: the value as a number when it is one (or a numeric text), for NUMBER conditions.
"""

from __future__ import annotations

import math
import re
from typing import Any

_NUMERIC = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def item_text(item: Any) -> str:
    """One item of a value as the filter sees it (filter values are written the same way)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float) and item.is_integer():
        return str(int(item))
    return str(item).replace("\n", " ").strip()


def number_of(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, list):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMERIC.match(value.strip()):
        number = float(value.strip())
    else:
        return None
    return number if math.isfinite(number) else None


def match_keys(raw: Any) -> tuple[str, float | None]:
    """(value_text, value_number) of a value as the client sent it."""
    items = [item_text(v) for v in (raw if isinstance(raw, list) else [raw]) if v is not None]
    words = [w.casefold() for w in items if w]
    return ("\n" + "\n".join(words) + "\n" if words else ""), number_of(raw)
