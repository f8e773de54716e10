-- The tracked time of each project and task (its `duration` on the wire), kept up to date by triggers in
-- the same transaction as every change to a finished entry, so that reading a project costs no scan of
-- its entries (a project list over a million entries would otherwise sum them for each project shown).
-- Running timers (duration NULL) count once they are stopped.
--
-- Bulk loads (the demo seeder) put a row into tracked_totals_paused, which stills the triggers, and
-- recompute the totals once at the end (projects.service.recompute_tracked_totals).
CREATE TABLE tracked_totals_paused (id INTEGER PRIMARY KEY);

CREATE TRIGGER time_entries_totals_insert AFTER INSERT ON time_entries
WHEN NEW.duration IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE projects SET tracked_seconds = tracked_seconds + NEW.duration
    WHERE workspace_id = NEW.workspace_id AND id = NEW.project_id;
    UPDATE tasks SET tracked_seconds = tracked_seconds + NEW.duration
    WHERE workspace_id = NEW.workspace_id AND id = NEW.task_id;
END;

CREATE TRIGGER time_entries_totals_delete AFTER DELETE ON time_entries
WHEN OLD.duration IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE projects SET tracked_seconds = tracked_seconds - OLD.duration
    WHERE workspace_id = OLD.workspace_id AND id = OLD.project_id;
    UPDATE tasks SET tracked_seconds = tracked_seconds - OLD.duration
    WHERE workspace_id = OLD.workspace_id AND id = OLD.task_id;
END;

CREATE TRIGGER time_entries_totals_update AFTER UPDATE OF project_id, task_id, duration ON time_entries
WHEN (OLD.project_id IS NOT NEW.project_id OR OLD.task_id IS NOT NEW.task_id
    OR OLD.duration IS NOT NEW.duration) AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE projects SET tracked_seconds = tracked_seconds - COALESCE(OLD.duration, 0)
    WHERE workspace_id = OLD.workspace_id AND id = OLD.project_id;
    UPDATE tasks SET tracked_seconds = tracked_seconds - COALESCE(OLD.duration, 0)
    WHERE workspace_id = OLD.workspace_id AND id = OLD.task_id;
    UPDATE projects SET tracked_seconds = tracked_seconds + COALESCE(NEW.duration, 0)
    WHERE workspace_id = NEW.workspace_id AND id = NEW.project_id;
    UPDATE tasks SET tracked_seconds = tracked_seconds + COALESCE(NEW.duration, 0)
    WHERE workspace_id = NEW.workspace_id AND id = NEW.task_id;
END;
