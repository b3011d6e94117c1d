-- +goose Up
-- A CHW's name search: the trigram index finds every client of the
-- programme with the name (8 000 for a common given name among 100 000),
-- intersected with the CHW's caseload in a BitmapAnd, read from the table
-- and sorted (about 4 ms). With the folded name in the caseload index,
-- the search walks the CHW's index in page order and tests each entry
-- there (an index-only scan: a few hundred entries, 0.1-0.3 ms), then
-- reads the page's rows by key. The new index replaces 00025's (same key,
-- same rows) for the caseload pages too.
CREATE INDEX clients_chw_team_search_idx ON clients (assigned_chw_id, team_id, last_activity_at DESC, id DESC)
    INCLUDE (search_text) WHERE merged_into_id IS NULL;
DROP INDEX clients_chw_team_live_idx;
ANALYZE clients;

-- +goose Down
CREATE INDEX clients_chw_team_live_idx ON clients (assigned_chw_id, team_id, last_activity_at DESC, id DESC)
    WHERE merged_into_id IS NULL;
DROP INDEX clients_chw_team_search_idx;
