-- +goose Up
-- Monthly targets per indicator: programme defaults (admin), team targets
-- and per-CHW overrides (coordinator). A row applies from its month onward
-- until a later row of the same scope and indicator; rows are never
-- rewritten, so a past month keeps the goal it had. A goal NULL clears the
-- scope's goal from that month (a CHW then falls back to the team's, a
-- team to the programme's). Writes for a month before the current one are
-- refused by the service.
CREATE TABLE targets (
    id          text PRIMARY KEY,
    scope_kind  text NOT NULL CHECK (scope_kind IN ('programme', 'team', 'chw')),
    team_id     text REFERENCES teams(id),
    user_id     text REFERENCES users(id),
    indicator   text NOT NULL,
    month       text NOT NULL CHECK (length(month) = 7),
    goal        integer CHECK (goal IS NULL OR goal BETWEEN 0 AND 10000),
    set_by      text NOT NULL REFERENCES users(id),
    set_at      datetime NOT NULL,
    CHECK ((scope_kind = 'programme' AND team_id IS NULL AND user_id IS NULL)
        OR (scope_kind = 'team' AND team_id IS NOT NULL AND user_id IS NULL)
        OR (scope_kind = 'chw' AND user_id IS NOT NULL))
);
CREATE INDEX targets_scope_idx ON targets (scope_kind, indicator, month);
CREATE INDEX targets_team_idx ON targets (team_id, month);
CREATE INDEX targets_user_idx ON targets (user_id, month);

-- +goose Down
DROP TABLE targets;
