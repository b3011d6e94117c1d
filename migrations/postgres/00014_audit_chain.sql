-- +goose Up
-- Tamper-evident audit. Every event from now on sits in a hash chain per
-- stream (the UTC day of the event, "2026-12-02"): seq is its position,
-- prev_hash the hash of the event before it (empty for the first), hash the
-- SHA-256 of a canonical encoding of the event and its position
-- (store.AuditHash). audit_heads holds each stream's last seq and hash; a
-- writer takes the head row's lock, so several processes and concurrent
-- writers append one after the other, and the unique (stream, seq) index
-- makes a lost race fail loudly (the writer retries).
-- Streams compare byte by byte (COLLATE "C"), as verify walks them, whatever
-- the database's collation: "2026-12-02/7" sorts before "2026-12-03".
-- On PostgreSQL a day is spread over 8 chains ("2026-12-02/0" … "/7"), so
-- concurrent writers mostly take different head rows.
-- Events written before this migration are not chained: they keep stream ''
-- and no seq, and the head of stream '' records how many there were, so
-- `brug audit verify` notices one more or one fewer.
ALTER TABLE audit_events ADD COLUMN stream text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN seq bigint;
ALTER TABLE audit_events ADD COLUMN prev_hash text NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN hash text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audit_events_chain_idx ON audit_events (stream, seq);
-- The audit reader lists newest first, by period and by action.
CREATE INDEX audit_events_created_idx ON audit_events (created_at, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, created_at);

CREATE TABLE audit_heads (
    stream       text COLLATE "C" PRIMARY KEY,
    seq          bigint NOT NULL,
    hash         text NOT NULL,
    -- when housekeeping logged the closed stream's anchor (once)
    anchored_at  timestamptz
);
INSERT INTO audit_heads (stream, seq, hash, anchored_at) SELECT '', count(*), '', now() FROM audit_events;

-- The data protection officer reads the audit log and nothing of client records.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('chw', 'coordinator', 'manager', 'admin', 'dpo'));

-- +goose Down
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('chw', 'coordinator', 'manager', 'admin')) NOT VALID;
DROP TABLE audit_heads;
DROP INDEX audit_events_action_idx;
DROP INDEX audit_events_created_idx;
DROP INDEX audit_events_chain_idx;
ALTER TABLE audit_events DROP COLUMN hash;
ALTER TABLE audit_events DROP COLUMN prev_hash;
ALTER TABLE audit_events DROP COLUMN seq;
ALTER TABLE audit_events DROP COLUMN stream;
