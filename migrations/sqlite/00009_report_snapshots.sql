-- +goose Up
-- Report snapshots (see internal/store/snapshots.go): a closed period's
-- report aggregates are kept with a stamp of the rows they were computed
-- from, and served only while the stamp is unchanged. The stamp comes
-- from report_changes: every insert, update and delete of a row that a
-- report counts adds a row (table, UTC month of the row's time) here, in
-- the writing transaction, by trigger, so no write path can forget it.
-- Rows are only ever added (no lock is contended; housekeeping folds old
-- rows into one per table and month, keeping the sum of their weights).
CREATE TABLE report_changes (
    tbl TEXT NOT NULL,
    month TEXT NOT NULL,
    weight INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX report_changes_idx ON report_changes (tbl, month, weight);

CREATE TABLE report_snapshots (
    key TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    body TEXT NOT NULL,
    computed_at DATETIME NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER visits_report_ins AFTER INSERT ON visits FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'visits', m FROM (SELECT substr(NEW.visited_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER visits_report_upd AFTER UPDATE ON visits FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'visits', m FROM (SELECT substr(OLD.visited_at, 1, 7) AS m UNION SELECT substr(NEW.visited_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER visits_report_del AFTER DELETE ON visits FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'visits', m FROM (SELECT substr(OLD.visited_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER client_events_report_ins AFTER INSERT ON client_events FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'client_events', m FROM (SELECT substr(NEW.created_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER client_events_report_upd AFTER UPDATE ON client_events FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'client_events', m FROM (SELECT substr(OLD.created_at, 1, 7) AS m UNION SELECT substr(NEW.created_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER client_events_report_del AFTER DELETE ON client_events FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'client_events', m FROM (SELECT substr(OLD.created_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER referrals_report_ins AFTER INSERT ON referrals FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'referrals', m FROM (SELECT substr(NEW.created_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER referrals_report_upd AFTER UPDATE ON referrals FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'referrals', m FROM (SELECT substr(OLD.created_at, 1, 7) AS m UNION SELECT substr(NEW.created_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER referrals_report_del AFTER DELETE ON referrals FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'referrals', m FROM (SELECT substr(OLD.created_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER appointments_report_ins AFTER INSERT ON appointments FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'appointments', m FROM (SELECT substr(NEW.starts_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER appointments_report_upd AFTER UPDATE ON appointments FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'appointments', m FROM (SELECT substr(OLD.starts_at, 1, 7) AS m UNION SELECT substr(NEW.starts_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER appointments_report_del AFTER DELETE ON appointments FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'appointments', m FROM (SELECT substr(OLD.starts_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reminders_report_ins AFTER INSERT ON reminders FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'reminders', m FROM (SELECT substr(NEW.due_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reminders_report_upd AFTER UPDATE ON reminders FOR EACH ROW WHEN OLD.status IS NOT NEW.status OR OLD.due_at IS NOT NEW.due_at OR OLD.appointment_id IS NOT NEW.appointment_id OR OLD.client_id IS NOT NEW.client_id BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'reminders', m FROM (SELECT substr(OLD.due_at, 1, 7) AS m UNION SELECT substr(NEW.due_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reminders_report_del AFTER DELETE ON reminders FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'reminders', m FROM (SELECT substr(OLD.due_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER group_sessions_report_ins AFTER INSERT ON group_sessions FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'group_sessions', m FROM (SELECT substr(NEW.starts_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER group_sessions_report_upd AFTER UPDATE ON group_sessions FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'group_sessions', m FROM (SELECT substr(OLD.starts_at, 1, 7) AS m UNION SELECT substr(NEW.starts_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER group_sessions_report_del AFTER DELETE ON group_sessions FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'group_sessions', m FROM (SELECT substr(OLD.starts_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER barriers_report_ins AFTER INSERT ON barriers FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'barriers', m FROM (SELECT substr(NEW.detected_at, 1, 7) AS m UNION SELECT substr(NEW.addressed_at, 1, 7) AS m UNION SELECT substr(NEW.resolved_at, 1, 7) AS m UNION SELECT substr(NEW.signalled_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER barriers_report_upd AFTER UPDATE ON barriers FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'barriers', m FROM (SELECT substr(OLD.detected_at, 1, 7) AS m UNION SELECT substr(OLD.addressed_at, 1, 7) AS m UNION SELECT substr(OLD.resolved_at, 1, 7) AS m UNION SELECT substr(OLD.signalled_at, 1, 7) AS m UNION SELECT substr(NEW.detected_at, 1, 7) AS m UNION SELECT substr(NEW.addressed_at, 1, 7) AS m UNION SELECT substr(NEW.resolved_at, 1, 7) AS m UNION SELECT substr(NEW.signalled_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER barriers_report_del AFTER DELETE ON barriers FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'barriers', m FROM (SELECT substr(OLD.detected_at, 1, 7) AS m UNION SELECT substr(OLD.addressed_at, 1, 7) AS m UNION SELECT substr(OLD.resolved_at, 1, 7) AS m UNION SELECT substr(OLD.signalled_at, 1, 7) AS m) WHERE m IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER clients_report_ins AFTER INSERT ON clients FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) VALUES ('clients', substr(NEW.created_at, 1, 7));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER clients_report_upd AFTER UPDATE ON clients FOR EACH ROW WHEN OLD.created_at IS NOT NEW.created_at OR OLD.source IS NOT NEW.source OR OLD.origin_team_id IS NOT NEW.origin_team_id OR OLD.origin_fund_id IS NOT NEW.origin_fund_id OR OLD.neighbourhood_id IS NOT NEW.neighbourhood_id BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'clients', m FROM (SELECT substr(OLD.created_at, 1, 7) AS m UNION SELECT substr(NEW.created_at, 1, 7) UNION SELECT '*');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER clients_report_del AFTER DELETE ON clients FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'clients', m FROM (SELECT substr(OLD.created_at, 1, 7) AS m UNION SELECT '*');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER group_session_facilitators_report_ins AFTER INSERT ON group_session_facilitators FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'group_sessions', substr(s.starts_at, 1, 7) FROM group_sessions s WHERE s.id = NEW.session_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER group_session_facilitators_report_upd AFTER UPDATE ON group_session_facilitators FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT DISTINCT 'group_sessions', substr(s.starts_at, 1, 7) FROM group_sessions s WHERE s.id IN (OLD.session_id, NEW.session_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER group_session_facilitators_report_del AFTER DELETE ON group_session_facilitators FOR EACH ROW BEGIN
    INSERT INTO report_changes (tbl, month) SELECT 'group_sessions', substr(s.starts_at, 1, 7) FROM group_sessions s WHERE s.id = OLD.session_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER visits_report_ins;
DROP TRIGGER visits_report_upd;
DROP TRIGGER visits_report_del;
DROP TRIGGER client_events_report_ins;
DROP TRIGGER client_events_report_upd;
DROP TRIGGER client_events_report_del;
DROP TRIGGER referrals_report_ins;
DROP TRIGGER referrals_report_upd;
DROP TRIGGER referrals_report_del;
DROP TRIGGER appointments_report_ins;
DROP TRIGGER appointments_report_upd;
DROP TRIGGER appointments_report_del;
DROP TRIGGER reminders_report_ins;
DROP TRIGGER reminders_report_upd;
DROP TRIGGER reminders_report_del;
DROP TRIGGER group_sessions_report_ins;
DROP TRIGGER group_sessions_report_upd;
DROP TRIGGER group_sessions_report_del;
DROP TRIGGER barriers_report_ins;
DROP TRIGGER barriers_report_upd;
DROP TRIGGER barriers_report_del;
DROP TRIGGER clients_report_ins;
DROP TRIGGER clients_report_upd;
DROP TRIGGER clients_report_del;
DROP TRIGGER group_session_facilitators_report_ins;
DROP TRIGGER group_session_facilitators_report_upd;
DROP TRIGGER group_session_facilitators_report_del;
DROP TABLE report_snapshots;
DROP TABLE report_changes;
