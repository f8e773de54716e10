-- Two of the entry indexes hold only the rows they can find: an entry without a task is never looked up
-- by task (the task filter, detaching a deleted task), nor one without a project by the user's project
-- filter, whose `project_id = :project` implies the indexes' condition on both databases. Every entry
-- written without a task (most) or without a project now updates one or two B-trees fewer.
DROP INDEX time_entries_by_task;
CREATE INDEX time_entries_by_task ON time_entries (workspace_id, task_id) WHERE task_id IS NOT NULL;
DROP INDEX time_entries_by_user_project;
CREATE INDEX time_entries_by_user_project ON time_entries (workspace_id, user_id, project_id, start_ms, id)
WHERE project_id IS NOT NULL;
