-- +goose Up
-- Break-the-glass: a CHW or coordinator who must act for a client outside
-- their scope opens the record for a limited time, with a reason. The grant
-- widens the caller's scope only while expires_at is in the future; the
-- client's team coordinators review it afterwards.
CREATE TABLE emergency_access (
    id          text PRIMARY KEY,
    client_id   text NOT NULL REFERENCES clients(id),
    user_id     text NOT NULL REFERENCES users(id),
    reason      text NOT NULL,
    granted_at  datetime NOT NULL,
    expires_at  datetime NOT NULL,
    reviewed_at datetime,
    reviewed_by text REFERENCES users(id)
);
-- Every signed-in request of a CHW or coordinator loads its live grants.
CREATE INDEX emergency_access_user_idx ON emergency_access (user_id, expires_at);
CREATE INDEX emergency_access_client_idx ON emergency_access (client_id, granted_at);

-- Accounts get no password from an admin: an invitation (or reset) link,
-- valid 72 hours and usable once, lets the person choose it. Only the
-- token's hash is kept; the link goes out through the worker's outbox
-- columns, as a provider's link does.
CREATE TABLE user_invitations (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users(id),
    token_hash    text NOT NULL UNIQUE,
    expires_at    datetime NOT NULL,
    used_at       datetime,
    revoked_at    datetime,
    created_by    text REFERENCES users(id),
    created_at    datetime NOT NULL,
    mail_status   text NOT NULL DEFAULT 'queued'
        CHECK (mail_status IN ('none', 'queued', 'sending', 'sent', 'failed', 'cancelled')),
    mail_language text NOT NULL DEFAULT '',
    mail_attempts integer NOT NULL DEFAULT 0,
    mail_next_at  datetime
);
CREATE INDEX user_invitations_user_idx ON user_invitations (user_id, created_at);
CREATE INDEX user_invitations_mail_idx ON user_invitations (mail_status, mail_next_at);

-- Notices to staff that concern no client (a task needs one): a team's
-- coordinators are told when an account gets access to client records.
CREATE TABLE staff_notices (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users(id),
    kind       text NOT NULL,
    params     text NOT NULL DEFAULT '{}',
    created_at datetime NOT NULL,
    read_at    datetime
);
CREATE INDEX staff_notices_user_idx ON staff_notices (user_id, read_at, created_at);

-- +goose Down
DROP TABLE staff_notices;
DROP TABLE user_invitations;
DROP TABLE emergency_access;
