-- +goose Up
-- Alerts become tasks for a team's coordinators: a CHW without visits,
-- too many overdue tasks, a stuck referral, a client who missed three
-- appointments in a row. An alert about a CHW names no client, so a task's
-- client becomes optional; such a task belongs to its team (team_id).
-- alert_key names the condition: one task per spell of a condition,
-- whichever process raises it; when the condition clears the task is
-- closed and its key released, so a later spell opens a new one.
CREATE TABLE tasks_new (
    id           text PRIMARY KEY,
    client_id    text REFERENCES clients(id),
    assignee_id  text REFERENCES users(id),
    kind         text NOT NULL,
    due_on       text NOT NULL,
    done_at      datetime,
    note         text NOT NULL DEFAULT '',
    dedupe_key   text UNIQUE,
    created_by   text REFERENCES users(id),
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL,
    params       text NOT NULL DEFAULT '{}',
    version      integer NOT NULL DEFAULT 1,
    team_id      text REFERENCES teams(id),
    alert_key    text,
    CHECK (client_id IS NOT NULL OR team_id IS NOT NULL)
);
INSERT INTO tasks_new (id, client_id, assignee_id, kind, due_on, done_at, note, dedupe_key, created_by, created_at, updated_at, params, version)
SELECT id, client_id, assignee_id, kind, due_on, done_at, note, dedupe_key, created_by, created_at, updated_at, params, version FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, done_at, due_on);
CREATE INDEX tasks_client_idx ON tasks (client_id, done_at);
CREATE INDEX tasks_team_idx ON tasks (team_id, done_at);
CREATE UNIQUE INDEX tasks_alert_key_idx ON tasks (alert_key);
-- +goose StatementBegin
CREATE TRIGGER tasks_version AFTER UPDATE ON tasks FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE tasks SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd

-- Alert thresholds per team; a team without a row has the defaults.
CREATE TABLE team_alert_settings (
    team_id         text PRIMARY KEY REFERENCES teams(id),
    no_visit_days   integer NOT NULL CHECK (no_visit_days BETWEEN 1 AND 60),
    overdue_tasks   integer NOT NULL CHECK (overdue_tasks BETWEEN 1 AND 500),
    updated_by      text NOT NULL REFERENCES users(id),
    updated_at      datetime NOT NULL
);

-- +goose Down
DROP TABLE team_alert_settings;
DELETE FROM tasks WHERE client_id IS NULL;
CREATE TABLE tasks_old (
    id           text PRIMARY KEY,
    client_id    text NOT NULL REFERENCES clients(id),
    assignee_id  text REFERENCES users(id),
    kind         text NOT NULL,
    due_on       text NOT NULL,
    done_at      datetime,
    note         text NOT NULL DEFAULT '',
    dedupe_key   text UNIQUE,
    created_by   text REFERENCES users(id),
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL,
    params       text NOT NULL DEFAULT '{}',
    version      integer NOT NULL DEFAULT 1
);
INSERT INTO tasks_old SELECT id, client_id, assignee_id, kind, due_on, done_at, note, dedupe_key, created_by, created_at, updated_at, params, version FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_old RENAME TO tasks;
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, done_at, due_on);
CREATE INDEX tasks_client_idx ON tasks (client_id, done_at);
-- +goose StatementBegin
CREATE TRIGGER tasks_version AFTER UPDATE ON tasks FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE tasks SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd
