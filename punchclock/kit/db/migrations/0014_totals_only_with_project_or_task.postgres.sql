-- The tracked-totals triggers (0005) fire only for entries on a project or a task: for one on neither,
-- the function's UPDATEs match no row, and still cost each entry write a PL/pgSQL call, two look-ups and
-- the pause check (about 30 µs of an entry create's 250 µs in PostgreSQL).
DROP TRIGGER time_entries_totals_insert ON time_entries;
DROP TRIGGER time_entries_totals_delete ON time_entries;
DROP TRIGGER time_entries_totals_update ON time_entries;

CREATE TRIGGER time_entries_totals_insert AFTER INSERT ON time_entries
FOR EACH ROW WHEN (NEW.duration IS NOT NULL AND (NEW.project_id IS NOT NULL OR NEW.task_id IS NOT NULL))
EXECUTE FUNCTION time_entries_track_totals();

CREATE TRIGGER time_entries_totals_delete AFTER DELETE ON time_entries
FOR EACH ROW WHEN (OLD.duration IS NOT NULL AND (OLD.project_id IS NOT NULL OR OLD.task_id IS NOT NULL))
EXECUTE FUNCTION time_entries_track_totals();

CREATE TRIGGER time_entries_totals_update AFTER UPDATE OF project_id, task_id, duration ON time_entries
FOR EACH ROW WHEN ((OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.task_id IS DISTINCT FROM NEW.task_id
    OR OLD.duration IS DISTINCT FROM NEW.duration)
    AND (OLD.project_id IS NOT NULL OR OLD.task_id IS NOT NULL OR NEW.project_id IS NOT NULL
        OR NEW.task_id IS NOT NULL))
EXECUTE FUNCTION time_entries_track_totals();
