-- Nothing on SQLite: its foreign-key checks are a primary-key lookup and take no lock (the PostgreSQL
-- version of this migration drops the entries' keys to their workspace and user, whose row locks
-- serialised concurrent entry writes there).
SELECT 1;
