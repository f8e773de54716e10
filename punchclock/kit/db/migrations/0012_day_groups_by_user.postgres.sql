-- One user's rows of report_day_groups (migration 0007), day by day: on PostgreSQL a deep page of that
-- user's entry list (GET …/user/{id}/time-entries, newest first) finds the day holding row N from these
-- counts instead of walking every newer entry (time_entries/store.py page_of_user). The counts change
-- with every entry, the indexed columns never, so entry writes touch this index only for a new row.
CREATE INDEX report_day_groups_by_user ON report_day_groups (workspace_id, user_id, day);
