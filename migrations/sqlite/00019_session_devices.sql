-- +goose Up
-- Which browser or app a session was opened from, so a person sees their
-- sessions (device, last use) and ends any of them.
ALTER TABLE refresh_tokens ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN user_agent;
