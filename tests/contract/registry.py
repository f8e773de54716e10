"""What the walker must be told, because it cannot be read from the route table.

- FACTORIES: how to make a real entity for each kind of path parameter (`client_id`, `tag_id`, …), through
  the API. A route with a parameter name missing here fails loudly: register a factory for it.
- BODIES: a valid request body per input Struct, so that checks which mutate one field (or which send a
  bad id with an otherwise good body) test exactly that. Missing ones default to `{}`.
- The FACTS.md list facts: which lists send `Last-Page`, which ignore paging, which wrap their rows.
- KNOWN_BUGS: single contract cases that fail because of an app bug nobody has fixed yet (strict xfails).
"""

from __future__ import annotations

import fnmatch
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from punchclock.kit import ids
from tests.conftest import Account
from tests.contract.routes import Op, Route


class Pool:
    """Real entities of one account, made on demand through the API and reused (one per kind)."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self._made: dict[str, str] = {}

    def get(self, param: str) -> str:
        """A (cached) entity for path parameter `param` in this account's workspace."""
        if param not in self._made:
            self._made[param] = self.new(param)
        return self._made[param]

    def new(self, param: str) -> str:
        return factory(param).create(self)

    def values(self, op: Op) -> dict[str, str]:
        """Path values naming real things of this account: its workspace, its entities."""
        values = dict.fromkeys(op.tenant_params, self.account.workspace_id)
        values.update({p: self.get(p) for p in op.entity_params})
        return values

    @staticmethod
    def unique(prefix: str) -> str:
        return f"{prefix} {secrets.token_hex(4)}"

    @staticmethod
    def created(response: httpx.Response) -> str:
        assert response.status_code in (200, 201), (response.request.url, response.status_code, response.text)
        value: str = response.json()["id"]
        return value


@dataclass(frozen=True)
class Factory:
    create: Callable[[Pool], str]
    # Every call makes a new entity (False: it names one that exists already, so lists cannot be filled).
    distinct: bool = True
    # An id: unknown, foreign and malformed values are refused as "<Entity> doesn't belong to Workspace".
    is_id: bool = True


def _client(pool: Pool) -> str:
    return pool.created(pool.account.post("/workspaces/{ws}/clients", {"name": pool.unique("client")}))


def _tag(pool: Pool) -> str:
    return pool.created(pool.account.post("/workspaces/{ws}/tags", {"name": pool.unique("tag")}))


def _member(pool: Pool) -> str:
    """A new member of the pool's workspace: a fresh user (there is no sign-up route; the operator makes
    users) added by email through `POST /workspaces/{ws}/users`."""
    newcomer = pool.account.server.account(workspace="Newcomer's own")
    response = pool.account.post("/workspaces/{ws}/users", {"email": newcomer.email})
    assert response.status_code in (200, 201), response.text
    return newcomer.user_id


def _custom_field(pool: Pool) -> str:
    # No custom-field routes exist yet, so nothing can be created: a well-formed id that names nothing.
    # Replace with a creating factory when `POST /workspaces/{ws}/custom-fields` lands.
    return ids.new_id()


def _project(pool: Pool) -> str:
    return pool.created(pool.account.post("/workspaces/{ws}/projects", {"name": pool.unique("project")}))


def _task(pool: Pool) -> str:
    """A new task of the pool's project (the one `project_id` names), so nested paths are consistent."""
    project_id = pool.get("project_id")
    return pool.created(
        pool.account.post(f"/workspaces/{{ws}}/projects/{project_id}/tasks", {"name": pool.unique("task")})
    )


def _entry_body() -> dict[str, Any]:
    """A finished hour-long entry (completed entries may overlap, so any number can be made)."""
    return {"start": "2026-01-05T09:00:00Z", "end": "2026-01-05T10:00:00Z", "description": "contract entry"}


def _time_entry(pool: Pool) -> str:
    return pool.created(pool.account.post("/workspaces/{ws}/time-entries", _entry_body()))


def _shared_report_body(pool: Pool) -> dict[str, Any]:
    return {
        "name": pool.unique("shared report"),
        "type": "SUMMARY",
        "isPublic": False,
        "filter": {**_report_range(), "summaryFilter": {"groups": ["PROJECT"]}},
    }


def _shared_report(pool: Pool) -> str:
    return pool.created(
        pool.account.post("/reports/v1/workspaces/{ws}/shared-reports", _shared_report_body(pool))
    )


FACTORIES: dict[str, Factory] = {
    "shared_report_id": Factory(_shared_report),
    "time_entry_id": Factory(_time_entry),
    "project_id": Factory(_project),
    "task_id": Factory(_task),
    "client_id": Factory(_client),
    "tag_id": Factory(_tag),
    "user_id": Factory(_member),
    "custom_field_id": Factory(_custom_field),
}


def factory(param: str) -> Factory:
    found = FACTORIES.get(param)
    if found is None:
        pytest.fail(
            f"no factory for path parameter {param!r}: register one in tests/contract/registry.py "
            "(FACTORIES) that creates such an entity through the API and returns its id",
            pytrace=False,
        )
    return found


def _new_user_email(pool: Pool) -> str:
    return pool.account.server.account(workspace="Invitee's own").email


# Keyed by the input Struct's class name (not the class: a feature renaming its Struct must not break the
# import of the whole walk; it loses its sample and the checks that need one say so).
BODIES: dict[str, Callable[[Pool], Any]] = {
    "TimeEntryCreate": lambda pool: _entry_body(),
    "TimeEntryUpdate": lambda pool: _entry_body(),
    "MarkInvoiced": lambda pool: {"timeEntryIds": [pool.get("time_entry_id")], "invoiced": True},
    "EntriesByIds": lambda pool: {"timeEntryIds": [pool.get("time_entry_id")], "hydrated": True},
    "ClientCreate": lambda pool: {"name": pool.unique("client"), "email": "c@example.com", "note": "n"},
    "ClientUpdate": lambda pool: {"name": pool.unique("client"), "email": "c@example.com", "ccEmails": []},
    "TagCreate": lambda pool: {"name": pool.unique("tag")},
    "TagUpdate": lambda pool: {"name": pool.unique("tag"), "archived": False},
    "WorkspaceCreate": lambda pool: {"name": pool.unique("ws")},
    "HourlyRateUpdate": lambda pool: {"amount": 2500, "currency": "USD"},
    "CostRateUpdate": lambda pool: {"amount": 1500},
    "MemberStatusUpdate": lambda pool: {"status": "ACTIVE"},
    "AddUser": lambda pool: {"email": _new_user_email(pool)},
    "MemberProfilePatch": lambda pool: {"weekStart": "TUESDAY", "workCapacity": "PT7H"},
    "CustomFieldValueUpdate": lambda pool: {"value": "some value"},
    "ManagerRoleRequest": lambda pool: {"role": "WORKSPACE_ADMIN", "entityId": pool.account.workspace_id},
    "ProjectCreate": lambda pool: {"name": pool.unique("project"), "color": "#FF5722", "billable": True},
    "ProjectUpdate": lambda pool: {"name": pool.unique("project"), "billable": True, "isPublic": True},
    "ProjectTemplatePatch": lambda pool: {"isTemplate": True},
    "ProjectEstimatePatch": lambda pool: {
        "timeEstimate": {"estimate": "PT10H", "type": "MANUAL", "active": True},
        "budgetEstimate": {"estimate": 50000, "type": "MANUAL", "active": False},
    },
    "MembershipsAssign": lambda pool: {"userIds": [pool.account.user_id], "remove": False},
    "MembershipsUpdate": lambda pool: {"memberships": [{"userId": pool.account.user_id}]},
    "RateRequest": lambda pool: {"amount": 4200},
    # No sample for ProjectFromTemplate: a good one needs a template project, and making it inside the
    # check would change the project list the check snapshots (tests/test_projects.py covers the route).
    "TaskCreate": lambda pool: {"name": pool.unique("task"), "estimate": "PT1H", "billable": True},
    "TaskUpdate": lambda pool: {"name": pool.unique("task"), "status": "ACTIVE", "billable": True},
    "SummaryReportRequest": lambda pool: {
        **_report_range(),
        "summaryFilter": {"groups": ["PROJECT", "USER"], "sortColumn": "GROUP"},
    },
    "DetailedReportRequest": lambda pool: {
        **_report_range(),
        "detailedFilter": {"page": 1, "pageSize": 50, "sortColumn": "DATE"},
    },
    "WeeklyReportRequest": lambda pool: {
        "dateRangeStart": "2026-01-05T00:00:00.000Z",
        "dateRangeEnd": "2026-01-11T23:59:59.999Z",
        "weeklyFilter": {"group": "USER", "subgroup": "TIME"},
    },
    "SharedReportInput": _shared_report_body,
    "AttendanceReportRequest": lambda pool: {
        **_report_range(),
        "attendanceFilter": {"page": 1, "pageSize": 50, "sortColumn": "USER"},
    },
}


def _report_range() -> dict[str, Any]:
    """A good report body's common part: a month in a zone, with a filter of each kind."""
    return {
        "dateRangeStart": "2026-01-01T00:00:00.000Z",
        "dateRangeEnd": "2026-01-31T23:59:59.999Z",
        "timeZone": "Europe/Berlin",
        "users": {"ids": [], "contains": "CONTAINS", "status": "ALL"},
        "projects": {"ids": [], "contains": "CONTAINS", "status": "ALL"},
        "tags": {"ids": [], "contains": "CONTAINS", "status": "ALL"},
        "billable": True,
        "amountShown": "EARNED",
        "amounts": ["EARNED", "COST"],
        "exportType": "JSON",
    }


def body_for(op: Op, pool: Pool) -> Any:
    """A good body for `op` (its registered sample, else `{}`), or None when it reads none."""
    if op.body is None:
        return None
    make = BODIES.get(getattr(op.body, "__name__", ""))
    return make(pool) if make else {}


def has_sample(op: Op) -> bool:
    return getattr(op.body, "__name__", "") in BODIES


# FACTS "Pagination": `Last-Page` is sent by exactly these lists (paths below /workspaces/{workspaceId}/).
LAST_PAGE_LISTS = frozenset(
    {
        "approval-requests",
        "clients",
        "expenses",
        "expenses/categories",
        "invoices",
        "invoices/{}/payments",
        "projects",
        "projects/{}/tasks",
        "scheduling/assignments/all",
        "tags",
        "time-entries/status/in-progress",
        "time-off/balance/policy/{}",
        "time-off/balance/user/{}",
        "time-off/policies",
        "user-groups",
        "user/{}/time-entries",
        "users",
        "users/{}/managers",
    }
)

# FACTS "Pagination": lists that ignore `page` and return everything (and send no `Last-Page`).
UNPAGED_LISTS = frozenset(
    {"", "custom-fields", "projects/{}/custom-fields", "holidays", "holidays/in-period", "webhooks"}
)

# FACTS "Pagination": lists whose rows come wrapped in an object.
ENVELOPES: dict[str, Callable[[Any], list[Any]]] = {
    "expenses": lambda body: body["expenses"]["expenses"],
    "expenses/categories": lambda body: body["categories"],
    "invoices": lambda body: body["invoices"],
    "time-off/balance/policy/{}": lambda body: body["balances"],
    "time-off/balance/user/{}": lambda body: body["balances"],
    "webhooks": lambda body: body["webhooks"],
    "shared-reports": lambda body: body["reports"],
}

_WORKSPACES = ("/api/v1/workspaces/{}", "/reports/v1/workspaces/{}")


def workspace_relative(route: Route) -> str | None:
    """`clients` for `/api/v1/workspaces/{workspace_id}/clients`, "" for `/api/v1/workspaces`; the reports
    host's workspace paths alike (`shared-reports`)."""
    shape = route.shape
    if shape == "/api/v1/workspaces":
        return ""
    for prefix in _WORKSPACES:
        if shape.startswith(prefix + "/"):
            return shape[len(prefix) + 1 :]
    return None


def sends_last_page(route: Route) -> bool:
    return workspace_relative(route) in LAST_PAGE_LISTS


def ignores_paging(route: Route) -> bool:
    return workspace_relative(route) in UNPAGED_LISTS


def rows_of(route: Route, body: Any) -> list[Any]:
    unwrap = ENVELOPES.get(workspace_relative(route) or "\0")
    if unwrap is not None:
        return unwrap(body)
    assert isinstance(body, list), (
        f"a list route must answer a JSON array (or register an envelope): {body!r}"
    )
    return body


# Routes that answer without a credential, each with the reason. The walk finds public routes itself (a
# handler needing no auth provider); this list makes each one a decision: a route missing here, or listed
# and not public, fails test_auth.py.
PUBLIC_BY_DESIGN: dict[str, str] = {
    "GET /health": "liveness probe for operators and load balancers",
    "GET /files/{file_name}": "uploaded images are served by unguessable name, as Clockify's CDN does",
    "GET /reports/v1/shared-reports/{shared_report_id}": (
        "Clockify's shared-report link: a public report renders without a key; the handler itself asks a "
        "private report's viewer for a member's key (401/403 in Clockify's shape)"
    ),
}


# Contract cases that fail because of a real app bug outside the code this suite may fix. Keys are fnmatch
# patterns over "<check>:<METHOD> <template>[:<case>]"; each match becomes a strict xfail, so fixing the
# bug turns the case red until its line here is removed.
KNOWN_BUGS: dict[str, str] = {
    "entity-id:*/custom-field/{custom_field_id}/value:custom_field_id=[fu]*": (
        "custom fields do not exist yet: users/service.py `_valid_custom_field_id` accepts any well-formed "
        "id (a seam), so a custom-field id that is unknown or another workspace's is stored, not refused"
    ),
}


def marks(key: str) -> list[pytest.MarkDecorator]:
    reasons = [reason for pattern, reason in KNOWN_BUGS.items() if fnmatch.fnmatchcase(key, pattern)]
    return [pytest.mark.xfail(strict=True, reason=reasons[0])] if reasons else []
