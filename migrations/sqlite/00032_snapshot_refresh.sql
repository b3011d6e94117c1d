-- +goose Up
-- A snapshot keeps what it was computed from (the statement, its typed
-- arguments and the period) and when it was last asked for, so the worker
-- can compute again, ahead of the next reader, a snapshot that a write
-- made stale (internal/store/snapshots.go, RefreshStaleSnapshots).
ALTER TABLE report_snapshots ADD COLUMN statement TEXT NOT NULL DEFAULT '';
ALTER TABLE report_snapshots ADD COLUMN args TEXT NOT NULL DEFAULT '';
ALTER TABLE report_snapshots ADD COLUMN period_from DATETIME;
ALTER TABLE report_snapshots ADD COLUMN period_to DATETIME;
ALTER TABLE report_snapshots ADD COLUMN asked_at DATETIME;

-- +goose Down
ALTER TABLE report_snapshots DROP COLUMN asked_at;
ALTER TABLE report_snapshots DROP COLUMN period_to;
ALTER TABLE report_snapshots DROP COLUMN period_from;
ALTER TABLE report_snapshots DROP COLUMN args;
ALTER TABLE report_snapshots DROP COLUMN statement;
