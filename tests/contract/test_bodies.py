"""Every write with a JSON body refuses broken documents, wrong shapes, wrong field types and 1 MB strings
with 400 in Clockify's shape, never a 500, and writes nothing while refusing (checked through every GET above
the route). A hypothesis fuzz of each create route checks the same for random bodies, and that exactly the
accepted ones were stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import Account
from tests.contract.bodies import BROKEN_DOCUMENTS, bodies, field_mutations, nul_mutations, wrong_documents
from tests.contract.conftest import assert_clockify_error, case
from tests.contract.registry import Pool, body_for, has_sample, rows_of
from tests.contract.routes import Op, ancestors_with_get, find, ops

WRITES = [op for op in ops(public=False) if op.body is not None]


def _snapshot(account: Account, op: Op, values: dict[str, str]) -> list[tuple[str, int, Any]]:
    """What every GET above this route answers now: a refused write must leave all of it as it was."""
    shots = []
    for get in ancestors_with_get(op.route):
        path = get.route.fill(values)
        response = account.get(path, params={get.page_size_param: 200} if get.paged else None)
        shots.append((path, response.status_code, response.json()))
    return shots


def _refused(response: httpx.Response, label: str, code: int | None = None) -> None:
    assert response.status_code == 400, (label, response.status_code, response.text[:300])
    assert_clockify_error(response, 400, code)


@pytest.mark.parametrize("op", [case("bad-bodies", op) for op in WRITES])
def test_bad_bodies_are_400_and_write_nothing(me: Account, op: Op) -> None:
    pool = Pool(me)
    values = pool.values(op)
    path = op.route.fill(values)
    before = _snapshot(me, op, values)
    base = body_for(op, pool)

    json_headers = {"Content-Type": "application/json"}
    for label, raw in BROKEN_DOCUMENTS.items():
        _refused(me.request(op.method, path, content=raw, headers=json_headers), label)
    _refused(me.request(op.method, path, content=b"", headers=json_headers), "empty body")
    for label, document in wrong_documents(op.body):
        _refused(me.request(op.method, path, json=document), label)
    for label, body in field_mutations(op.body, base):
        _refused(me.request(op.method, path, json=body), label, 501)

    assert _snapshot(me, op, values) == before, "a refused write changed something"
    for label, body in nul_mutations(op.body, base):
        response = me.request(op.method, path, json=body)
        assert response.status_code < 500, (label, response.status_code, response.text)
        if response.status_code >= 400:
            assert_clockify_error(response, response.status_code)
    if has_sample(op):  # the registered good body really is good (so the checks above were exact)
        response = me.request(op.method, path, json=base)
        assert response.status_code < 300, (base, response.status_code, response.text)


def _lists_its_own_rows(op: Op) -> Op | None:
    """The list GET at the same path as this POST, if it is one: then the POST creates what it lists."""
    get = find("GET", op.route.template)
    return get if get is not None and get.paged else None


CREATES = [op for op in WRITES if op.method == "POST" and _lists_its_own_rows(op) is not None]


@pytest.mark.parametrize("op", [case("fuzz-create", op) for op in CREATES])
def test_random_create_bodies_never_break_the_server(me: Account, op: Op) -> None:
    pool = Pool(me)
    path = op.route.fill(pool.values(op))
    listing = _lists_its_own_rows(op)
    assert listing is not None

    def count() -> int:
        response = me.get(path, params={listing.page_size_param: 1000})
        assert response.status_code == 200, response.text
        return len(rows_of(listing.route, response.json()))

    start = count()
    accepted = 0

    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies(op.body))
    def post_one(body: Any) -> None:
        nonlocal accepted
        response = me.request(op.method, path, json=body)
        assert response.status_code < 500, (body, response.status_code, response.text)
        if response.status_code < 300:
            accepted += 1
        else:
            assert response.status_code == 400 or response.status_code == 403, (body, response.text)
            assert_clockify_error(response, response.status_code)

    post_one()
    assert count() == start + accepted, "accepted creates and stored rows disagree"
