-- +goose NO TRANSACTION
-- +goose Up
-- Tamper-evident audit: see migrations/postgres/00014_audit_chain.sql.
-- SQLite compares text byte by byte already, and has one writer: one chain
-- per day, named by the day.
-- This file runs without goose's transaction because SQLite can change a
-- CHECK constraint only by rebuilding the table (users, for the dpo role),
-- and foreign keys must be off for that, which a transaction cannot do.
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

ALTER TABLE audit_events ADD COLUMN stream text NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN seq integer;
ALTER TABLE audit_events ADD COLUMN prev_hash text NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN hash text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audit_events_chain_idx ON audit_events (stream, seq);
CREATE INDEX audit_events_created_idx ON audit_events (created_at, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, created_at);

CREATE TABLE audit_heads (
    stream       text PRIMARY KEY,
    seq          integer NOT NULL,
    hash         text NOT NULL,
    anchored_at  datetime
);
INSERT INTO audit_heads (stream, seq, hash, anchored_at)
SELECT '', count(*), '', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now') FROM audit_events;

CREATE TABLE users_new (
    id             text PRIMARY KEY,
    email          text NOT NULL UNIQUE CHECK (email = lower(email)),
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('chw', 'coordinator', 'manager', 'admin', 'dpo')),
    fund_id        text REFERENCES funds(id),
    language       text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr', 'de', 'en')),
    all_reports    integer NOT NULL DEFAULT 0 CHECK (all_reports IN (0, 1)),
    password_hash  text NOT NULL,
    disabled_at    datetime,
    created_at     datetime NOT NULL,
    updated_at     datetime NOT NULL,
    intake_duty    integer NOT NULL DEFAULT 0 CHECK (intake_duty IN (0, 1))
);
INSERT INTO users_new (id, email, name, role, fund_id, language, all_reports, password_hash, disabled_at, created_at, updated_at, intake_duty)
SELECT id, email, name, role, fund_id, language, all_reports, password_hash, disabled_at, created_at, updated_at, intake_duty FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_role_idx ON users (role);

COMMIT;

PRAGMA foreign_keys = ON;

-- +goose Down
-- The users table keeps accepting the dpo role (a rebuild is not worth it).
DROP TABLE audit_heads;
DROP INDEX audit_events_action_idx;
DROP INDEX audit_events_created_idx;
DROP INDEX audit_events_chain_idx;
ALTER TABLE audit_events DROP COLUMN hash;
ALTER TABLE audit_events DROP COLUMN prev_hash;
ALTER TABLE audit_events DROP COLUMN seq;
ALTER TABLE audit_events DROP COLUMN stream;
