-- Entry rows no longer declare foreign keys to their workspace and user (nor do their tag and custom-field
-- rows to the workspace). On PostgreSQL each such key makes every insert lock the parent row (FOR KEY
-- SHARE) until commit: all of a team's concurrent entry writes lock the same workspace row, and the
-- shared locks of concurrent transactions on one row are MultiXacts, which cost each of them more than
-- the insert itself. Measured over HTTP on 1,000,000 entries (2 workers, 32 connections): entry creates
-- went from about 1,030 to 1,340-1,500 per second once these two constraints were gone.
--
-- What they guarded cannot happen through punchclock: workspaces and users are never deleted, and every
-- entry is written with the workspace and user of a membership that the same request has just read.
-- SQLite keeps its declarations: its checks are a primary-key lookup and take no lock, and dropping them
-- would mean rebuilding the table.
ALTER TABLE time_entries DROP CONSTRAINT IF EXISTS time_entries_workspace_id_fkey;
ALTER TABLE time_entries DROP CONSTRAINT IF EXISTS time_entries_user_id_fkey;
ALTER TABLE time_entry_tags DROP CONSTRAINT IF EXISTS time_entry_tags_workspace_id_fkey;
ALTER TABLE time_entry_custom_values DROP CONSTRAINT IF EXISTS time_entry_custom_values_workspace_id_fkey;
