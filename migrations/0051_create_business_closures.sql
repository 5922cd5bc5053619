-- Issue 20: business-wide closures and holidays. One entry closes every resource of the business on
-- a business-local date, with a note customers read ("Christmas Day"). Changes bump the schedule
-- version (as 0011 does for every table schedules are compiled from), so no cached answer outlives them.
CREATE TABLE business_closures (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, date)
) STRICT;
CREATE TRIGGER business_closures_bump_insert AFTER INSERT ON business_closures
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
CREATE TRIGGER business_closures_bump_update AFTER UPDATE ON business_closures
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER business_closures_bump_delete AFTER DELETE ON business_closures
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
