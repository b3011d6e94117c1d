-- +goose Up
-- The monthly summary is a staff notice (and its e-mail, through the
-- notices' outbox) made once per person and month, whichever process or
-- restart makes it: the key is unique.
ALTER TABLE staff_notices ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX staff_notices_dedupe_idx ON staff_notices (dedupe_key);

-- +goose Down
DROP INDEX staff_notices_dedupe_idx;
ALTER TABLE staff_notices DROP COLUMN dedupe_key;
