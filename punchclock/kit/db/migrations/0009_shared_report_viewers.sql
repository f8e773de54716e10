-- Who may see a private shared report besides the workspace's admins and its author: the users and user
-- groups of its `visibleToUsers` / `visibleToUserGroups` (kind USER or USER_GROUP), in the order given.
-- User groups do not exist yet; their ids are kept for when they do.
CREATE TABLE shared_report_viewers (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    report_id TEXT NOT NULL REFERENCES shared_reports (id),
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, report_id, kind, target_id)
);

-- "Shared with me": the reports listing a user (or one of their groups).
CREATE INDEX shared_report_viewers_by_target ON shared_report_viewers (workspace_id, kind, target_id);
