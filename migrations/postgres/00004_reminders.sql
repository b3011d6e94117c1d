-- +goose Up
-- Reminder offsets per team, as Go durations before the appointment.
ALTER TABLE teams ADD COLUMN reminder_offsets text NOT NULL DEFAULT '["24h","2h"]';

ALTER TABLE appointments ADD COLUMN reply text NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN reply_at timestamptz;

-- The outbox: rows are written in the same transaction as the appointment
-- change they come from, and a worker sends them.
CREATE TABLE reminders (
    id                uuid PRIMARY KEY,
    appointment_id    uuid NOT NULL REFERENCES appointments(id),
    client_id         uuid NOT NULL REFERENCES clients(id),
    kind              text NOT NULL CHECK (kind IN ('reminder', 'cancellation')),
    channel           text NOT NULL CHECK (channel IN ('sms', 'email')),
    language          text NOT NULL,
    scheduled_at      timestamptz NOT NULL,
    due_at            timestamptz NOT NULL,
    status            text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped')),
    attempts          integer NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz,
    lease_until       timestamptz,
    last_error        text NOT NULL DEFAULT '',
    dedupe_key        text NOT NULL UNIQUE,
    reply_token_hash  text UNIQUE,
    sent_at           timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX reminders_due_idx ON reminders (status, due_at);
CREATE INDEX reminders_appointment_idx ON reminders (appointment_id);
CREATE INDEX reminders_client_idx ON reminders (client_id, status);

-- +goose Down
DROP TABLE reminders;
ALTER TABLE appointments DROP COLUMN reply_at;
ALTER TABLE appointments DROP COLUMN reply;
ALTER TABLE teams DROP COLUMN reminder_offsets;
