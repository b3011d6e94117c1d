-- +goose Up
-- Records two people may edit carry a version, raised by every update (a
-- trigger, so no path can forget it); PATCH with If-Match or a version is
-- refused (412) when the record changed meanwhile.
ALTER TABLE clients ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE referrals ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE appointments ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE barriers ADD COLUMN version integer NOT NULL DEFAULT 1;
-- +goose StatementBegin
CREATE FUNCTION brug_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER clients_version BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION brug_bump_version();
CREATE TRIGGER referrals_version BEFORE UPDATE ON referrals FOR EACH ROW EXECUTE FUNCTION brug_bump_version();
CREATE TRIGGER appointments_version BEFORE UPDATE ON appointments FOR EACH ROW EXECUTE FUNCTION brug_bump_version();
CREATE TRIGGER tasks_version BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION brug_bump_version();
CREATE TRIGGER barriers_version BEFORE UPDATE ON barriers FOR EACH ROW EXECUTE FUNCTION brug_bump_version();

-- +goose Down
DROP TRIGGER clients_version ON clients;
ALTER TABLE clients DROP COLUMN version;
DROP TRIGGER referrals_version ON referrals;
ALTER TABLE referrals DROP COLUMN version;
DROP TRIGGER appointments_version ON appointments;
ALTER TABLE appointments DROP COLUMN version;
DROP TRIGGER tasks_version ON tasks;
ALTER TABLE tasks DROP COLUMN version;
DROP TRIGGER barriers_version ON barriers;
ALTER TABLE barriers DROP COLUMN version;
DROP FUNCTION brug_bump_version();
