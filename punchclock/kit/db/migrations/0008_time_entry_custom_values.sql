-- Custom-field values of time entries (`customFields` on writes, `customFieldValues` on reads), written in
-- the entry's own transaction and deleted with it. The field definitions come with the custom-fields
-- feature; custom_field_id is therefore not a foreign key yet.
--   value         the JSON text of the value as the client sent it (string, number, boolean, list…)
--   source_type   the wire `type` (WORKSPACE or PROJECT: where the value came from)
--   value_text    what the reports' custom-field filter matches text against: '' for an empty value
--                 (null, blank text, empty list), else every item case-folded, each between newlines
--                 ("\nred\nblue\n"), so "contains" is one LIKE and "equals an item" is LIKE '%\nx\n%'
--   value_number  the value as a number when it is one (or a numeric text), for NUMBER conditions
CREATE TABLE time_entry_custom_values (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    time_entry_id TEXT NOT NULL REFERENCES time_entries (id),
    custom_field_id TEXT NOT NULL,
    source_type TEXT NOT NULL DEFAULT 'WORKSPACE',
    value TEXT,
    value_text TEXT NOT NULL DEFAULT '',
    value_number DOUBLE PRECISION,
    PRIMARY KEY (workspace_id, time_entry_id, custom_field_id)
);

-- The reports' filter looks values up per entry (the primary key); a field's values, for later features
-- (deleting a custom field, its usage counts), come from this one.
CREATE INDEX time_entry_custom_values_by_field ON time_entry_custom_values (workspace_id, custom_field_id);

-- Whether an entry carries any custom-field value: a list renders a page without asking the values table
-- when none of the page's rows has one (the common case), and a create without `customFields` writes
-- nothing more than before. Constant default: no table rewrite on either database.
ALTER TABLE time_entries ADD COLUMN has_custom_values BOOLEAN NOT NULL DEFAULT FALSE;
