"""Demo data: a workspace full of plausible people, clients, projects, tasks, tags and time entries.

`seed_workspace` fills one workspace in the caller's unit (the CLI opens and commits it). Everything is
derived from `--seed`: the same seed over the same period gives the same data. Entries fall on working
days (Monday to Friday, UTC) between about 07:30 and 21:00, last 15 minutes to 4 hours, follow each other
without overlapping as long as a day's share fits in ten hours (a user with more than ~40 entries a day
necessarily gets overlapping ones), and carry the billable and cost rates resolved the way the app does
(task → project-user → project → member → workspace), with the level in `*_rate_source`.

Speed: generating a row is a handful of `random()` calls, an f-string and a tuple; the catalogue
(every project, task and description with its rates, per user) is resolved once beforehand. The entries
stream to the database through one `Unit.copy_rows` (one executemany on SQLite; one COPY on PostgreSQL,
whose server stores rows while the next ones are made), then their tags. A big load goes in without the
entry tables' secondary indexes, PostgreSQL foreign keys and the two insert triggers that keep projects'
and tasks' tracked time and the report day tables: `EntryTotals` adds up what those triggers would have
added while the entries are made, and it is written once per day and group at the end.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from punchclock.demo import store
from punchclock.demo.words import (
    CLIENTS,
    COLORS,
    DESCRIPTIONS,
    FIRST_NAMES,
    LAST_NAMES,
    NO_PROJECT,
    PROJECTS,
    TAGS,
    TASKS,
)
from punchclock.kit.db import Database, Row, Unit
from punchclock.kit.errors import bad_request
from punchclock.kit.listing import name_key
from punchclock.time_entries import store as entry_store
from punchclock.users import accounts

DEFAULT_OWNER_EMAIL = "demo@punchclock.local"
DEFAULT_WORKSPACE = "Demo workspace"
WORKSPACE_HOURLY_RATE = 5000  # minor units (50.00 an hour), set when the workspace has no rates yet
WORKSPACE_COST_RATE = 3000
BATCH = 25_000
REBUILD_INDEXES_FROM = 100_000  # entries: below this (or below what the tables hold) indexes are kept
BILLABLE_SHARE = 0.85  # of the entries on billable projects and tasks
DAY_S = 86_400
MIN_ENTRY_S = 15 * 60
MAX_ENTRY_S = 4 * 3600
WORK_BUDGET_S = 10 * 3600  # what a day's entries add up to at most before they start to overlap
DAY_START_S = 7 * 3600 + 1800  # the first entry starts between 07:30 and 08:30
DAY_END_S = 21 * 3600  # no entry ends later (unless the day is overbooked: it starts over from 08:00)


@dataclass(frozen=True)
class SeedOptions:
    entries: int
    users: int = 50
    years: float = 2.0
    seed: int = 1
    until: date | None = None  # the end of the period (exclusive, UTC midnight); today by default
    owner_entries: int | None = None  # the owner's share of the entries; an even share by default
    rebuild_indexes: bool | None = None  # load without the entry indexes; None: when the load is big

    def __post_init__(self) -> None:
        if self.entries < 0 or self.users < 1 or not 0 < self.years <= 50:
            raise bad_request("entries must be ≥ 0, users ≥ 1 and years between 0 and 50")
        if self.owner_entries is not None and not 0 <= self.owner_entries <= self.entries:
            raise bad_request("owner entries must be between 0 and the number of entries")
        if self.users == 1 and self.owner_entries not in (None, self.entries):
            raise bad_request("with a single user the owner has every entry")


@dataclass(frozen=True)
class SeedResult:
    workspace_id: str
    owner_id: str
    owner_email: str
    api_key: str
    user_ids: list[str]
    entries: int
    entry_tags: int
    other_rows: int  # users, memberships, clients, projects, tasks, tags, project memberships
    rebuilt: bool  # the entry tables' indexes (PostgreSQL foreign keys, insert triggers) were dropped
    entries_s: float  # generating and loading the entries and their tags
    rebuild_s: float  # rebuilding what was dropped, writing what the dropped triggers would have
    period_start_ms: int
    period_end_ms: int

    @property
    def rows(self) -> int:
        return self.entries + self.entry_tags + self.other_rows


class DemoIds:
    """Ids shaped like the app's (seconds, 5 bytes, 3-byte counter) whose seconds are the moment the
    thing was made (an entry's start), the middle part derived from the seed and workspace, the counter
    running over the whole run: unique, time-ordered, reproducible."""

    def __init__(self, salt: str) -> None:
        digest = hashlib.sha256(salt.encode()).hexdigest()
        self.tag = digest[:10]
        self.counter = int(digest[10:16], 16)

    def at(self, seconds: int) -> str:
        self.counter += 1
        return f"{seconds & 0xFFFFFFFF:08x}{self.tag}{self.counter & 0xFFFFFF:06x}"


# Choosing the workspace ---------------------------------------------------------------------------------


async def _account(
    unit: Unit, email: str | None, workspace_name: str | None
) -> tuple[accounts.NewAccount, str]:
    """The owner and workspace to fill (created when missing) and a fresh API key for the owner.

    `email` names the owner (their workspace `workspace_name`, else their default one, else a new one);
    `workspace_name` alone picks the oldest workspace of that name on the server (a new one owned by
    demo@punchclock.local when there is none)."""
    if email is None:
        found = await store.oldest_workspace_named(unit, workspace_name or DEFAULT_WORKSPACE)
        email = found["email"] if found is not None else DEFAULT_OWNER_EMAIL
    if workspace_name is None:
        workspace_name = await store.default_workspace_name(unit, accounts.email_key(email))
    name = email.split("@", 1)[0].replace(".", " ").title()
    account = await accounts.create_account(unit, email, name, workspace_name or DEFAULT_WORKSPACE)
    if account.workspace_id is None:  # pragma: no cover - create_account always makes one when named
        raise bad_request("no workspace to seed")
    return account, email.strip()


# The catalogue -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """What entries are made of, per user: (description, project, task, may be billable, hourly rate,
    its source, cost rate, its source) tuples, plus the tag ids."""

    user_ids: list[str]
    activities: dict[str, list[tuple[Any, ...]]]
    tag_ids: list[str]
    currency: str
    rows: int


def _pick_rate(chain: list[tuple[int | None, str]]) -> tuple[int, str]:
    for amount, source in chain:
        if amount is not None:
            return amount, source
    raise AssertionError("the workspace level always has a rate")


async def _catalogue(
    unit: Unit, ws: str, owner_id: str, options: SeedOptions, ids: DemoIds, created_s: int
) -> Catalogue:
    rnd = random.Random(f"punchclock-demo-catalogue-{options.seed}")
    created_ms = created_s * 1000
    base = {"workspace_id": ws, "created_at": created_ms}
    rows = 0

    workspace = await store.workspace(unit, ws)
    assert workspace is not None
    if workspace["hourly_rate"] == 0 and workspace["cost_rate"] == 0:
        await store.set_workspace_rates(unit, ws, WORKSPACE_HOURLY_RATE, WORKSPACE_COST_RATE)
        workspace = await store.workspace(unit, ws)
        assert workspace is not None

    # People: the owner and users-1 others, found again by email on a second run.
    people = []
    domain = f"demo-{ws[-6:]}.example.com"
    for i in range(options.users - 1):
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        people.append((f"{first} {last}", f"{first}.{last}.{i + 1}@{domain}".lower()))
    known = {r["email_key"]: r["id"] for r in await store.users_by_email(unit, [e for _, e in people])}
    new_users = []
    for person_name, email in people:
        if email not in known:
            known[email] = ids.at(created_s)
            new_users.append(
                (known[email], email, email, person_name, name_key(person_name), "ACTIVE", ws, ws, created_ms)
            )
    rows += await store.load(unit, "users", store.USER_COLUMNS, new_users)
    user_ids = [owner_id] + [known[e] for _, e in people]
    member_rows = [
        {
            **base,
            "user_id": uid,
            "hourly_rate": rnd.randrange(40, 160) * 100 if rnd.random() < 0.25 else None,
            "cost_rate": rnd.randrange(20, 90) * 100 if rnd.random() < 0.2 else None,
        }
        for uid in user_ids[1:]
    ]
    await store.insert_missing(unit, "memberships", member_rows)

    # Clients, tags, projects, tasks: created unless a thing of that name exists.
    n_projects = min(len(PROJECTS), max(6, 3 * options.users))
    client_names = CLIENTS[: max(3, min(len(CLIENTS), n_projects // 3))]

    def named(name: str) -> dict[str, Any]:
        return {**base, "id": ids.at(created_s), "name": name, "name_key": name_key(name)}

    await store.insert_missing(unit, "clients", [named(n) for n in client_names])
    await store.insert_missing(unit, "tags", [named(n) for n in TAGS])
    clients = await store.ids_by_name(unit, ws, "clients")
    tags = await store.ids_by_name(unit, ws, "tags")
    project_rows = []
    for name in PROJECTS[:n_projects]:
        client_id = None if rnd.random() < 1 / 6 else clients[name_key(rnd.choice(client_names))]
        project_rows.append(
            {
                **named(name),
                "client_id": client_id,
                "client_key": client_id or "",
                "color": rnd.choice(COLORS),
                "note": "",
                "billable": rnd.random() < 0.85,
                "is_public": rnd.random() < 0.8,
                "hourly_rate": rnd.randrange(60, 200) * 100 if rnd.random() < 0.3 else None,
                "cost_rate": rnd.randrange(30, 90) * 100 if rnd.random() < 0.2 else None,
            }
        )
    await store.insert_missing(unit, "projects", project_rows)
    by_key = {(r["client_key"], r["name_key"]): r for r in await store.projects(unit, ws)}
    ours = [
        by_key[(p["client_key"], p["name_key"])]
        for p in project_rows
        if (p["client_key"], p["name_key"]) in by_key
    ]
    task_rows = []
    for project in ours:
        for name in rnd.sample(TASKS, rnd.randint(3, 7)):
            task_rows.append(
                {
                    **named(name),
                    "project_id": project["id"],
                    "billable": rnd.random() < 0.9,
                    "estimate": rnd.randrange(4, 80) * 3600 if rnd.random() < 0.3 else None,
                    "hourly_rate": rnd.randrange(80, 250) * 100 if rnd.random() < 0.1 else None,
                    "cost_rate": rnd.randrange(40, 100) * 100 if rnd.random() < 0.05 else None,
                }
            )
    await store.insert_missing(unit, "tasks", task_rows)

    # Who works on what: 4 to 10 projects each, as project members (some at a project rate of their own).
    works_on = {uid: rnd.sample(ours, min(len(ours), rnd.randint(4, 10))) for uid in user_ids}
    pm_rows = [
        {
            **base,
            "project_id": project["id"],
            "target_id": uid,
            "hourly_rate": rnd.randrange(50, 220) * 100 if rnd.random() < 0.1 else None,
            "cost_rate": rnd.randrange(30, 100) * 100 if rnd.random() < 0.05 else None,
        }
        for uid, projects in works_on.items()
        for project in projects
    ]
    await store.insert_missing(unit, "project_memberships", pm_rows)
    rows += (
        len(member_rows) + len(client_names) + len(TAGS) + len(project_rows) + len(task_rows) + len(pm_rows)
    )

    # Rates as they stand now (a reused workspace may have had them edited), resolved per activity.
    members = {r["user_id"]: r for r in await store.members(unit, ws)}
    tasks_of: dict[str, list[Row]] = {}
    for row in await store.tasks(unit, ws):
        tasks_of.setdefault(row["project_id"], []).append(row)
    for project_tasks in tasks_of.values():
        project_tasks.sort(key=lambda t: t["name_key"])
    pm = {(r["project_id"], r["target_id"]): r for r in await store.project_members(unit, ws)}
    activities: dict[str, list[tuple[Any, ...]]] = {}
    for uid in user_ids:
        member = members[uid]
        acts = []
        for description in NO_PROJECT:
            hourly = _pick_rate([(member["hourly_rate"], "USER"), (workspace["hourly_rate"], "WORKSPACE")])
            cost = _pick_rate([(member["cost_rate"], "USER"), (workspace["cost_rate"], "WORKSPACE")])
            acts.append((description, None, None, False, *hourly, *cost))
        for project in works_on[uid]:
            link = pm.get((project["id"], uid))
            for task in [None, *tasks_of.get(project["id"], [])]:
                hourly = _pick_rate(
                    [
                        (task["hourly_rate"] if task else None, "TASK"),
                        (link["hourly_rate"] if link else None, "PROJECT_USER"),
                        (project["hourly_rate"], "PROJECT"),
                        (member["hourly_rate"], "USER"),
                        (workspace["hourly_rate"], "WORKSPACE"),
                    ]
                )
                cost = _pick_rate(
                    [
                        (task["cost_rate"] if task else None, "TASK"),
                        (link["cost_rate"] if link else None, "PROJECT_USER"),
                        (project["cost_rate"], "PROJECT"),
                        (member["cost_rate"], "USER"),
                        (workspace["cost_rate"], "WORKSPACE"),
                    ]
                )
                billable = bool(project["billable"]) and (task is None or bool(task["billable"]))
                for _ in range(2):
                    acts.append(
                        (rnd.choice(DESCRIPTIONS), project["id"], task["id"] if task else None, billable,
                         *hourly, *cost)
                    )  # fmt: skip
        activities[uid] = acts
    tag_ids = [tags[name_key(n)] for n in TAGS]
    return Catalogue(user_ids, activities, tag_ids, workspace["currency_code"], rows)


# The entries ---------------------------------------------------------------------------------------------


def _working_days(start_s: int, end_s: int) -> list[int]:
    """The midnights (epoch seconds) of the Mondays to Fridays in [start, end); every day if none."""
    days = list(range(start_s, end_s, DAY_S))
    working = [d for d in days if (d // DAY_S + 3) % 7 < 5]  # 1970-01-01 was a Thursday
    return working or days


def _shares(options: SeedOptions) -> list[int]:
    """How many entries each user gets: the owner first."""
    others = options.users - 1
    if others == 0:
        return [options.entries]
    owner = options.owner_entries
    if owner is None:
        owner = options.entries // options.users + (1 if options.entries % options.users else 0)
    rest = options.entries - owner
    return [owner] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]


class EntryTotals:
    """What the insert triggers of migrations 0005 and 0007 add up for each new finished entry, added up
    here instead while the entries are made (a bulk load drops those triggers): per UTC day and user,
    project ('' for none) and billable flag (report_day_groups; report_days sums them per day), and per
    project and task (their tracked time)."""

    def __init__(self, ws: str) -> None:
        self.ws = ws
        self.groups: dict[tuple[int, str, str, bool], list[int]] = {}
        self.project_seconds: dict[str, int] = {}
        self.task_seconds: dict[str, int] = {}

    @staticmethod
    def slots(acts: list[tuple[Any, ...]]) -> tuple[list[int], list[str]]:
        """Per activity, twice the index of its project ('' for none) among the user's projects (plus 1
        for a billable entry: the key of its group in a user's day); the projects."""
        projects: dict[str, int] = {}
        slots = [2 * projects.setdefault(act[1] or "", len(projects)) for act in acts]
        return slots, list(projects)

    def add_day(self, day_s: int, uid: str, projects: list[str], groups: dict[int, list[int]]) -> None:
        """One user's day: its groups by slot (EntryTotals.slots), each [entries, seconds, earned, cost]."""
        day = day_s // DAY_S  # every entry of the day starts in it (between 07:30 and 21:00 UTC)
        for key, measures in groups.items():
            self.groups[(day, uid, projects[key >> 1], bool(key & 1))] = measures

    def add_seconds(self, acts: list[tuple[Any, ...]], seconds: list[int]) -> None:
        """One user's seconds per activity, to their projects and tasks."""
        projects_s, tasks_s = self.project_seconds, self.task_seconds
        for act, total in zip(acts, seconds, strict=True):
            if act[1] is not None and total:
                projects_s[act[1]] = projects_s.get(act[1], 0) + total
            if act[2] is not None and total:
                tasks_s[act[2]] = tasks_s.get(act[2], 0) + total

    def day_rows(self) -> list[tuple[Any, ...]]:
        """report_days rows (store.DAY_COLUMNS), day by day."""
        days: dict[int, list[int]] = {}
        for (day, _, _, billable), (n, seconds, earned, cost) in self.groups.items():
            totals = days.get(day)
            if totals is None:
                totals = days[day] = [0, 0, 0, 0, 0]
            totals[0] += n
            totals[1] += seconds
            if billable:
                totals[2] += seconds
            totals[3] += earned
            totals[4] += cost
        return [(self.ws, day, "", *totals) for day, totals in days.items()]

    def group_rows(self, dialect: str) -> list[tuple[Any, ...]]:
        """report_day_groups rows (store.day_group_columns), day by day."""
        shard = () if dialect == "sqlite" else ("",)
        return [(self.ws, *key, *shard, *measures) for key, measures in self.groups.items()]


_TagChoice = tuple[tuple[str, ...], str | None]  # an entry's tag ids, and its tag_list


def entry_batches(
    ws: str,
    catalogue: Catalogue,
    options: SeedOptions,
    ids: DemoIds,
    start_s: int,
    end_s: int,
    totals: EntryTotals | None = None,
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[str, str, str]]]]:
    """(time entries, their tag links) in batches of about BATCH entries, day after day; what they add up
    to is added to `totals` too, when given."""
    rnd = random.Random(f"punchclock-demo-entries-{options.seed}").random
    days = _working_days(start_s, end_s)
    n_days = len(days)
    users = [
        (uid, k, acts, *EntryTotals.slots(acts), [0] * len(acts))
        for uid, k in zip(catalogue.user_ids, _shares(options), strict=True)
        for acts in [catalogue.activities[uid]]
    ]
    tag_ids = catalogue.tag_ids
    # An entry's tags: the links to make and its tag_list, made once per choice.
    singles: list[_TagChoice] = [((t,), entry_store.tag_list((t,))) for t in tag_ids]
    pairs: list[_TagChoice] = [
        ((a, b), entry_store.tag_list((a, b))) for i, a in enumerate(tag_ids) for b in tag_ids[i + 1 :]
    ]
    untagged: _TagChoice = ((), entry_store.tag_list(()))
    n_singles, n_pairs = len(singles), len(pairs)
    currency = catalogue.currency
    tag, counter = ids.tag, ids.counter
    entries: list[tuple[Any, ...]] = []
    links: list[tuple[str, str, str]] = []
    append, link = entries.append, links.append
    for j, day in enumerate(days):
        for uid, k, acts, slots, projects, seconds in users:
            count = (j + 1) * k // n_days - j * k // n_days
            if not count:
                continue
            n_acts = len(acts)
            span = min(MAX_ENTRY_S, max(MIN_ENTRY_S, 2 * WORK_BUDGET_S // count - MIN_ENTRY_S)) - MIN_ENTRY_S
            gap = min(1800, 7200 // count)
            limit = day + DAY_END_S
            cursor = day + DAY_START_S + int(rnd() * 3600)
            groups: dict[int, list[int]] = {}  # this user's day by EntryTotals slot
            for _ in range(count):
                duration = MIN_ENTRY_S + int(rnd() * span)
                if cursor + duration > limit:  # an overbooked day: start over in the morning
                    cursor = day + 8 * 3600 + int(rnd() * 3600)
                start = cursor
                end = start + duration
                cursor = end + int(rnd() * gap)
                act = int(rnd() * n_acts)
                a = acts[act]
                billable = a[3] and rnd() < BILLABLE_SHARE
                r = rnd()
                if r < 0.22:
                    tags, tag_list = singles[int(r * n_singles / 0.22)]
                elif r < 0.30:
                    tags, tag_list = pairs[int((r - 0.22) * n_pairs / 0.08)]
                else:
                    tags, tag_list = untagged
                counter += 1
                entry_id = f"{start:08x}{tag}{counter & 0xFFFFFF:06x}"
                start_ms, end_ms = start * 1000, end * 1000
                append(
                    (entry_id, ws, uid, a[0], a[1], a[2], billable, start_ms, end_ms, duration, a[4], a[5],
                     a[6], a[7], currency, start_ms, end_ms, tag_list)
                )  # fmt: skip
                for tag_id in tags:
                    link((ws, entry_id, tag_id))
                seconds[act] += duration
                group = groups.get(slots[act] + billable)
                if group is None:
                    groups[slots[act] + billable] = [1, duration, a[4] * duration if billable else 0,
                                                     a[6] * duration]  # fmt: skip
                else:
                    group[0] += 1
                    group[1] += duration
                    if billable:
                        group[2] += a[4] * duration
                    group[3] += a[6] * duration
            if totals is not None:
                totals.add_day(day, uid, projects, groups)
        if len(entries) >= BATCH:
            yield entries, links
            entries, links = [], []
            append, link = entries.append, links.append
    ids.counter = counter
    if totals is not None:
        for _, _, acts, _, _, seconds in users:
            totals.add_seconds(acts, seconds)
    if entries:
        yield entries, links


def period(options: SeedOptions) -> tuple[int, int]:
    """[start, end) in epoch seconds: `years` back from the end day's midnight (UTC)."""
    until = options.until or datetime.now(UTC).date()
    end = datetime(until.year, until.month, until.day, tzinfo=UTC)
    start = end - timedelta(days=round(options.years * 365.25))
    return int(start.timestamp()), int(end.timestamp())


async def seed_workspace(
    unit: Unit, options: SeedOptions, *, email: str | None = None, workspace_name: str | None = None
) -> SeedResult:
    """Fill one workspace with demo data in `unit` (which the caller commits)."""
    account, owner_email = await _account(unit, email, workspace_name)
    ws = account.workspace_id
    assert ws is not None
    start_s, end_s = period(options)
    existing = await store.count_entries(unit, ws)
    # What the workspace holds goes into the ids' salt, so that a later run (a top-up) makes new ids. The
    # members count too: after its entries were deleted, a run adding users would otherwise repeat the
    # ids it gave the users of the first run.
    members = len(await store.members(unit, ws))
    ids = DemoIds(f"punchclock-demo:{options.seed}:{ws}:{existing}:{members}")
    catalogue = await _catalogue(unit, ws, account.user_id, options, ids, start_s - 30 * DAY_S)
    # A big load next to what the tables hold goes in without secondary indexes (rebuilt afterwards:
    # somewhat faster than maintaining them row by row) and, on PostgreSQL, without the row-by-row
    # foreign-key checks (added back and validated at the end: about 3x faster at 200k entries).
    rebuild = options.rebuild_indexes
    if rebuild is None:
        rebuild = (
            options.entries >= REBUILD_INDEXES_FROM and options.entries >= await store.count_all_entries(unit)
        )
    dropped = await store.drop_foreign_keys(unit) if rebuild else []
    dropped = (await store.drop_secondary_indexes(unit) if rebuild else []) + dropped
    # Such a load also does the insert triggers' work itself (projects' and tasks' tracked time, the
    # report day tables), summed once per day and group while the entries are made; a smaller one leaves
    # the triggers to it, row by row.
    triggers = await store.drop_insert_triggers(unit) if rebuild else None
    totals = EntryTotals(ws) if triggers is not None else None
    links: list[tuple[str, str, str]] = []

    def entry_rows() -> Iterator[tuple[Any, ...]]:
        for batch, tags in entry_batches(ws, catalogue, options, ids, start_s, end_s, totals):
            links.extend(tags)
            yield from batch

    started = time.perf_counter()
    # One stream of entries (on PostgreSQL one COPY: the server stores rows while the next ones are made),
    # then their tags.
    entries = await store.load(unit, "time_entries", store.ENTRY_COLUMNS, entry_rows())
    entry_tags = await store.load(unit, "time_entry_tags", store.ENTRY_TAG_COLUMNS, links) if links else 0
    loaded = time.perf_counter()
    await store.restore(unit, dropped)
    if triggers is not None and totals is not None:
        await store.restore(unit, triggers)
        await store.add_day_totals(unit, ws, totals.day_rows(), totals.group_rows(unit.dialect))
        await store.add_tracked_seconds(unit, ws, "projects", totals.project_seconds)
        await store.add_tracked_seconds(unit, ws, "tasks", totals.task_seconds)
    return SeedResult(
        workspace_id=ws,
        owner_id=account.user_id,
        owner_email=owner_email,
        api_key=account.api_key,
        user_ids=catalogue.user_ids,
        entries=entries,
        entry_tags=entry_tags,
        other_rows=catalogue.rows,
        rebuilt=rebuild,
        entries_s=loaded - started,
        rebuild_s=time.perf_counter() - loaded,
        period_start_ms=start_s * 1000,
        period_end_ms=end_s * 1000,
    )


async def before_load(db: Database) -> bool:
    """Run before the seeding unit begins, on the seeder's own connection; whether the load goes through
    a rollback journal (SQLite, when no other connection has the file open)."""
    return await store.before_bulk_load(db)


async def statistics_before_commit(unit: Unit) -> None:
    """Run in the seeding unit, last: SQLite's planner statistics (see store.statistics_in_unit)."""
    await store.statistics_in_unit(unit)


async def after_load(db: Database, journaled: bool) -> None:
    """Run after the seeding unit committed: SQLite back in WAL mode (its log checkpointed when the load
    went through it), PostgreSQL's statistics and VACUUM."""
    await store.after_bulk_load(db, journaled)
