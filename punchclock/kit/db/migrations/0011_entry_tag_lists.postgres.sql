-- Each entry's tag ids, comma-separated in id order (NULL without tags): see 0011_entry_tag_lists.sql.
ALTER TABLE time_entries ADD COLUMN tag_list TEXT;

UPDATE time_entries te SET tag_list = links.tag_list
FROM (
    SELECT time_entry_id, string_agg(tag_id, ',' ORDER BY tag_id) AS tag_list
    FROM time_entry_tags GROUP BY time_entry_id
) links
WHERE te.id = links.time_entry_id;
