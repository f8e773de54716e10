-- What a workspace tracked per UTC day, kept by triggers: see 0007_report_days.sql (the same design;
-- PostgreSQL triggers call functions). Concurrent writers would queue on a day's row lock until they
-- commit, so a change lands in its backend's own `shard` of the day (pg_backend_pid() % 64): two
-- transactions write the same row at once only when their backends share that shard. A shard's counts
-- may even go negative (a deletion lands where it runs): only the sum over a day's shards means anything,
-- and that is all readers take. Bulk rebuilds put each day in one row (shard ''). The counters are
-- updated in place all day long: no index covers them and pages keep room (fillfactor), so that updates
-- stay HOT (no new index entry per update, which would leave a hot row's lookups wading through dead ones).
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
) WITH (fillfactor = 50);

INSERT INTO report_days (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
SELECT workspace_id, start_ms / 86400000, '', COUNT(*), COALESCE(SUM(duration), 0),
    COALESCE(SUM(CASE WHEN billable THEN duration ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
FROM time_entries WHERE end_ms IS NOT NULL GROUP BY workspace_id, start_ms / 86400000;

-- The same per UTC day and user, project ('' for none) and billable flag (and shard, as above):
-- summaries grouped by project and/or user (and filtered on those only) over long periods read these rows
-- instead of every entry.
CREATE TABLE report_day_groups (
    workspace_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    billable BOOLEAN NOT NULL,
    shard TEXT NOT NULL,
    entries BIGINT NOT NULL,
    duration BIGINT NOT NULL,
    earned BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, user_id, project_id, billable, shard)
) WITH (fillfactor = 50);

INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, shard, entries, duration, earned,
    cost)
SELECT workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable, '', COUNT(*),
    COALESCE(SUM(duration), 0),
    COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
FROM time_entries WHERE end_ms IS NOT NULL
GROUP BY workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable;

-- Add (sign 1) or take away (sign -1) one finished entry's measures, in this backend's shard.
CREATE FUNCTION report_days_apply(p_workspace_id TEXT, p_start_ms BIGINT, p_user_id TEXT, p_project_id TEXT,
    p_billable BOOLEAN, p_duration BIGINT, p_hourly_rate BIGINT, p_cost_rate BIGINT, p_sign INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_shard TEXT := (pg_backend_pid() % 64)::text;
    v_day BIGINT := p_start_ms / 86400000;
    v_duration BIGINT := p_sign * COALESCE(p_duration, 0);
    v_earned BIGINT := CASE WHEN p_billable THEN COALESCE(p_hourly_rate, 0) * v_duration ELSE 0 END;
    v_cost BIGINT := COALESCE(p_cost_rate, 0) * v_duration;
BEGIN
    INSERT INTO report_days AS d (workspace_id, day, shard, entries, duration, billable_duration, earned, cost)
    VALUES (p_workspace_id, v_day, v_shard, p_sign, v_duration,
        CASE WHEN p_billable THEN v_duration ELSE 0 END, v_earned, v_cost)
    ON CONFLICT (workspace_id, day, shard) DO UPDATE SET entries = d.entries + excluded.entries,
        duration = d.duration + excluded.duration,
        billable_duration = d.billable_duration + excluded.billable_duration,
        earned = d.earned + excluded.earned, cost = d.cost + excluded.cost;
    INSERT INTO report_day_groups AS g (workspace_id, day, user_id, project_id, billable, shard, entries,
        duration, earned, cost)
    VALUES (p_workspace_id, v_day, p_user_id, COALESCE(p_project_id, ''), p_billable, v_shard, p_sign,
        v_duration, v_earned, v_cost)
    ON CONFLICT (workspace_id, day, user_id, project_id, billable, shard) DO UPDATE
        SET entries = g.entries + excluded.entries, duration = g.duration + excluded.duration,
        earned = g.earned + excluded.earned, cost = g.cost + excluded.cost;
END
$$;

CREATE FUNCTION report_days_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tracked_totals_paused) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.end_ms IS NOT NULL THEN
        PERFORM report_days_apply(OLD.workspace_id, OLD.start_ms, OLD.user_id, OLD.project_id, OLD.billable,
            OLD.duration, OLD.hourly_rate, OLD.cost_rate, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.end_ms IS NOT NULL THEN
        PERFORM report_days_apply(NEW.workspace_id, NEW.start_ms, NEW.user_id, NEW.project_id, NEW.billable,
            NEW.duration, NEW.hourly_rate, NEW.cost_rate, 1);
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
        SELECT workspace_id, start_ms / 86400000, '', COUNT(*), COALESCE(SUM(duration), 0),
            COALESCE(SUM(CASE WHEN billable THEN duration ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN billable THEN COALESCE(hourly_rate, 0) * duration ELSE 0 END), 0),
            COALESCE(SUM(COALESCE(cost_rate, 0) * duration), 0)
        FROM time_entries WHERE end_ms IS NOT NULL GROUP BY workspace_id, start_ms / 86400000;
        DELETE FROM report_day_groups;
        INSERT INTO report_day_groups (workspace_id, day, user_id, project_id, billable, shard, entries, duration,
            earned, cost)
        SELECT workspace_id, start_ms / 86400000, user_id, COALESCE(project_id, ''), billable, '', COUNT(*),
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
