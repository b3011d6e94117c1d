-- +goose Up
-- Break-the-glass: a CHW or coordinator who must act for a client outside
-- their scope opens the record for a limited time, with a reason. The grant
-- widens the caller's scope only while expires_at is in the future; the
-- client's team coordinators review it afterwards.
CREATE TABLE emergency_access (
    id          uuid PRIMARY KEY,
    client_id   uuid NOT NULL REFERENCES clients(id),
    user_id     uuid NOT NULL REFERENCES users(id),
    reason      text NOT NULL,
    granted_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    reviewed_at timestamptz,
    reviewed_by uuid REFERENCES users(id)
);
-- Every signed-in request of a CHW or coordinator loads its live grants.
CREATE INDEX emergency_access_user_idx ON emergency_access (user_id, expires_at);
CREATE INDEX emergency_access_client_idx ON emergency_access (client_id, granted_at);

-- +goose Down
DROP TABLE emergency_access;
