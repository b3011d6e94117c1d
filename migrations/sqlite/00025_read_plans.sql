-- +goose Up
-- (SQLite already reads a CHW's caseload in order on
-- clients_chw_activity_idx; PostgreSQL gets a partial index and
-- statistics under this number.)
-- Reports place barriers in a period by each of their timestamps, and new
-- clients under the team they came in through.
CREATE INDEX barriers_addressed_idx ON barriers (addressed_at) WHERE addressed_at IS NOT NULL;
CREATE INDEX barriers_resolved_idx ON barriers (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX barriers_signalled_idx ON barriers (signalled_at) WHERE signalled_at IS NOT NULL;
CREATE INDEX clients_origin_team_created_idx ON clients (origin_team_id, created_at);

-- +goose Down
DROP INDEX clients_origin_team_created_idx;
DROP INDEX barriers_signalled_idx;
DROP INDEX barriers_resolved_idx;
DROP INDEX barriers_addressed_idx;
