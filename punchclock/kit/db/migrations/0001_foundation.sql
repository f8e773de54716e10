-- Users, workspaces and who belongs where; API keys; clients and tags.
-- Instants are epoch milliseconds, money integer minor units, durations seconds.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL DEFAULT '',
    -- Account status (Clockify AccountStatus): ACTIVE, NOT_REGISTERED (invited by email, no login yet), …
    status TEXT NOT NULL DEFAULT 'ACTIVE',
    profile_picture TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    week_start TEXT NOT NULL DEFAULT 'MONDAY',
    date_format TEXT NOT NULL DEFAULT 'MM/DD/YYYY',
    time_format TEXT NOT NULL DEFAULT 'HOUR12',
    settings TEXT NOT NULL DEFAULT '{}',
    default_workspace_id TEXT,
    active_workspace_id TEXT,
    password_hash TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    image_url TEXT NOT NULL DEFAULT '',
    currency_id TEXT NOT NULL,
    currency_code TEXT NOT NULL DEFAULT 'USD',
    hourly_rate BIGINT NOT NULL DEFAULT 0,
    cost_rate BIGINT NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    organization_id TEXT,
    created_at BIGINT NOT NULL
);

-- role: OWNER | WORKSPACE_ADMIN | MEMBER; status: PENDING | ACTIVE | DECLINED | INACTIVE.
-- Rates are NULL while the member inherits the workspace's.
CREATE TABLE memberships (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL DEFAULT 'MEMBER',
    status TEXT NOT NULL DEFAULT 'ACTIVE',
    hourly_rate BIGINT,
    cost_rate BIGINT,
    week_start TEXT,
    work_capacity BIGINT NOT NULL DEFAULT 28800,
    working_days TEXT NOT NULL DEFAULT 'MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);

CREATE INDEX memberships_by_user ON memberships (user_id);

-- Manager roles (TEAM_MANAGER over a user or group, PROJECT_MANAGER over a project, WORKSPACE_ADMIN).
CREATE TABLE role_assignments (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    source_type TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id, role, entity_id)
);

-- "Who manages this user": TEAM_MANAGER rows looked up by the managed entity.
CREATE INDEX role_assignments_by_entity ON role_assignments (workspace_id, entity_id, role);

-- Only a SHA-256 of each key is kept; `hint` is its last four characters, for listings.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    key_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE INDEX api_keys_by_user ON api_keys (user_id);

-- value is the JSON text of the value as the client sent it (string, number, list…).
CREATE TABLE user_custom_field_values (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    custom_field_id TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (workspace_id, user_id, custom_field_id)
);

-- name_key is the case-folded name: one client/tag name per workspace, whatever the case.
CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    email TEXT,
    address TEXT,
    note TEXT,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    currency_id TEXT,
    cc_emails TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX clients_by_name ON clients (workspace_id, name_key);

CREATE TABLE tags (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX tags_by_name ON tags (workspace_id, name_key);

-- Uploaded images (profile pictures). In the database so every node behind a load balancer can serve them.
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
