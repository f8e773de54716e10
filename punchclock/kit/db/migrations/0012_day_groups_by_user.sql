-- Nothing on SQLite: its walk over the covering index of a user's entries is faster than the day look-up
-- that the PostgreSQL version of this migration indexes for (time_entries/store.py DAY_JUMP_FROM).
SELECT 1;
