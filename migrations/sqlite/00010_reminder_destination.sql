-- +goose Up
-- Where a message goes, masked (+32 4•• •• •1 23, a•••@example.org): the
-- outbox shows it without holding the client's number or address.
ALTER TABLE reminders ADD COLUMN destination text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE reminders DROP COLUMN destination;
