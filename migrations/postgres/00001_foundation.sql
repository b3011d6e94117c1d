-- +goose Up
CREATE TABLE funds (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE regions (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name_nl     text NOT NULL,
    name_fr     text NOT NULL,
    name_de     text NOT NULL,
    name_en     text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE teams (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    region_id   uuid NOT NULL REFERENCES regions(id),
    outreach    text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE municipalities (
    id          uuid PRIMARY KEY,
    team_id     uuid NOT NULL REFERENCES teams(id),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (team_id, name)
);

CREATE TABLE neighbourhoods (
    id               uuid PRIMARY KEY,
    municipality_id  uuid NOT NULL REFERENCES municipalities(id),
    name             text NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (municipality_id, name)
);

CREATE TABLE taxonomy_terms (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    code        text NOT NULL,
    label_nl    text NOT NULL,
    label_fr    text NOT NULL,
    label_de    text NOT NULL,
    label_en    text NOT NULL,
    position    integer NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (kind, code)
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL UNIQUE CHECK (email = lower(email)),
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('chw', 'coordinator', 'manager', 'admin')),
    fund_id        uuid REFERENCES funds(id),
    language       text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr', 'de', 'en')),
    all_reports    boolean NOT NULL DEFAULT false,
    password_hash  text NOT NULL,
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX users_role_idx ON users (role);

CREATE TABLE team_memberships (
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    team_id     uuid NOT NULL REFERENCES teams(id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, team_id)
);
CREATE INDEX team_memberships_team_idx ON team_memberships (team_id);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE audit_events (
    id          uuid PRIMARY KEY,
    actor_id    uuid,
    actor_role  text NOT NULL,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    client_id   uuid,
    request_id  text NOT NULL,
    ip          text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id, created_at);
CREATE INDEX audit_events_client_idx ON audit_events (client_id, created_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, created_at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE refresh_tokens;
DROP TABLE team_memberships;
DROP TABLE users;
DROP TABLE taxonomy_terms;
DROP TABLE neighbourhoods;
DROP TABLE municipalities;
DROP TABLE teams;
DROP TABLE regions;
DROP TABLE funds;
