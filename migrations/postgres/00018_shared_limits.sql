-- +goose Up
-- Counters shared by every replica on one database: the sign-in and
-- contact-form limits count here on PostgreSQL (each process keeps its own
-- buckets too), so two replicas do not give an attacker twice the allowance.
-- Keys are keyed hashes (HMAC with the server secret), never an address or
-- an e-mail; a row is one fixed window of one key.
CREATE TABLE rate_counters (
    key          text        NOT NULL,
    window_start timestamptz NOT NULL,
    n            integer     NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counters_window ON rate_counters (window_start);

-- +goose Down
DROP TABLE rate_counters;
