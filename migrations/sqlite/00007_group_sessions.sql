-- +goose Up
-- Group sessions: information sessions and workshops a team holds at a
-- partner organisation or in a neighbourhood. Participants are an anonymous
-- count; a participant who wants individual help becomes a client.
CREATE TABLE group_sessions (
    id                    text PRIMARY KEY,
    team_id               text NOT NULL REFERENCES teams(id),
    starts_at             datetime NOT NULL,
    duration_minutes      integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
    place_kind            text NOT NULL CHECK (place_kind IN ('partner', 'neighbourhood')),
    neighbourhood_id      text REFERENCES neighbourhoods(id),
    location              text NOT NULL DEFAULT '',
    partner_organisation  text NOT NULL DEFAULT '',
    title                 text NOT NULL DEFAULT '',
    missions              text NOT NULL DEFAULT '[]',
    topics                text NOT NULL DEFAULT '[]',
    languages             text NOT NULL DEFAULT '[]',
    interpreter           boolean NOT NULL DEFAULT false,
    participants          integer NOT NULL DEFAULT 0 CHECK (participants BETWEEN 0 AND 500),
    participants_by_age   text,
    status                text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    note                  text NOT NULL DEFAULT '',
    created_by            text NOT NULL REFERENCES users(id),
    fund_id               text REFERENCES funds(id),
    created_at            datetime NOT NULL,
    updated_at            datetime NOT NULL
);
CREATE INDEX group_sessions_team_starts_idx ON group_sessions (team_id, starts_at);
CREATE INDEX group_sessions_starts_idx ON group_sessions (starts_at);

-- Who facilitated, with the team and fund they worked for when the session
-- was recorded, so a later move never re-attributes past work.
CREATE TABLE group_session_facilitators (
    session_id  text NOT NULL REFERENCES group_sessions(id) ON DELETE CASCADE,
    chw_id      text NOT NULL REFERENCES users(id),
    team_id     text NOT NULL REFERENCES teams(id),
    fund_id     text REFERENCES funds(id),
    created_at  datetime NOT NULL,
    PRIMARY KEY (session_id, chw_id)
);
CREATE INDEX group_session_facilitators_chw_idx ON group_session_facilitators (chw_id);

-- Stored outcomes of writes sent with an Idempotency-Key header, per caller.
CREATE TABLE idempotency_keys (
    user_id       text NOT NULL REFERENCES users(id),
    key           text NOT NULL,
    request_hash  text NOT NULL,
    status        integer NOT NULL DEFAULT 0,
    content_type  text NOT NULL DEFAULT '',
    body          text NOT NULL DEFAULT '',
    created_at    datetime NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- clients.source gains 'group_session'. SQLite cannot alter a CHECK; a
-- table rebuild would have to list every column, including those other
-- migrations add, and re-point every foreign key to clients. SQLite
-- documents this edit of the stored definition as safe for loosening a
-- CHECK (https://sqlite.org/lang_altertable.html, section 7); RESET reloads
-- the schema on this connection, and the CREATEs above bump the schema
-- version so other connections reload it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, '''intake_form'', ''partner'')', '''intake_form'', ''partner'', ''group_session'')')
 WHERE type = 'table' AND name = 'clients';
PRAGMA writable_schema = RESET;

-- +goose Down
UPDATE clients SET source = 'partner' WHERE source = 'group_session';
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, '''intake_form'', ''partner'', ''group_session'')', '''intake_form'', ''partner'')')
 WHERE type = 'table' AND name = 'clients';
PRAGMA writable_schema = RESET;
DROP TABLE idempotency_keys;
DROP TABLE group_session_facilitators;
DROP TABLE group_sessions;
