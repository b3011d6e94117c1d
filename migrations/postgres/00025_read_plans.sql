-- +goose Up
-- A CHW's caseload in the order of its pages: the planner took the CHW and
-- team conditions for independent, guessed a tenth of the rows, and chose
-- a BitmapAnd with a sort over reading this index in order. The statistics
-- tell it a CHW's clients are in the CHW's team; the partial index holds
-- only live (not merged) records, as every caseload query asks.
CREATE INDEX clients_chw_team_live_idx ON clients (assigned_chw_id, team_id, last_activity_at DESC, id DESC)
    WHERE merged_into_id IS NULL;
CREATE STATISTICS clients_chw_team_stats (dependencies) ON assigned_chw_id, team_id FROM clients;
-- Reports place barriers in a period by each of their timestamps, and new
-- clients under the team they came in through.
CREATE INDEX barriers_addressed_idx ON barriers (addressed_at) WHERE addressed_at IS NOT NULL;
CREATE INDEX barriers_resolved_idx ON barriers (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX barriers_signalled_idx ON barriers (signalled_at) WHERE signalled_at IS NOT NULL;
CREATE INDEX clients_origin_team_created_idx ON clients (origin_team_id, created_at);
ANALYZE clients;
ANALYZE barriers;

-- +goose Down
DROP INDEX clients_origin_team_created_idx;
DROP INDEX barriers_signalled_idx;
DROP INDEX barriers_resolved_idx;
DROP INDEX barriers_addressed_idx;
DROP STATISTICS clients_chw_team_stats;
DROP INDEX clients_chw_team_live_idx;
