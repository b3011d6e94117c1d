-- +goose Up
-- Work is counted under who did it, in the team and fund they worked for
-- on that day. The team and fund are written on the row when the work is
-- recorded, so a later transfer, team move or fund change never rewrites a
-- past period's figures. Existing rows take the client's team and the
-- author's fund as they stand now: the best that is known of the past.
ALTER TABLE visits ADD COLUMN team_id text REFERENCES teams(id);
ALTER TABLE visits ADD COLUMN fund_id text REFERENCES funds(id);
UPDATE visits SET team_id = (SELECT c.team_id FROM clients c WHERE c.id = visits.client_id),
                  fund_id = (SELECT u.fund_id FROM users u WHERE u.id = visits.chw_id);

ALTER TABLE barriers ADD COLUMN team_id text REFERENCES teams(id);
ALTER TABLE barriers ADD COLUMN fund_id text REFERENCES funds(id);
UPDATE barriers SET team_id = (SELECT c.team_id FROM clients c WHERE c.id = barriers.client_id),
                    fund_id = (SELECT u.fund_id FROM users u WHERE u.id = barriers.created_by);

ALTER TABLE referrals ADD COLUMN team_id text REFERENCES teams(id);
ALTER TABLE referrals ADD COLUMN fund_id text REFERENCES funds(id);
UPDATE referrals SET team_id = (SELECT c.team_id FROM clients c WHERE c.id = referrals.client_id),
                     fund_id = (SELECT u.fund_id FROM users u WHERE u.id = referrals.created_by);

ALTER TABLE appointments ADD COLUMN team_id text REFERENCES teams(id);
ALTER TABLE appointments ADD COLUMN fund_id text REFERENCES funds(id);
UPDATE appointments SET team_id = (SELECT c.team_id FROM clients c WHERE c.id = appointments.client_id),
                        fund_id = (SELECT u.fund_id FROM users u WHERE u.id = appointments.created_by);

ALTER TABLE client_events ADD COLUMN team_id text REFERENCES teams(id);
ALTER TABLE client_events ADD COLUMN fund_id text REFERENCES funds(id);
UPDATE client_events SET team_id = (SELECT c.team_id FROM clients c WHERE c.id = client_events.client_id),
                         fund_id = (SELECT u.fund_id FROM users u WHERE u.id = client_events.actor_id);

ALTER TABLE clients ADD COLUMN origin_team_id text REFERENCES teams(id);
ALTER TABLE clients ADD COLUMN origin_fund_id text REFERENCES funds(id);
UPDATE clients SET origin_team_id = team_id,
                   origin_fund_id = (SELECT u.fund_id FROM users u WHERE u.id = clients.created_by);

-- Reports cut work by time first, then by who, team or fund.
CREATE INDEX visits_time_idx ON visits (visited_at);
CREATE INDEX visits_team_time_idx ON visits (team_id, visited_at);
CREATE INDEX visits_fund_time_idx ON visits (fund_id, visited_at);
CREATE INDEX barriers_detected_idx ON barriers (detected_at);
CREATE INDEX barriers_team_detected_idx ON barriers (team_id, detected_at);
CREATE INDEX referrals_created_idx ON referrals (created_at);
CREATE INDEX referrals_team_created_idx ON referrals (team_id, created_at);
CREATE INDEX appointments_team_starts_idx ON appointments (team_id, starts_at);
CREATE INDEX clients_created_idx ON clients (created_at);
CREATE INDEX client_events_kind_time_idx ON client_events (kind, created_at);
CREATE INDEX reminders_due_at_idx ON reminders (due_at);

-- +goose Down
DROP INDEX reminders_due_at_idx;
DROP INDEX client_events_kind_time_idx;
DROP INDEX clients_created_idx;
DROP INDEX appointments_team_starts_idx;
DROP INDEX referrals_team_created_idx;
DROP INDEX referrals_created_idx;
DROP INDEX barriers_team_detected_idx;
DROP INDEX barriers_detected_idx;
DROP INDEX visits_fund_time_idx;
DROP INDEX visits_team_time_idx;
DROP INDEX visits_time_idx;
ALTER TABLE clients DROP COLUMN origin_fund_id;
ALTER TABLE clients DROP COLUMN origin_team_id;
ALTER TABLE client_events DROP COLUMN fund_id;
ALTER TABLE client_events DROP COLUMN team_id;
ALTER TABLE appointments DROP COLUMN fund_id;
ALTER TABLE appointments DROP COLUMN team_id;
ALTER TABLE referrals DROP COLUMN fund_id;
ALTER TABLE referrals DROP COLUMN team_id;
ALTER TABLE barriers DROP COLUMN fund_id;
ALTER TABLE barriers DROP COLUMN team_id;
ALTER TABLE visits DROP COLUMN fund_id;
ALTER TABLE visits DROP COLUMN team_id;
