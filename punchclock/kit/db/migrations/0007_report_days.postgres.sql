-- What a workspace tracked per UTC day, kept by triggers: see 0007_report_days.sql (the same design;
-- PostgreSQL triggers call functions). Concurrent writers of one workspace's day would queue on its row
-- until they commit, so each day is kept in up to 4 rows (`shard`: from the last character of the entry id).
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
SELECT workspace_id, start_ms / 86400000, (ascii(right(id, 1)) % 4)::text, COUNT(*), COALESCE(SUM(duration), 0),
    COALESCE(SUM(CASE WHEN billable THEN duration ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
FROM time_entries WHERE end_ms IS NOT NULL GROUP BY workspace_id, start_ms / 86400000, (ascii(right(id, 1)) % 4)::text;

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
    PRIMARY KEY (workspace_id, day, user_id, project_id, billable) INCLUDE (entries, duration, earned, cost)
);

INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, entries, duration, earned, cost)
SELECT workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable, COUNT(*),
    COALESCE(SUM(duration), 0),
    COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
FROM time_entries WHERE end_ms IS NOT NULL
GROUP BY workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable;

CREATE FUNCTION report_days_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tracked_totals_paused) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.end_ms IS NOT NULL THEN
        UPDATE report_days SET entries = entries - 1, duration = duration - COALESCE(OLD.duration, 0),
            billable_duration = billable_duration
                - CASE WHEN OLD.billable THEN COALESCE(OLD.duration, 0) ELSE 0 END,
            earned = earned
                - CASE WHEN OLD.billable THEN COALESCE(OLD.hourly_rate, 0) * COALESCE(OLD.duration, 0) ELSE 0 END,
            cost = cost - COALESCE(OLD.cost_rate, 0) * COALESCE(OLD.duration, 0)
        WHERE workspace_id = OLD.workspace_id AND day = OLD.start_ms / 86400000 AND shard = (ascii(right(OLD.id, 1)) % 4)::text;
        UPDATE report_day_groups SET entries = entries - 1, duration = duration - COALESCE(OLD.duration, 0),
            earned = earned - CASE WHEN OLD.billable THEN COALESCE(OLD.hourly_rate, 0) * COALESCE(OLD.duration, 0) ELSE 0 END,
            cost = cost - COALESCE(OLD.cost_rate, 0) * COALESCE(OLD.duration, 0)
        WHERE workspace_id = OLD.workspace_id AND day = OLD.start_ms / 86400000 AND user_id = OLD.user_id
            AND project_id = COALESCE(OLD.project_id, '') AND billable = OLD.billable;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.end_ms IS NOT NULL THEN
        INSERT INTO report_days AS d (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
        VALUES (NEW.workspace_id, NEW.start_ms / 86400000, (ascii(right(NEW.id, 1)) % 4)::text, 1, COALESCE(NEW.duration, 0),
            CASE WHEN NEW.billable THEN COALESCE(NEW.duration, 0) ELSE 0 END,
            CASE WHEN NEW.billable THEN COALESCE(NEW.hourly_rate, 0) * COALESCE(NEW.duration, 0) ELSE 0 END,
            COALESCE(NEW.cost_rate, 0) * COALESCE(NEW.duration, 0))
        ON CONFLICT (workspace_id, day, shard) DO UPDATE SET entries = d.entries + excluded.entries,
            duration = d.duration + excluded.duration,
            billable_duration = d.billable_duration + excluded.billable_duration,
            earned = d.earned + excluded.earned, cost = d.cost + excluded.cost;
        INSERT INTO report_day_groups AS g (workspace_id, day, user_id, project_id, billable, entries, duration,
            earned, cost)
        VALUES (NEW.workspace_id, NEW.start_ms / 86400000, NEW.user_id, COALESCE(NEW.project_id, ''), NEW.billable, 1,
            COALESCE(NEW.duration, 0),
            CASE WHEN NEW.billable THEN COALESCE(NEW.hourly_rate, 0) * COALESCE(NEW.duration, 0) ELSE 0 END,
            COALESCE(NEW.cost_rate, 0) * COALESCE(NEW.duration, 0))
        ON CONFLICT (workspace_id, day, user_id, project_id, billable) DO UPDATE SET entries = g.entries + excluded.entries,
            duration = g.duration + excluded.duration, earned = g.earned + excluded.earned, cost = g.cost + excluded.cost;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_days_insert AFTER INSERT ON time_entries
FOR EACH ROW WHEN (NEW.end_ms IS NOT NULL) EXECUTE FUNCTION report_days_follow();

CREATE TRIGGER report_days_delete AFTER DELETE ON time_entries
FOR EACH ROW WHEN (OLD.end_ms IS NOT NULL) EXECUTE FUNCTION report_days_follow();

CREATE TRIGGER report_days_update AFTER UPDATE OF workspace_id, start_ms, end_ms, duration, billable, hourly_rate,
    cost_rate, user_id, project_id ON time_entries
FOR EACH ROW WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id OR OLD.start_ms IS DISTINCT FROM NEW.start_ms
    OR OLD.end_ms IS DISTINCT FROM NEW.end_ms OR OLD.duration IS DISTINCT FROM NEW.duration
    OR OLD.billable IS DISTINCT FROM NEW.billable OR OLD.hourly_rate IS DISTINCT FROM NEW.hourly_rate
    OR OLD.cost_rate IS DISTINCT FROM NEW.cost_rate OR OLD.user_id IS DISTINCT FROM NEW.user_id
    OR OLD.project_id IS DISTINCT FROM NEW.project_id)
EXECUTE FUNCTION report_days_follow();

CREATE FUNCTION report_days_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tracked_totals_paused) THEN
        DELETE FROM report_days;
        INSERT INTO report_days (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
        SELECT workspace_id, start_ms / 86400000, (ascii(right(id, 1)) % 4)::text, COUNT(*), COALESCE(SUM(duration), 0),
            COALESCE(SUM(CASE WHEN billable THEN duration ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
            COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
        FROM time_entries WHERE end_ms IS NOT NULL GROUP BY workspace_id, start_ms / 86400000, (ascii(right(id, 1)) % 4)::text;
        DELETE FROM report_day_groups;
        INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, entries, duration, earned, cost)
        SELECT workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable, COUNT(*),
            COALESCE(SUM(duration), 0),
            COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
            COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
        FROM time_entries WHERE end_ms IS NOT NULL
        GROUP BY workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_days_rebuild AFTER DELETE ON tracked_totals_paused
FOR EACH STATEMENT EXECUTE FUNCTION report_days_rebuild();

ANALYZE report_days;
ANALYZE report_day_groups;
