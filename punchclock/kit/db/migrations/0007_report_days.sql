-- What a workspace tracked per UTC day (finished entries: count, time, billable time, earned and cost as
-- rate x seconds), kept by triggers in the same transaction as every change to an entry, so that no
-- write path can forget it. Reports read it for what does not depend on filters: the totals of a long
-- period (whole days from here, the partial days at its ends from the entries) and the position of a
-- deep page of the detailed report (which day holds row N), instead of scanning every earlier entry.
--
-- Bulk loads that still the tracked-totals triggers (a row in tracked_totals_paused, migration 0005)
-- still these too; when the last pause row goes, the table is rebuilt from the entries. `shard` splits a
-- day over several rows where writers run concurrently (PostgreSQL); SQLite's are serial: one row, ''.
CREATE TABLE report_days (
    workspace_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    duration BIGINT NOT NULL,
    billable_duration BIGINT NOT NULL,
    earned BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    shard TEXT NOT NULL,
    PRIMARY KEY (workspace_id, day, shard)
);

INSERT INTO report_days (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
SELECT workspace_id, start_ms / 86400000, '', COUNT(*), COALESCE(SUM(duration), 0),
    COALESCE(SUM(CASE WHEN billable THEN duration ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
FROM time_entries WHERE end_ms IS NOT NULL GROUP BY workspace_id, start_ms / 86400000;

-- The same per UTC day and user, project ('' for none) and billable flag: summaries grouped by project
-- and/or user (and filtered on those only) over long periods read these rows instead of every entry.
CREATE TABLE report_day_groups (
    workspace_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    billable BOOLEAN NOT NULL,
    entries BIGINT NOT NULL,
    duration BIGINT NOT NULL,
    earned BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, user_id, project_id, billable)
) WITHOUT ROWID;

INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, entries, duration, earned, cost)
SELECT workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable, COUNT(*),
    COALESCE(SUM(duration), 0),
    COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
FROM time_entries WHERE end_ms IS NOT NULL
GROUP BY workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable;

CREATE TRIGGER report_days_insert AFTER INSERT ON time_entries
WHEN NEW.end_ms IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    INSERT INTO report_days (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
    VALUES (NEW.workspace_id, NEW.start_ms / 86400000, '', 1, COALESCE(NEW.duration, 0),
        CASE WHEN NEW.billable THEN COALESCE(NEW.duration, 0) ELSE 0 END,
        CASE WHEN NEW.billable THEN COALESCE(NEW.hourly_rate, 0) * COALESCE(NEW.duration, 0) ELSE 0 END,
        COALESCE(NEW.cost_rate, 0) * COALESCE(NEW.duration, 0))
    ON CONFLICT (workspace_id, day, shard) DO UPDATE SET entries = entries + excluded.entries,
        duration = duration + excluded.duration, billable_duration = billable_duration + excluded.billable_duration,
        earned = earned + excluded.earned, cost = cost + excluded.cost;
    INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, entries, duration,
        earned, cost)
    VALUES (NEW.workspace_id, NEW.start_ms / 86400000, NEW.user_id, COALESCE(NEW.project_id, ''), NEW.billable, 1,
        COALESCE(NEW.duration, 0),
        CASE WHEN NEW.billable THEN COALESCE(NEW.hourly_rate, 0) * COALESCE(NEW.duration, 0) ELSE 0 END,
        COALESCE(NEW.cost_rate, 0) * COALESCE(NEW.duration, 0))
    ON CONFLICT (workspace_id, day, user_id, project_id, billable) DO UPDATE SET entries = entries + excluded.entries,
        duration = duration + excluded.duration, earned = earned + excluded.earned, cost = cost + excluded.cost;
END;

CREATE TRIGGER report_days_delete AFTER DELETE ON time_entries
WHEN OLD.end_ms IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE report_days SET entries = entries - 1, duration = duration - COALESCE(OLD.duration, 0),
        billable_duration = billable_duration - CASE WHEN OLD.billable THEN COALESCE(OLD.duration, 0) ELSE 0 END,
        earned = earned - CASE WHEN OLD.billable THEN COALESCE(OLD.hourly_rate, 0) * COALESCE(OLD.duration, 0) ELSE 0 END,
        cost = cost - COALESCE(OLD.cost_rate, 0) * COALESCE(OLD.duration, 0)
    WHERE workspace_id = OLD.workspace_id AND day = OLD.start_ms / 86400000 AND shard = '';
    UPDATE report_day_groups SET entries = entries - 1, duration = duration - COALESCE(OLD.duration, 0),
        earned = earned - CASE WHEN OLD.billable THEN COALESCE(OLD.hourly_rate, 0) * COALESCE(OLD.duration, 0) ELSE 0 END,
        cost = cost - COALESCE(OLD.cost_rate, 0) * COALESCE(OLD.duration, 0)
    WHERE workspace_id = OLD.workspace_id AND day = OLD.start_ms / 86400000 AND user_id = OLD.user_id
        AND project_id = COALESCE(OLD.project_id, '') AND billable = OLD.billable;
END;

CREATE TRIGGER report_days_update AFTER UPDATE OF workspace_id, start_ms, end_ms, duration, billable, hourly_rate,
    cost_rate, user_id, project_id ON time_entries
WHEN NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE report_days SET entries = entries - 1, duration = duration - COALESCE(OLD.duration, 0),
        billable_duration = billable_duration - CASE WHEN OLD.billable THEN COALESCE(OLD.duration, 0) ELSE 0 END,
        earned = earned - CASE WHEN OLD.billable THEN COALESCE(OLD.hourly_rate, 0) * COALESCE(OLD.duration, 0) ELSE 0 END,
        cost = cost - COALESCE(OLD.cost_rate, 0) * COALESCE(OLD.duration, 0)
    WHERE OLD.end_ms IS NOT NULL AND workspace_id = OLD.workspace_id AND day = OLD.start_ms / 86400000 AND shard = '';
    UPDATE report_day_groups SET entries = entries - 1, duration = duration - COALESCE(OLD.duration, 0),
        earned = earned - CASE WHEN OLD.billable THEN COALESCE(OLD.hourly_rate, 0) * COALESCE(OLD.duration, 0) ELSE 0 END,
        cost = cost - COALESCE(OLD.cost_rate, 0) * COALESCE(OLD.duration, 0)
    WHERE OLD.end_ms IS NOT NULL AND workspace_id = OLD.workspace_id AND day = OLD.start_ms / 86400000 AND user_id = OLD.user_id
        AND project_id = COALESCE(OLD.project_id, '') AND billable = OLD.billable;
    INSERT INTO report_days (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
    SELECT NEW.workspace_id, NEW.start_ms / 86400000, '', 1, COALESCE(NEW.duration, 0),
        CASE WHEN NEW.billable THEN COALESCE(NEW.duration, 0) ELSE 0 END,
        CASE WHEN NEW.billable THEN COALESCE(NEW.hourly_rate, 0) * COALESCE(NEW.duration, 0) ELSE 0 END,
        COALESCE(NEW.cost_rate, 0) * COALESCE(NEW.duration, 0)
    WHERE NEW.end_ms IS NOT NULL
    ON CONFLICT (workspace_id, day, shard) DO UPDATE SET entries = entries + excluded.entries,
        duration = duration + excluded.duration, billable_duration = billable_duration + excluded.billable_duration,
        earned = earned + excluded.earned, cost = cost + excluded.cost;
    INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, entries, duration,
        earned, cost)
    SELECT NEW.workspace_id, NEW.start_ms / 86400000, NEW.user_id, COALESCE(NEW.project_id, ''), NEW.billable, 1,
        COALESCE(NEW.duration, 0),
        CASE WHEN NEW.billable THEN COALESCE(NEW.hourly_rate, 0) * COALESCE(NEW.duration, 0) ELSE 0 END,
        COALESCE(NEW.cost_rate, 0) * COALESCE(NEW.duration, 0)
    WHERE NEW.end_ms IS NOT NULL
    ON CONFLICT (workspace_id, day, user_id, project_id, billable) DO UPDATE SET entries = entries + excluded.entries,
        duration = duration + excluded.duration, earned = earned + excluded.earned, cost = cost + excluded.cost;
END;

CREATE TRIGGER report_days_rebuild AFTER DELETE ON tracked_totals_paused
WHEN NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    DELETE FROM report_days;
    INSERT INTO report_days (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
    SELECT workspace_id, start_ms / 86400000, '', COUNT(*), COALESCE(SUM(duration), 0),
        COALESCE(SUM(CASE WHEN billable THEN duration ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
        COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
    FROM time_entries WHERE end_ms IS NOT NULL GROUP BY workspace_id, start_ms / 86400000;
    DELETE FROM report_day_groups;
    INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, entries, duration, earned, cost)
    SELECT workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable, COUNT(*),
        COALESCE(SUM(duration), 0),
        COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
        COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
    FROM time_entries WHERE end_ms IS NOT NULL
    GROUP BY workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable;
END;

ANALYZE report_days;
ANALYZE report_day_groups;
