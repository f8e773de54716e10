"""Every GET: a list honours `page`/`page-size` (clients loop until a short or empty page) and sends
`Last-Page: true|false` exactly when FACTS says Clockify does; a single record is never a bare array and
never carries `Last-Page`. Unparseable paging parameters are 400 code 3000 (FACTS "Pagination", "Error
bodies")."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.contract.conftest import Tenants, assert_clockify_error, case
from tests.contract.registry import Pool, factory, ignores_paging, rows_of, sends_last_page
from tests.contract.routes import Op, item_param, ops

GETS = list(ops(public=False, method="GET"))
BAD_PAGING = {"page": ("0", "-1", "abc", "1.5"), "page-size": ("0", "-5", "abc")}
BIG_PAGE = 200


def _key(row: Any) -> Any:
    return row.get("id", repr(row)) if isinstance(row, dict) else repr(row)


def _fetch(account: Account, op: Op, path: str, **params: Any) -> tuple[list[Any], httpx.Response]:
    response = account.get(path, params=params)
    assert response.status_code == 200, (params, response.status_code, response.text)
    return rows_of(op.route, response.json()), response


def _last_page(response: httpx.Response) -> str | None:
    return response.headers.get("last-page")


@pytest.mark.parametrize("op", [case("paging", op) for op in GETS])
def test_gets_page_like_clockify(me: Account, op: Op) -> None:
    pool = Pool(me)
    values = pool.values(op)
    items_of = item_param(op.route)
    if op.paged and items_of is not None and factory(items_of).distinct:
        for _ in range(3):
            pool.new(items_of)  # rows of the list under test, beside the one `values` may have made
    path = op.route.fill(values)
    response = me.get(path)
    assert response.status_code == 200, response.text
    is_json = response.headers.get("content-type", "").startswith("application/json")
    body = response.json() if is_json else None
    if not op.paged:
        assert _last_page(response) is None, "only the lists FACTS names send Last-Page"
        if isinstance(body, list):
            assert ignores_paging(op.route), (
                "a GET answering a bare array is a list, and every list must honour `page`/`page-size` "
                "(or be one FACTS says ignores paging: registry.UNPAGED_LISTS)"
            )
        return

    size = op.page_size_param
    rows, first = _fetch(me, op, path, **{"page": 1, size: BIG_PAGE})
    n = len(rows)
    if items_of is not None and factory(items_of).distinct:
        assert n >= 3, rows
    assert len({_key(r) for r in rows}) == n, "rows repeat within one page"

    pages: list[list[Any]] = []
    responses: list[httpx.Response] = []
    for number in range(1, n // 2 + 2):
        page, r = _fetch(me, op, path, **{"page": number, size: 2})
        pages.append(page)
        responses.append(r)
    assert [len(p) for p in pages] == [2] * (n // 2) + [n % 2], [len(p) for p in pages]
    assert [_key(r) for p in pages for r in p] == [_key(r) for r in rows], "pages do not tile the list"
    past, r_past = _fetch(me, op, path, **{"page": 99, size: 2})
    assert past == []

    everything = [first, response, *responses, r_past]
    if sends_last_page(op.route):
        assert _last_page(first) == "true" and _last_page(response) == ("true" if n <= 50 else "false")
        # Pages before the last one holding rows say "false"; the page past the rows says "true", and so does
        # the last page holding rows, except that an exactly full one may say either (FACTS records only that
        # a full page 1 of a longer result says "false"; knowing a full page is last needs a probe row).
        last_with_rows = (n + 1) // 2
        for number, r in enumerate(responses, start=1):
            expected = {"false"} if number < last_with_rows else {"true"}
            if number == last_with_rows and n % 2 == 0:
                expected = {"true", "false"}
            assert _last_page(r) in expected, (number, n, _last_page(r))
        assert _last_page(r_past) == "true"
    else:
        assert all(_last_page(r) is None for r in everything), "only the lists FACTS names send Last-Page"


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        case("bad-paging", op, f"{name}={value}")
        for op in GETS
        if op.paged
        for name, bad in BAD_PAGING.items()
        for value in bad
    ],
)
def test_unparseable_paging_is_400_code_3000(tenants: Tenants, op: Op, kind: str) -> None:
    name, value = kind.split("=", 1)
    if name == "page-size":
        name = op.page_size_param
    alice = tenants.alice
    response = alice.account.get(op.route.fill(alice.values(op)), params={name: value})
    body = assert_clockify_error(response, 400, 3000)
    assert f"'{name}'" in body["message"] and value in body["message"], body
