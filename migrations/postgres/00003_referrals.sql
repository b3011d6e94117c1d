-- +goose Up
CREATE TABLE providers (
    id                  uuid PRIMARY KEY,
    team_id             uuid NOT NULL REFERENCES teams(id),
    name                text NOT NULL,
    type                text NOT NULL,
    address             text NOT NULL DEFAULT '',
    municipality        text NOT NULL DEFAULT '',
    phone               text,
    email               text,
    website             text NOT NULL DEFAULT '',
    languages           text NOT NULL DEFAULT '[]',
    search_text         text NOT NULL DEFAULT '',
    accepts_new         boolean NOT NULL DEFAULT true,
    third_party_payment boolean NOT NULL DEFAULT false,
    conventioned        boolean NOT NULL DEFAULT true,
    notes               text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (team_id, name, type, address)
);
CREATE INDEX providers_team_type_idx ON providers (team_id, type, name);

CREATE TABLE referrals (
    id             uuid PRIMARY KEY,
    client_id      uuid NOT NULL REFERENCES clients(id),
    provider_id    uuid REFERENCES providers(id),
    provider_type  text NOT NULL,
    reason         text NOT NULL,
    urgency        text NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
    barrier_ids    text NOT NULL DEFAULT '[]',
    note           text NOT NULL DEFAULT '',
    status         text NOT NULL CHECK (status IN ('draft', 'sent', 'acknowledged', 'accepted', 'declined', 'waitlisted', 'appointment_set', 'completed', 'cancelled', 'expired')),
    outcome        text NOT NULL DEFAULT '',
    decline_reason text NOT NULL DEFAULT '',
    created_by     uuid NOT NULL REFERENCES users(id),
    last_event_at  timestamptz NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX referrals_client_idx ON referrals (client_id, created_at);
CREATE INDEX referrals_status_idx ON referrals (status, last_event_at);

CREATE TABLE referral_events (
    id           uuid PRIMARY KEY,
    referral_id  uuid NOT NULL REFERENCES referrals(id),
    actor_id     uuid REFERENCES users(id),
    actor_label  text NOT NULL DEFAULT '',
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, created_at);

-- Single-use links for providers who have no account; only the hash is kept.
CREATE TABLE referral_links (
    id           uuid PRIMARY KEY,
    referral_id  uuid NOT NULL REFERENCES referrals(id),
    token_hash   text NOT NULL UNIQUE,
    created_by   uuid NOT NULL REFERENCES users(id),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    used_action  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX referral_links_referral_idx ON referral_links (referral_id);

CREATE TABLE appointments (
    id                uuid PRIMARY KEY,
    client_id         uuid NOT NULL REFERENCES clients(id),
    provider_id       uuid REFERENCES providers(id),
    referral_id       uuid REFERENCES referrals(id),
    starts_at         timestamptz NOT NULL,
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 600),
    location          text NOT NULL DEFAULT '',
    accompanied_by    uuid REFERENCES users(id),
    status            text NOT NULL CHECK (status IN ('planned', 'attended', 'missed', 'cancelled', 'rescheduled')),
    note              text NOT NULL DEFAULT '',
    created_by        uuid NOT NULL REFERENCES users(id),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX appointments_client_idx ON appointments (client_id, starts_at);
CREATE INDEX appointments_starts_idx ON appointments (starts_at);

CREATE TABLE tasks (
    id           uuid PRIMARY KEY,
    client_id    uuid NOT NULL REFERENCES clients(id),
    assignee_id  uuid REFERENCES users(id),
    kind         text NOT NULL,
    due_on       text NOT NULL,
    done_at      timestamptz,
    note         text NOT NULL DEFAULT '',
    dedupe_key   text UNIQUE,
    created_by   uuid REFERENCES users(id),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, done_at, due_on);
CREATE INDEX tasks_client_idx ON tasks (client_id, done_at);

CREATE TABLE calendar_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users(id),
    token_hash  text NOT NULL UNIQUE,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX calendar_tokens_user_idx ON calendar_tokens (user_id);

-- +goose Down
DROP TABLE calendar_tokens;
DROP TABLE tasks;
DROP TABLE appointments;
DROP TABLE referral_links;
DROP TABLE referral_events;
DROP TABLE referrals;
DROP TABLE providers;
