-- +goose Up
-- Report snapshots (see internal/store/snapshots.go): a closed period's
-- report aggregates are kept with a stamp of the rows they were computed
-- from, and served only while the stamp is unchanged. The stamp comes
-- from report_changes: every insert, update and delete of a row that a
-- report counts adds a row (table, UTC month of the row's time) here, in
-- the writing transaction, by trigger, so no write path can forget it.
-- Rows are only ever added, so concurrent writers contend for no lock (a
-- counter per month would serialise them, and could deadlock two
-- transactions that touch two months in opposite orders); housekeeping
-- folds old rows into one per table and month, keeping the sum of their
-- weights. A sum rather than the largest id: an id is taken before its
-- transaction commits, so a later commit could hide behind a larger id.
CREATE TABLE report_changes (
    tbl text NOT NULL,
    month text NOT NULL,
    weight bigint NOT NULL DEFAULT 1
);
CREATE INDEX report_changes_idx ON report_changes (tbl, month) INCLUDE (weight);

CREATE TABLE report_snapshots (
    key text PRIMARY KEY,
    stamp text NOT NULL,
    body text NOT NULL,
    computed_at timestamptz NOT NULL
);

-- +goose StatementBegin
-- report_change records the UTC months of a row's time columns (named by
-- the trigger's arguments), before and after the change.
CREATE FUNCTION report_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c text;
    o jsonb;
    n jsonb;
    ms text[] := ARRAY[]::text[];
BEGIN
    IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
    FOREACH c IN ARRAY TG_ARGV LOOP
        IF o ->> c IS NOT NULL THEN ms := ms || to_char((o ->> c)::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM'); END IF;
        IF n ->> c IS NOT NULL THEN ms := ms || to_char((n ->> c)::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM'); END IF;
    END LOOP;
    -- A client's neighbourhood groups all their work, of every month.
    IF TG_TABLE_NAME = 'clients' AND TG_OP <> 'INSERT' THEN ms := ms || '*'::text; END IF;
    INSERT INTO report_changes (tbl, month) SELECT DISTINCT TG_TABLE_NAME, m FROM unnest(ms) AS m;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Facilitators count under their session's month.
CREATE FUNCTION report_change_facilitator() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[] := ARRAY[]::uuid[];
BEGIN
    IF TG_OP <> 'INSERT' THEN ids := ids || OLD.session_id; END IF;
    IF TG_OP <> 'DELETE' THEN ids := ids || NEW.session_id; END IF;
    INSERT INTO report_changes (tbl, month)
    SELECT DISTINCT 'group_sessions', to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM') FROM group_sessions s WHERE s.id = ANY (ids);
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER visits_report_insdel AFTER INSERT OR DELETE ON visits FOR EACH ROW EXECUTE FUNCTION report_change('visited_at');
CREATE TRIGGER visits_report_upd AFTER UPDATE ON visits FOR EACH ROW EXECUTE FUNCTION report_change('visited_at');
CREATE TRIGGER client_events_report_insdel AFTER INSERT OR DELETE ON client_events FOR EACH ROW EXECUTE FUNCTION report_change('created_at');
CREATE TRIGGER client_events_report_upd AFTER UPDATE ON client_events FOR EACH ROW EXECUTE FUNCTION report_change('created_at');
CREATE TRIGGER referrals_report_insdel AFTER INSERT OR DELETE ON referrals FOR EACH ROW EXECUTE FUNCTION report_change('created_at');
CREATE TRIGGER referrals_report_upd AFTER UPDATE ON referrals FOR EACH ROW EXECUTE FUNCTION report_change('created_at');
CREATE TRIGGER appointments_report_insdel AFTER INSERT OR DELETE ON appointments FOR EACH ROW EXECUTE FUNCTION report_change('starts_at');
CREATE TRIGGER appointments_report_upd AFTER UPDATE ON appointments FOR EACH ROW EXECUTE FUNCTION report_change('starts_at');
CREATE TRIGGER reminders_report_insdel AFTER INSERT OR DELETE ON reminders FOR EACH ROW EXECUTE FUNCTION report_change('due_at');
CREATE TRIGGER reminders_report_upd AFTER UPDATE ON reminders FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.appointment_id IS DISTINCT FROM NEW.appointment_id OR OLD.client_id IS DISTINCT FROM NEW.client_id) EXECUTE FUNCTION report_change('due_at');
CREATE TRIGGER group_sessions_report_insdel AFTER INSERT OR DELETE ON group_sessions FOR EACH ROW EXECUTE FUNCTION report_change('starts_at');
CREATE TRIGGER group_sessions_report_upd AFTER UPDATE ON group_sessions FOR EACH ROW EXECUTE FUNCTION report_change('starts_at');
CREATE TRIGGER barriers_report_insdel AFTER INSERT OR DELETE ON barriers FOR EACH ROW EXECUTE FUNCTION report_change('detected_at', 'addressed_at', 'resolved_at', 'signalled_at');
CREATE TRIGGER barriers_report_upd AFTER UPDATE ON barriers FOR EACH ROW EXECUTE FUNCTION report_change('detected_at', 'addressed_at', 'resolved_at', 'signalled_at');
CREATE TRIGGER clients_report_insdel AFTER INSERT OR DELETE ON clients FOR EACH ROW EXECUTE FUNCTION report_change('created_at');
CREATE TRIGGER clients_report_upd AFTER UPDATE ON clients FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.source IS DISTINCT FROM NEW.source OR OLD.origin_team_id IS DISTINCT FROM NEW.origin_team_id OR OLD.origin_fund_id IS DISTINCT FROM NEW.origin_fund_id OR OLD.neighbourhood_id IS DISTINCT FROM NEW.neighbourhood_id) EXECUTE FUNCTION report_change('created_at');
CREATE TRIGGER group_session_facilitators_report AFTER INSERT OR UPDATE OR DELETE ON group_session_facilitators FOR EACH ROW EXECUTE FUNCTION report_change_facilitator();

-- +goose Down
DROP TRIGGER visits_report_insdel ON visits;
DROP TRIGGER visits_report_upd ON visits;
DROP TRIGGER client_events_report_insdel ON client_events;
DROP TRIGGER client_events_report_upd ON client_events;
DROP TRIGGER referrals_report_insdel ON referrals;
DROP TRIGGER referrals_report_upd ON referrals;
DROP TRIGGER appointments_report_insdel ON appointments;
DROP TRIGGER appointments_report_upd ON appointments;
DROP TRIGGER reminders_report_insdel ON reminders;
DROP TRIGGER reminders_report_upd ON reminders;
DROP TRIGGER group_sessions_report_insdel ON group_sessions;
DROP TRIGGER group_sessions_report_upd ON group_sessions;
DROP TRIGGER barriers_report_insdel ON barriers;
DROP TRIGGER barriers_report_upd ON barriers;
DROP TRIGGER clients_report_insdel ON clients;
DROP TRIGGER clients_report_upd ON clients;
DROP TRIGGER group_session_facilitators_report ON group_session_facilitators;
DROP FUNCTION report_change_facilitator();
DROP FUNCTION report_change();
DROP TABLE report_snapshots;
DROP TABLE report_changes;
