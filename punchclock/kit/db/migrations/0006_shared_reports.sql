-- Shared reports: a saved report definition (the report body as JSON, under `filter`) that renders at
-- GET /shared-reports/{id} on the reports host: without a key when public, for the workspace's members
-- otherwise. The render runs as the owner (owner_id), with the date range resolved at render time when
-- the range is relative (fixed_date false and a date_range_type such as LAST_WEEK).
CREATE TABLE shared_reports (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    owner_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    report_type TEXT NOT NULL,
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    fixed_date BOOLEAN NOT NULL DEFAULT TRUE,
    date_range_type TEXT,
    filter TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);

-- The list reads a workspace's reports (all, or one owner's) in creation order.
CREATE INDEX shared_reports_by_workspace ON shared_reports (workspace_id, owner_id, created_at, id);
