-- +goose Up
-- Idempotency-Key outcomes, for every caller: a signed-in user ("user:<id>")
-- or, on public writes, the client address ("anon:<ip>"), so the table no
-- longer points at users. The row is written in the same transaction as the
-- request's work, so a crash after the commit leaves the outcome to replay.
-- Keys of the old table are dropped: they lived 24 hours only.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    caller        text NOT NULL,
    key           text NOT NULL,
    request_hash  text NOT NULL,
    state         text NOT NULL DEFAULT 'in_progress' CHECK (state IN ('in_progress', 'done')),
    status        integer NOT NULL DEFAULT 0,
    content_type  text NOT NULL DEFAULT '',
    body          text NOT NULL DEFAULT '',
    created_at    datetime NOT NULL,
    expires_at    datetime NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
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
