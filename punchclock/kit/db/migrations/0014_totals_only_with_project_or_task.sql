-- The tracked-totals triggers (0005) fire only for entries on a project or a task: for one on neither,
-- their UPDATEs match no row, and still cost each entry write two look-ups and the pause check.
DROP TRIGGER time_entries_totals_insert;
DROP TRIGGER time_entries_totals_delete;
DROP TRIGGER time_entries_totals_update;

CREATE TRIGGER time_entries_totals_insert AFTER INSERT ON time_entries
WHEN NEW.duration IS NOT NULL AND (NEW.project_id IS NOT NULL OR NEW.task_id IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE projects SET tracked_seconds = tracked_seconds + NEW.duration
    WHERE workspace_id = NEW.workspace_id AND id = NEW.project_id;
    UPDATE tasks SET tracked_seconds = tracked_seconds + NEW.duration
    WHERE workspace_id = NEW.workspace_id AND id = NEW.task_id;
END;

CREATE TRIGGER time_entries_totals_delete AFTER DELETE ON time_entries
WHEN OLD.duration IS NOT NULL AND (OLD.project_id IS NOT NULL OR OLD.task_id IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
BEGIN
    UPDATE projects SET tracked_seconds = tracked_seconds - OLD.duration
    WHERE workspace_id = OLD.workspace_id AND id = OLD.project_id;
    UPDATE tasks SET tracked_seconds = tracked_seconds - OLD.duration
    WHERE workspace_id = OLD.workspace_id AND id = OLD.task_id;
END;

CREATE TRIGGER time_entries_totals_update AFTER UPDATE OF project_id, task_id, duration ON time_entries
WHEN (OLD.project_id IS NOT NEW.project_id OR OLD.task_id IS NOT NEW.task_id
    OR OLD.duration IS NOT NEW.duration)
    AND (OLD.project_id IS NOT NULL OR OLD.task_id IS NOT NULL
        OR NEW.project_id IS NOT NULL OR NEW.task_id IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM tracked_totals_paused)
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
