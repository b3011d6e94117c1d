-- +goose Up
-- Research extracts for the programme's scientific evaluation. The extract
-- itself (pseudonymised rows) and its key are never kept: only who asked,
-- when, the SHA-256 fingerprint of the key (so a researcher's key can be
-- matched to its extract), how many rows were released, generalised and
-- left out, and the parameters used.
CREATE TABLE research_extracts (
    id              text PRIMARY KEY,
    requested_by    text NOT NULL REFERENCES users(id),
    requested_at    datetime NOT NULL,
    key_fingerprint text NOT NULL,
    eligible        integer NOT NULL,
    rows            integer NOT NULL,
    generalised     integer NOT NULL,
    suppressed      integer NOT NULL,
    params          text NOT NULL DEFAULT '{}'
);
CREATE INDEX research_extracts_requested_idx ON research_extracts (requested_at);

-- +goose Down
DROP TABLE research_extracts;
