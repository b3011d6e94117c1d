-- +goose Up
-- Requests whose place matches no team go to the programme intake, seen
-- only by coordinators who hold the intake duty (set by an admin).
ALTER TABLE users ADD COLUMN intake_duty integer NOT NULL DEFAULT 0 CHECK (intake_duty IN (0, 1));
-- Tasks made by rules store what their note says as a kind (the task's
-- kind) and parameters, so each reader sees it in their own language.
ALTER TABLE tasks ADD COLUMN params text NOT NULL DEFAULT '{}';
-- The notes the rules wrote in English until now become parameters.
UPDATE tasks SET params = json_object('message', substr(note, 24)), note = ''
 WHERE kind = 'first_contact' AND note LIKE 'From the contact form: %';
UPDATE tasks SET note = ''
 WHERE kind = 'consent_withdrawn' AND note = 'Consent given on the contact form was withdrawn: talk it through with the client.';
-- A consent carried over from the contact form keeps the version of the
-- privacy text the person accepted.
ALTER TABLE consents ADD COLUMN text_version text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE consents DROP COLUMN text_version;
ALTER TABLE tasks DROP COLUMN params;
ALTER TABLE users DROP COLUMN intake_duty;
