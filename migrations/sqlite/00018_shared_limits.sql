-- +goose Up
-- The same table as on PostgreSQL, for one schema on both engines; SQLite
-- runs one process, whose own buckets are the limit, so nothing writes it.
CREATE TABLE rate_counters (
    key          TEXT    NOT NULL,
    window_start TEXT    NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counters_window ON rate_counters (window_start);

-- +goose Down
DROP TABLE rate_counters;
