-- Members' custom-field values get the keys the reports' `userCustomFields` filter matches, as
-- time_entry_custom_values has them (kit/custom_values.py). Rows written before this migration get
-- their keys from a data step that runs right after it (kit/db/migrate.py), in the same transaction.
ALTER TABLE user_custom_field_values ADD COLUMN value_text TEXT NOT NULL DEFAULT '';
ALTER TABLE user_custom_field_values ADD COLUMN value_number DOUBLE PRECISION;
