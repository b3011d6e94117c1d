-- +goose Up
-- Requests sent through the public contact form. The personal fields are
-- emptied when the visitor withdraws consent before the request is
-- converted, and when a handled request passes its retention period.
CREATE TABLE contact_requests (
    id                  uuid PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('want_chw', 'collaboration', 'question')),
    status              text NOT NULL CHECK (status IN ('new', 'converted', 'partnered', 'closed', 'withdrawn')),
    name                text NOT NULL DEFAULT '',
    organisation        text NOT NULL DEFAULT '',
    phone               text,
    email               text,
    area_text           text NOT NULL DEFAULT '',
    municipality_id     uuid REFERENCES municipalities(id),
    neighbourhood_id    uuid REFERENCES neighbourhoods(id),
    team_id             uuid REFERENCES teams(id),
    language            text NOT NULL,
    message             text NOT NULL DEFAULT '',
    consent_version     text NOT NULL,
    consent_language    text NOT NULL,
    consent_at          timestamptz NOT NULL,
    withdraw_token_hash text NOT NULL UNIQUE,
    withdrawn_at        timestamptz,
    close_reason        text NOT NULL DEFAULT '',
    close_note          text NOT NULL DEFAULT '',
    handled_by          uuid REFERENCES users(id),
    handled_at          timestamptz,
    client_id           uuid REFERENCES clients(id),
    provider_id         uuid REFERENCES providers(id),
    purged_at           timestamptz,
    mail_status         text NOT NULL DEFAULT 'none' CHECK (mail_status IN ('none', 'queued', 'sending', 'sent', 'failed', 'cancelled')),
    mail_attempts       integer NOT NULL DEFAULT 0,
    mail_next_at        timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX contact_requests_queue_idx ON contact_requests (status, team_id, created_at);
CREATE INDEX contact_requests_retention_idx ON contact_requests (handled_at) WHERE purged_at IS NULL;
CREATE INDEX contact_requests_mail_idx ON contact_requests (mail_status, mail_next_at);

-- +goose Down
DROP TABLE contact_requests;
