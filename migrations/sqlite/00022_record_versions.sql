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
CREATE TRIGGER clients_version AFTER UPDATE ON clients FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE clients SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER referrals_version AFTER UPDATE ON referrals FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE referrals SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER appointments_version AFTER UPDATE ON appointments FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE appointments SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_version AFTER UPDATE ON tasks FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE tasks SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER barriers_version AFTER UPDATE ON barriers FOR EACH ROW WHEN NEW.version <= OLD.version
BEGIN UPDATE barriers SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER clients_version;
ALTER TABLE clients DROP COLUMN version;
DROP TRIGGER referrals_version;
ALTER TABLE referrals DROP COLUMN version;
DROP TRIGGER appointments_version;
ALTER TABLE appointments DROP COLUMN version;
DROP TRIGGER tasks_version;
ALTER TABLE tasks DROP COLUMN version;
DROP TRIGGER barriers_version;
ALTER TABLE barriers DROP COLUMN version;
