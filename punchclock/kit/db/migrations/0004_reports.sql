-- Report indexes: every report reads a workspace's finished entries over a period and sums a few columns.
--
-- time_entries_reports: the period is a range of (workspace_id, start_ms); id next, so the detailed report's
-- (start, id) order and its deep pages come straight from the index, and then every column a report
-- filters on or aggregates, so range scans never visit the table (index-only).
CREATE INDEX time_entries_reports ON time_entries (
    workspace_id, start_ms, id, end_ms, duration, user_id, project_id, task_id, billable, invoiced,
    hourly_rate, cost_rate
);

-- time_entries_report_groups: long summaries grouped by project and user read their rows in group order
-- (one seek per project and user into the period) instead of sorting a year of rows.
CREATE INDEX time_entries_report_groups ON time_entries (
    workspace_id, project_id, user_id, start_ms, end_ms, duration, billable, hourly_rate, cost_rate
);

-- Statistics for the planner (SQLite skips through the group index only when they show few groups).
ANALYZE time_entries;
