-- +goose Up
CREATE TABLE providers (
    id                  text PRIMARY KEY,
    team_id             text NOT NULL REFERENCES teams(id),
    name                text NOT NULL,
    type                text NOT NULL,
    address             text NOT NULL DEFAULT '',
    municipality        text NOT NULL DEFAULT '',
    phone               text,
    email               text,
    website             text NOT NULL DEFAULT '',
    languages           text NOT NULL DEFAULT '[]',
    search_text         text NOT NULL DEFAULT '',
    accepts_new         integer NOT NULL DEFAULT 1,
    third_party_payment integer NOT NULL DEFAULT 0,
    conventioned        integer NOT NULL DEFAULT 1,
    notes               text NOT NULL DEFAULT '',
    created_at          datetime NOT NULL,
    updated_at          datetime NOT NULL,
    UNIQUE (team_id, name, type, address)
);
CREATE INDEX providers_team_type_idx ON providers (team_id, type, name);

CREATE TABLE referrals (
    id             text PRIMARY KEY,
    client_id      text NOT NULL REFERENCES clients(id),
    provider_id    text REFERENCES providers(id),
    provider_type  text NOT NULL,
    reason         text NOT NULL,
    urgency        text NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
    barrier_ids    text NOT NULL DEFAULT '[]',
    note           text NOT NULL DEFAULT '',
    status         text NOT NULL CHECK (status IN ('draft', 'sent', 'acknowledged', 'accepted', 'declined', 'waitlisted', 'appointment_set', 'completed', 'cancelled', 'expired')),
    outcome        text NOT NULL DEFAULT '',
    decline_reason text NOT NULL DEFAULT '',
    created_by     text NOT NULL REFERENCES users(id),
    last_event_at  datetime NOT NULL,
    created_at     datetime NOT NULL,
    updated_at     datetime NOT NULL
);
CREATE INDEX referrals_client_idx ON referrals (client_id, created_at);
CREATE INDEX referrals_status_idx ON referrals (status, last_event_at);

CREATE TABLE referral_events (
    id           text PRIMARY KEY,
    referral_id  text NOT NULL REFERENCES referrals(id),
    actor_id     text REFERENCES users(id),
    actor_label  text NOT NULL DEFAULT '',
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    note         text NOT NULL DEFAULT '',
    created_at   datetime NOT NULL
);
CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, created_at);

-- Single-use links for providers who have no account; only the hash is kept.
CREATE TABLE referral_links (
    id           text PRIMARY KEY,
    referral_id  text NOT NULL REFERENCES referrals(id),
    token_hash   text NOT NULL UNIQUE,
    created_by   text NOT NULL REFERENCES users(id),
    expires_at   datetime NOT NULL,
    used_at      datetime,
    used_action  text NOT NULL DEFAULT '',
    created_at   datetime NOT NULL
);
CREATE INDEX referral_links_referral_idx ON referral_links (referral_id);

CREATE TABLE appointments (
    id                text PRIMARY KEY,
    client_id         text NOT NULL REFERENCES clients(id),
    provider_id       text REFERENCES providers(id),
    referral_id       text REFERENCES referrals(id),
    starts_at         datetime NOT NULL,
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 600),
    location          text NOT NULL DEFAULT '',
    accompanied_by    text REFERENCES users(id),
    status            text NOT NULL CHECK (status IN ('planned', 'attended', 'missed', 'cancelled', 'rescheduled')),
    note              text NOT NULL DEFAULT '',
    created_by        text NOT NULL REFERENCES users(id),
    created_at        datetime NOT NULL,
    updated_at        datetime NOT NULL
);
CREATE INDEX appointments_client_idx ON appointments (client_id, starts_at);
CREATE INDEX appointments_starts_idx ON appointments (starts_at);

CREATE TABLE tasks (
    id           text PRIMARY KEY,
    client_id    text NOT NULL REFERENCES clients(id),
    assignee_id  text REFERENCES users(id),
    kind         text NOT NULL,
    due_on       text NOT NULL,
    done_at      datetime,
    note         text NOT NULL DEFAULT '',
    dedupe_key   text UNIQUE,
    created_by   text REFERENCES users(id),
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id, done_at, due_on);
CREATE INDEX tasks_client_idx ON tasks (client_id, done_at);

CREATE TABLE calendar_tokens (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id),
    token_hash  text NOT NULL UNIQUE,
    revoked_at  datetime,
    created_at  datetime NOT NULL
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
