-- Projects, their members (with per-user project rates) and tasks (with assignees).
-- Rates are NULL while the level inherits from the next one (task → project-user → project → member → workspace).

-- name_key is the case-folded name; a name is unique per workspace and client (Clockify lets two clients
-- each have a project called "Website"). client_key is client_id or '' so the unique index sees "no client".
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    client_id TEXT,
    client_key TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '#03A9F4',
    note TEXT NOT NULL DEFAULT '',
    billable BOOLEAN NOT NULL DEFAULT TRUE,
    is_public BOOLEAN NOT NULL DEFAULT TRUE,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    template BOOLEAN NOT NULL DEFAULT FALSE,
    hourly_rate BIGINT,
    cost_rate BIGINT,
    -- Estimates as the JSON of their wire Structs, read and written whole: time_estimate holds the
    -- timeEstimate, budget_estimate the budgetEstimate and the estimateReset ({"budget":…,"reset":…}).
    time_estimate TEXT NOT NULL DEFAULT '{}',
    budget_estimate TEXT NOT NULL DEFAULT '{}',
    -- The manual estimates again as numbers, for the BUDGET and PROGRESS sorts of the list.
    estimate_seconds BIGINT,
    budget_amount BIGINT,
    -- Seconds tracked on the project by finished entries, kept by triggers on time_entries (0005).
    tracked_seconds BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX projects_by_name ON projects (workspace_id, client_key, name_key);
CREATE INDEX projects_by_client ON projects (workspace_id, client_id);

-- Who may track on a project (a private project admits only its members) and at what project rate.
-- target_type USER or USERGROUP (target_id is a user or a group id).
CREATE TABLE project_memberships (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    project_id TEXT NOT NULL REFERENCES projects (id),
    target_id TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT 'USER',
    hourly_rate BIGINT,
    cost_rate BIGINT,
    -- PROJECT_MANAGER etc. are role_assignments; this is only the membership.
    status TEXT NOT NULL DEFAULT 'ACTIVE',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, project_id, target_id)
);

CREATE INDEX project_memberships_by_target ON project_memberships (workspace_id, target_id);

-- status ACTIVE | DONE (DONE is the archived state). estimate in seconds, NULL when none.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    project_id TEXT NOT NULL REFERENCES projects (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ACTIVE',
    billable BOOLEAN NOT NULL DEFAULT TRUE,
    estimate BIGINT,
    budget_estimate BIGINT,
    hourly_rate BIGINT,
    cost_rate BIGINT,
    -- Seconds tracked on the task by finished entries, kept by triggers on time_entries (0005).
    tracked_seconds BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX tasks_by_name ON tasks (workspace_id, project_id, name_key);

-- Assignees of a task: users (target_type USER) and user groups (USERGROUP).
CREATE TABLE task_assignees (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    task_id TEXT NOT NULL REFERENCES tasks (id),
    target_id TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT 'USER',
    PRIMARY KEY (workspace_id, task_id, target_type, target_id)
);
