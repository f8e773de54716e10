-- The tracked time of each project and task, kept by triggers: see 0005_tracked_totals.sql (the same
-- design; PostgreSQL triggers call a function).
CREATE TABLE tracked_totals_paused (id INTEGER PRIMARY KEY);

CREATE FUNCTION time_entries_track_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tracked_totals_paused) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.duration IS NOT NULL THEN
        UPDATE projects SET tracked_seconds = tracked_seconds - OLD.duration
        WHERE workspace_id = OLD.workspace_id AND id = OLD.project_id;
        UPDATE tasks SET tracked_seconds = tracked_seconds - OLD.duration
        WHERE workspace_id = OLD.workspace_id AND id = OLD.task_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.duration IS NOT NULL THEN
        UPDATE projects SET tracked_seconds = tracked_seconds + NEW.duration
        WHERE workspace_id = NEW.workspace_id AND id = NEW.project_id;
        UPDATE tasks SET tracked_seconds = tracked_seconds + NEW.duration
        WHERE workspace_id = NEW.workspace_id AND id = NEW.task_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER time_entries_totals_insert AFTER INSERT ON time_entries
FOR EACH ROW WHEN (NEW.duration IS NOT NULL) EXECUTE FUNCTION time_entries_track_totals();

CREATE TRIGGER time_entries_totals_delete AFTER DELETE ON time_entries
FOR EACH ROW WHEN (OLD.duration IS NOT NULL) EXECUTE FUNCTION time_entries_track_totals();

CREATE TRIGGER time_entries_totals_update AFTER UPDATE OF project_id, task_id, duration ON time_entries
FOR EACH ROW WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.task_id IS DISTINCT FROM NEW.task_id
    OR OLD.duration IS DISTINCT FROM NEW.duration)
EXECUTE FUNCTION time_entries_track_totals();
