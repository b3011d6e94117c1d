-- +goose Up
-- Alerts become tasks for a team's coordinators: a CHW without visits,
-- too many overdue tasks, a stuck referral, a client who missed three
-- appointments in a row. An alert about a CHW names no client, so a task's
-- client becomes optional; such a task belongs to its team (team_id).
-- alert_key names the condition: one task per spell of a condition,
-- whichever process raises it; when the condition clears the task is
-- closed and its key released, so a later spell opens a new one.
ALTER TABLE tasks ALTER COLUMN client_id DROP NOT NULL;
ALTER TABLE tasks ADD COLUMN team_id uuid REFERENCES teams(id);
ALTER TABLE tasks ADD COLUMN alert_key text;
ALTER TABLE tasks ADD CONSTRAINT tasks_client_or_team CHECK (client_id IS NOT NULL OR team_id IS NOT NULL);
CREATE INDEX tasks_team_idx ON tasks (team_id, done_at);
CREATE UNIQUE INDEX tasks_alert_key_idx ON tasks (alert_key);

-- Alert thresholds per team; a team without a row has the defaults.
CREATE TABLE team_alert_settings (
    team_id         uuid PRIMARY KEY REFERENCES teams(id),
    no_visit_days   integer NOT NULL CHECK (no_visit_days BETWEEN 1 AND 60),
    overdue_tasks   integer NOT NULL CHECK (overdue_tasks BETWEEN 1 AND 500),
    updated_by      uuid NOT NULL REFERENCES users(id),
    updated_at      timestamptz NOT NULL
);

-- +goose Down
DROP TABLE team_alert_settings;
DELETE FROM tasks WHERE client_id IS NULL;
DROP INDEX tasks_alert_key_idx;
DROP INDEX tasks_team_idx;
ALTER TABLE tasks DROP CONSTRAINT tasks_client_or_team;
ALTER TABLE tasks DROP COLUMN alert_key;
ALTER TABLE tasks DROP COLUMN team_id;
ALTER TABLE tasks ALTER COLUMN client_id SET NOT NULL;
