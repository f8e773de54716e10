-- Time entries: what everything else (timers, reports, time sheets) reads.
-- start_ms / end_ms are epoch milliseconds (whole seconds); duration is seconds. A running timer has
-- end_ms and duration NULL.
-- The billable (hourly) and cost rates are resolved when the entry is written (task → project-user →
-- project → member → workspace) and kept on the row, so a later rate change does not rewrite history
-- unless it asks to (a rate change `since` an instant re-resolves the entries from then on). The *_source
-- columns say which level the rate came from (TASK, PROJECT_USER, PROJECT, USER, WORKSPACE).
CREATE TABLE time_entries (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    description TEXT NOT NULL DEFAULT '',
    project_id TEXT,
    task_id TEXT,
    billable BOOLEAN NOT NULL DEFAULT FALSE,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT,
    duration BIGINT,
    type TEXT NOT NULL DEFAULT 'REGULAR',
    kiosk_id TEXT,
    is_locked BOOLEAN NOT NULL DEFAULT FALSE,
    invoiced BOOLEAN NOT NULL DEFAULT FALSE,
    hourly_rate BIGINT,
    hourly_rate_source TEXT,
    cost_rate BIGINT,
    cost_rate_source TEXT,
    currency TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A user's entries newest first (the list, its filters, deep pages); covers the page-of-ids scan.
CREATE INDEX time_entries_by_user ON time_entries (workspace_id, user_id, start_ms, id);
-- The same list filtered by project (the commonest filter), newest first, index-only: without it a project
-- tracked on long ago means scanning all of the user's entries for one page.
CREATE INDEX time_entries_by_user_project ON time_entries (workspace_id, user_id, project_id, start_ms, id);
-- Entries of a task (its filter, detaching a deleted task). A workspace's entries by start and by project
-- are served by the reports' covering indexes (0004), whose leading columns are the same: every index
-- here costs each insert a B-tree update.
CREATE INDEX time_entries_by_task ON time_entries (workspace_id, task_id);

-- At most one running timer per user and workspace, whatever the concurrency: the database refuses a
-- second row with end_ms NULL, so the service's "stop the running one, then insert" cannot race.
CREATE UNIQUE INDEX time_entries_one_running ON time_entries (workspace_id, user_id) WHERE end_ms IS NULL;

CREATE TABLE time_entry_tags (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    time_entry_id TEXT NOT NULL REFERENCES time_entries (id),
    tag_id TEXT NOT NULL,
    PRIMARY KEY (time_entry_id, tag_id)
);

CREATE INDEX time_entry_tags_by_tag ON time_entry_tags (workspace_id, tag_id);
