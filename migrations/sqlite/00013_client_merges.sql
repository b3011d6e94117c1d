-- +goose Up
-- Duplicates and merging. A merged client keeps its row as a tombstone
-- pointing to the record that survived (old links and ids resolve to it);
-- client_merges keeps what moved, so a coordinator can undo a merge within
-- 30 days. Rows of work keep the team and fund recorded on them, so a merge
-- changes no report figure except distinct people.
ALTER TABLE clients ADD COLUMN merged_into_id text REFERENCES clients(id);
ALTER TABLE clients ADD COLUMN merged_at datetime;
CREATE INDEX clients_merged_into_idx ON clients (merged_into_id);
-- The duplicate check looks across the programme: by phone, and by folded
-- name and birth year.
CREATE INDEX clients_phone_idx ON clients (phone);
CREATE INDEX clients_name_birth_idx ON clients (search_text, birth_year);

CREATE TABLE client_merges (
    id            text PRIMARY KEY,
    survivor_id   text NOT NULL REFERENCES clients(id),
    merged_id     text NOT NULL REFERENCES clients(id),
    merged_by     text NOT NULL REFERENCES users(id),
    -- JSON: the ids of the rows that moved, per table, and the values they
    -- had that the merge changed (survivor fields, task assignees).
    moved         text NOT NULL DEFAULT '{}',
    survivor_before text NOT NULL DEFAULT '{}',
    taken         text NOT NULL DEFAULT '[]',
    undone_at     datetime,
    undone_by     text REFERENCES users(id),
    created_at    datetime NOT NULL
);
CREATE INDEX client_merges_survivor_idx ON client_merges (survivor_id, created_at);
CREATE INDEX client_merges_merged_idx ON client_merges (merged_id, created_at);

-- +goose Down
DROP TABLE client_merges;
DROP INDEX clients_name_birth_idx;
DROP INDEX clients_phone_idx;
DROP INDEX clients_merged_into_idx;
ALTER TABLE clients DROP COLUMN merged_at;
ALTER TABLE clients DROP COLUMN merged_into_id;
