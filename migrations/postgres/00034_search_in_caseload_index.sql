-- +goose Up
-- SQLite widens its caseload indexes with the searched columns here.
-- PostgreSQL finds names through the trigram index (00033) and reads a
-- caseload page on its own partial index: nothing to do.
SELECT 1;

-- +goose Down
SELECT 1;
