"""Clockify paging: `page` from 1, `page-size` default 50, a `Last-Page` header on the documented lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from litestar import Response
from litestar.params import QueryParameter

T = TypeVar("T")

MAX_PAGE_SIZE = 5000

# Litestar takes a parameter's default from the signature, not from the marker: declare them as
# `page: PageParam = 1, page_size: PageSizeParam = 50`.
PageParam = Annotated[int, QueryParameter(name="page", ge=1, le=1_000_000)]
PageSizeParam = Annotated[int, QueryParameter(name="page-size", ge=1)]


class Page:
    __slots__ = ("number", "size")

    def __init__(self, number: int, size: int) -> None:
        self.number = number
        self.size = min(size, MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def probe_limit(self) -> int:
        """One row more than the page, to learn whether it is the last."""
        return self.size + 1


def paged(rows: Sequence[T], page: Page) -> tuple[list[T], bool]:
    """Cut the probe row off; report whether this is the last page."""
    return list(rows[: page.size]), len(rows) <= page.size


def page_response(content: Any, last_page: bool) -> Response[Any]:
    return Response(content=content, headers={"Last-Page": "true" if last_page else "false"})
