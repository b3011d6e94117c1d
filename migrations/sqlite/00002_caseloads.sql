-- +goose Up
CREATE TABLE clients (
    id                text PRIMARY KEY,
    team_id           text NOT NULL REFERENCES teams(id),
    neighbourhood_id  text REFERENCES neighbourhoods(id),
    assigned_chw_id   text REFERENCES users(id),
    given_name        text NOT NULL DEFAULT '',
    family_name       text NOT NULL DEFAULT '',
    pseudonym         text NOT NULL DEFAULT '',
    search_text       text NOT NULL DEFAULT '',
    birth_year        integer CHECK (birth_year BETWEEN 1900 AND 2100),
    phone             text,
    email             text,
    language          text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr', 'de', 'en')),
    spoken_languages  text NOT NULL DEFAULT '[]',
    care_rights       text NOT NULL DEFAULT '[]',
    source            text NOT NULL CHECK (source IN ('outreach', 'intake_form', 'partner')),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    close_reason      text NOT NULL DEFAULT '',
    last_activity_at  datetime NOT NULL,
    created_by        text NOT NULL REFERENCES users(id),
    created_at        datetime NOT NULL,
    updated_at        datetime NOT NULL
);
-- Lists are sorted by last activity inside a team or a CHW's caseload.
CREATE INDEX clients_team_activity_idx ON clients (team_id, last_activity_at DESC, id DESC);
CREATE INDEX clients_chw_activity_idx ON clients (assigned_chw_id, last_activity_at DESC, id DESC);
CREATE INDEX clients_team_phone_idx ON clients (team_id, phone);
CREATE INDEX clients_team_birth_idx ON clients (team_id, birth_year);

CREATE TABLE client_assignments (
    id           text PRIMARY KEY,
    client_id    text NOT NULL REFERENCES clients(id),
    chw_id       text REFERENCES users(id),
    assigned_by  text NOT NULL REFERENCES users(id),
    started_at   datetime NOT NULL,
    ended_at     datetime,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);
CREATE INDEX client_assignments_client_idx ON client_assignments (client_id, started_at);

CREATE TABLE consents (
    id            text PRIMARY KEY,
    client_id     text NOT NULL REFERENCES clients(id),
    purpose       text NOT NULL CHECK (purpose IN ('care_coordination', 'sms_reminders', 'email_reminders', 'provider_sharing', 'research')),
    given_at      datetime NOT NULL,
    given_by      text NOT NULL REFERENCES users(id),
    withdrawn_at  datetime,
    withdrawn_by  text REFERENCES users(id),
    created_at    datetime NOT NULL,
    updated_at    datetime NOT NULL
);
CREATE INDEX consents_client_idx ON consents (client_id, purpose, given_at);

CREATE TABLE visits (
    id                text PRIMARY KEY,
    client_id         text NOT NULL REFERENCES clients(id),
    chw_id            text NOT NULL REFERENCES users(id),
    visited_at        datetime NOT NULL,
    mode              text NOT NULL CHECK (mode IN ('home', 'street', 'office', 'phone', 'partner')),
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
    missions          text NOT NULL DEFAULT '[]',
    topics            text NOT NULL DEFAULT '[]',
    note              text NOT NULL DEFAULT '',
    created_at        datetime NOT NULL,
    updated_at        datetime NOT NULL
);
CREATE INDEX visits_client_idx ON visits (client_id, visited_at);
CREATE INDEX visits_chw_idx ON visits (chw_id, visited_at);

CREATE TABLE barriers (
    id            text PRIMARY KEY,
    client_id     text NOT NULL REFERENCES clients(id),
    visit_id      text REFERENCES visits(id),
    category      text NOT NULL,
    detail        text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'addressed', 'resolved', 'signalled')),
    detected_at   datetime NOT NULL,
    addressed_at  datetime,
    resolved_at   datetime,
    signalled_at  datetime,
    created_by    text NOT NULL REFERENCES users(id),
    created_at    datetime NOT NULL,
    updated_at    datetime NOT NULL
);
CREATE INDEX barriers_client_idx ON barriers (client_id, detected_at);
CREATE INDEX barriers_status_idx ON barriers (status, category);

-- What happened to a client besides visits, barriers and consents: creation,
-- status changes, assignments, edits. The timeline reads it.
CREATE TABLE client_events (
    id          text PRIMARY KEY,
    client_id   text NOT NULL REFERENCES clients(id),
    actor_id    text REFERENCES users(id),
    kind        text NOT NULL,
    detail      text NOT NULL DEFAULT '{}',
    created_at  datetime NOT NULL
);
CREATE INDEX client_events_client_idx ON client_events (client_id, created_at);

-- +goose Down
DROP TABLE client_events;
DROP TABLE barriers;
DROP TABLE visits;
DROP TABLE consents;
DROP TABLE client_assignments;
DROP TABLE clients;
