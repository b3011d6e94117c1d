-- +goose Up
-- PostgreSQL puts the folded name into its caseload index here; SQLite's
-- caseload index holds it since 00034.
SELECT 1;

-- +goose Down
SELECT 1;
