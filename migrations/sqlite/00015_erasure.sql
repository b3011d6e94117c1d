-- +goose Up
-- Erasure and legal hold (issue 14). An erased client keeps its row, its
-- team, neighbourhood, source and dates, so that reports count it as
-- before; its personal data (names, contact details, birth year, free
-- text in every table) is emptied, and erased_at says so. The request's
-- reference and reason are kept for accountability. A legal hold stops
-- both a coordinator's erasure and the retention rule.
ALTER TABLE clients ADD COLUMN erased_at datetime;
ALTER TABLE clients ADD COLUMN erased_by text REFERENCES users(id);
ALTER TABLE clients ADD COLUMN erasure_reference text NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN erasure_reason text NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN legal_hold_at datetime;
ALTER TABLE clients ADD COLUMN legal_hold_by text REFERENCES users(id);
ALTER TABLE clients ADD COLUMN legal_hold_reason text NOT NULL DEFAULT '';
-- The retention rule looks for closed clients not yet erased.
CREATE INDEX clients_retention_idx ON clients (status, erased_at);

-- +goose Down
DROP INDEX clients_retention_idx;
ALTER TABLE clients DROP COLUMN legal_hold_reason;
ALTER TABLE clients DROP COLUMN legal_hold_by;
ALTER TABLE clients DROP COLUMN legal_hold_at;
ALTER TABLE clients DROP COLUMN erasure_reason;
ALTER TABLE clients DROP COLUMN erasure_reference;
ALTER TABLE clients DROP COLUMN erased_by;
ALTER TABLE clients DROP COLUMN erased_at;
