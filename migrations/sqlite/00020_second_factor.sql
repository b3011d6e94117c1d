-- +goose Up
-- A second factor (TOTP) per account: the secret sealed with the server key
-- (auth.SecondFactor), a secret waiting for its first code while the person
-- sets it up, and the step of the last code accepted, so no code works twice.
CREATE TABLE second_factors (
    user_id     text PRIMARY KEY REFERENCES users(id),
    secret      text NOT NULL DEFAULT '',
    pending     text NOT NULL DEFAULT '',
    enabled_at  datetime,
    last_step   integer NOT NULL DEFAULT 0,
    updated_at  datetime NOT NULL
);

-- Single-use recovery codes, stored as hashes.
CREATE TABLE recovery_codes (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id),
    code_hash   text NOT NULL,
    created_at  datetime NOT NULL,
    used_at     datetime
);
CREATE UNIQUE INDEX recovery_codes_user_hash_idx ON recovery_codes (user_id, code_hash);

-- A notice that must reach the person even if they do not sign in (their
-- second factor was reset) is also e-mailed, through the worker's outbox.
ALTER TABLE staff_notices ADD COLUMN mail_status text NOT NULL DEFAULT 'none'
    CHECK (mail_status IN ('none', 'queued', 'sending', 'sent', 'failed', 'cancelled'));
ALTER TABLE staff_notices ADD COLUMN mail_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE staff_notices ADD COLUMN mail_next_at datetime;
CREATE INDEX staff_notices_mail_idx ON staff_notices (mail_status, mail_next_at);

-- +goose Down
DROP INDEX staff_notices_mail_idx;
ALTER TABLE staff_notices DROP COLUMN mail_next_at;
ALTER TABLE staff_notices DROP COLUMN mail_attempts;
ALTER TABLE staff_notices DROP COLUMN mail_status;
DROP TABLE recovery_codes;
DROP TABLE second_factors;
