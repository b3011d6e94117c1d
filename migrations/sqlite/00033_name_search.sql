-- +goose Up
-- PostgreSQL adds a trigram index for name search here. SQLite has no
-- index for LIKE '%…%': a search walks the caller's caseload in its keyset
-- order (a CHW's or a team's index) and stops at the page's end.
SELECT 1;

-- +goose Down
SELECT 1;
