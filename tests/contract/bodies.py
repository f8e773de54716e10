"""Bad and random request bodies, derived from each route's input type (its msgspec Struct).

Whether a value is of the wrong type is decided by msgspec itself, converting the way Litestar does
(`strict=False`: `"true"` is a boolean, `"5"` an int), so a value the server would accept is never sent as
"wrong": the check stays exact for every future Struct without a hand-written list of fields.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import msgspec.inspect as mi
from hypothesis import strategies as st

HUGE = "x" * 1_000_000
WRONG_VALUES: tuple[Any, ...] = ({"unexpected": "object"}, [1, 2], "not-a-valid-value", 12345, True, 1.5, -1)
_STRINGY = (mi.StrType, mi.DateTimeType, mi.DateType, mi.TimeType, mi.UUIDType, mi.DecimalType, mi.AnyType)
_MAX_DEPTH = 3

# Whole bodies that are not a usable JSON document, whatever the route expects.
BROKEN_DOCUMENTS: dict[str, bytes] = {
    "malformed JSON": b"{not json",
    "truncated JSON": b'{"name": "x"',
    "invalid UTF-8": b'{"name": "\xff\xfe"}',
    "deeply nested": b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}
# Well-formed documents of the wrong shape; sent only where the route's type refuses them.
WRONG_DOCUMENTS: dict[str, Any] = {
    "array instead of object": [],
    "array of objects": [{}],
    "string": "text",
    "number": 42,
    "boolean": True,
    "null": None,
}


def rejects(annotation: Any, value: Any) -> bool:
    """Whether Litestar's conversion of a decoded JSON body to `annotation` refuses `value`."""
    try:
        msgspec.convert(value, annotation, strict=False, str_keys=True)
    except msgspec.ValidationError:
        return True
    return False


@dataclass(frozen=True)
class Spot:
    """One field of a body, possibly nested: `("hourlyRate", "amount")`, `("ccEmails", 0)`."""

    path: tuple[str | int, ...]
    type: mi.Type

    @property
    def name(self) -> str:
        return ".".join(str(p) for p in self.path)


def _members(t: mi.Type) -> tuple[mi.Type, ...]:
    return t.types if isinstance(t, mi.UnionType) else (t,)


def _struct(t: mi.Type) -> mi.StructType | None:
    return next((m for m in _members(t) if isinstance(m, mi.StructType)), None)


def _list_item(t: mi.Type) -> mi.Type | None:
    return next((m.item_type for m in _members(t) if isinstance(m, mi.ListType | mi.SetType)), None)


def takes_strings(t: mi.Type) -> bool:
    return any(isinstance(m, _STRINGY) for m in _members(t))


def spots(annotation: Any) -> list[Spot]:
    found: list[Spot] = []

    def walk(t: mi.Type, path: tuple[str | int, ...], depth: int) -> None:
        struct = _struct(t)
        if struct is None or depth > _MAX_DEPTH:
            return
        for field in struct.fields:
            here = (*path, field.encode_name)
            found.append(Spot(here, field.type))
            walk(field.type, here, depth + 1)
            item = _list_item(field.type)
            if item is not None:
                found.append(Spot((*here, 0), item))
                walk(item, (*here, 0), depth + 1)

    walk(mi.type_info(annotation), (), 0)
    return found


def set_in(body: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """A copy of `body` with `value` at `path`, creating the objects and lists on the way."""
    result = copy.deepcopy(body) if isinstance(body, dict) else {}
    node: Any = result
    for step, next_step in zip(path, (*path[1:], None), strict=True):
        if next_step is None:
            break
        fresh: Any = [] if isinstance(next_step, int) else {}
        if isinstance(step, int):
            if not node or not isinstance(node[0], type(fresh)):
                node[:] = [fresh]
            node = node[0]
        else:
            if not isinstance(node.get(step), type(fresh)):
                node[step] = fresh
            node = node[step]
    last = path[-1]
    if isinstance(last, int):
        node[:] = [value]
    else:
        node[last] = value
    return result


def field_mutations(annotation: Any, base: Any) -> Iterator[tuple[str, Any]]:
    """(label, body) pairs that each break exactly one field of an otherwise good body."""
    for spot in spots(annotation):
        for value in WRONG_VALUES:
            body = set_in(base, spot.path, value)
            # With a good base msgspec names exactly the wrong values; a base the type already refuses
            # (a `{}` missing required fields) makes every value wrong, and the server must refuse them all.
            if rejects(annotation, body):
                yield f"{spot.name}={json.dumps(value)}", body
        if takes_strings(spot.type):
            yield f"{spot.name}=<1 MB string>", set_in(base, spot.path, HUGE)


def nul_mutations(annotation: Any, base: Any) -> Iterator[tuple[str, Any]]:
    """Text holding NUL: valid JSON and Unicode, but PostgreSQL cannot store it. A route may refuse it or
    (where the field is not stored) accept it, on both backends alike; it must never break the server."""
    for spot in spots(annotation):
        if takes_strings(spot.type):
            yield f"{spot.name}=<NUL character>", set_in(base, spot.path, "nul\u0000char")


def wrong_documents(annotation: Any) -> Iterator[tuple[str, Any]]:
    for label, document in WRONG_DOCUMENTS.items():
        if rejects(annotation, document):
            yield label, document


# -- hypothesis ------------------------------------------------------------------------------------------

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _typed(t: mi.Type, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values mostly of the field's own type (so the fuzz reaches the service), sometimes anything."""
    if isinstance(t, mi.UnionType):
        return st.one_of(*(_typed(m, depth) for m in t.types))
    if isinstance(t, mi.NoneType):
        return st.none()
    if isinstance(t, mi.StrType):
        limit = (t.max_length or 100) + 5
        return st.text(max_size=min(limit, 300)) | st.sampled_from(
            ["", " ", "a@b.io", "#ff00aa", "2026-01-01T00:00:00Z"]
        )
    if isinstance(t, mi.BoolType):
        return st.booleans() | st.sampled_from(["true", "false", "yes"])
    if isinstance(t, mi.IntType):
        return st.integers() | st.integers(min_value=-10, max_value=10_000)
    if isinstance(t, mi.FloatType):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(t, mi.LiteralType):
        return st.sampled_from(list(t.values))
    if isinstance(t, mi.EnumType):
        return st.sampled_from([member.value for member in t.cls])
    if isinstance(t, mi.ListType | mi.SetType) and depth < _MAX_DEPTH:
        return st.lists(_typed(t.item_type, depth + 1), max_size=4)
    if isinstance(t, mi.StructType) and depth < _MAX_DEPTH:
        return struct_bodies(t, depth + 1)
    return JSON_VALUES


def struct_bodies(t: mi.StructType, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    optional = {f.encode_name: _typed(f.type, depth) | JSON_VALUES for f in t.fields}
    return st.fixed_dictionaries({}, optional=optional) | st.dictionaries(st.text(max_size=8), JSON_VALUES)


def bodies(annotation: Any) -> st.SearchStrategy[Any]:
    info = mi.type_info(annotation)
    struct = _struct(info)
    typed = struct_bodies(struct) if struct is not None else _typed(info)
    return st.one_of(typed, typed, typed, JSON_VALUES)
