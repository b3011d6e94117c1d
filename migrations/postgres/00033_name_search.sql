-- +goose Up
-- Name search (search_text LIKE '%…%') reads a trigram index when the
-- words are rare enough to beat walking the caseload in its order: a
-- coordinator looking for one person among a team's clients. pg_trgm is a
-- trusted extension (PostgreSQL 13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX clients_search_trgm_idx ON clients USING gin (search_text gin_trgm_ops);

-- +goose Down
DROP INDEX clients_search_trgm_idx;
