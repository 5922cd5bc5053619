-- Cache versions become unique: every change sets businesses.schedule_version or booking_version
-- to a new random 64-bit value instead of adding one. A version then names exactly one content
-- whether or not its transaction commits, so an in-memory cache keyed by it can never serve what a
-- rolled-back transaction saw (with counters, a rolled-back change and a later committed one could
-- both be "version 6"). The triggers of 0006 and 0010 are re-created that way, and a rename bumps
-- the schedule version too (compiled schedules carry the resource names pages list; this trigger
-- was first added to 0010 after it had shipped, so databases that applied that text have it).

DROP TRIGGER IF EXISTS availability_rules_bump_insert;
CREATE TRIGGER availability_rules_bump_insert AFTER INSERT ON availability_rules
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS availability_rules_bump_update;
CREATE TRIGGER availability_rules_bump_update AFTER UPDATE ON availability_rules
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS availability_rules_bump_delete;
CREATE TRIGGER availability_rules_bump_delete AFTER DELETE ON availability_rules
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS date_overlays_bump_insert;
CREATE TRIGGER date_overlays_bump_insert AFTER INSERT ON date_overlays
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS date_overlays_bump_update;
CREATE TRIGGER date_overlays_bump_update AFTER UPDATE ON date_overlays
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS date_overlays_bump_delete;
CREATE TRIGGER date_overlays_bump_delete AFTER DELETE ON date_overlays
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS blocked_times_bump_insert;
CREATE TRIGGER blocked_times_bump_insert AFTER INSERT ON blocked_times
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS blocked_times_bump_update;
CREATE TRIGGER blocked_times_bump_update AFTER UPDATE ON blocked_times
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS blocked_times_bump_delete;
CREATE TRIGGER blocked_times_bump_delete AFTER DELETE ON blocked_times
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS resource_tags_bump_insert;
CREATE TRIGGER resource_tags_bump_insert AFTER INSERT ON resource_tags
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS resource_tags_bump_update;
CREATE TRIGGER resource_tags_bump_update AFTER UPDATE ON resource_tags
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS resource_tags_bump_delete;
CREATE TRIGGER resource_tags_bump_delete AFTER DELETE ON resource_tags
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS calendars_bump_insert;
CREATE TRIGGER calendars_bump_insert AFTER INSERT ON calendars
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS calendars_bump_update;
CREATE TRIGGER calendars_bump_update AFTER UPDATE ON calendars
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS calendars_bump_delete;
CREATE TRIGGER calendars_bump_delete AFTER DELETE ON calendars
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS resources_bump_insert;
CREATE TRIGGER resources_bump_insert AFTER INSERT ON resources
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS resources_bump_update;
CREATE TRIGGER resources_bump_update AFTER UPDATE OF kind, capacity, active, max_bookings_per_day, min_rest_minutes, max_busy_seconds, location_id, slug ON resources
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS resources_bump_delete;
CREATE TRIGGER resources_bump_delete AFTER DELETE ON resources
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS resource_assignments_bump_insert;
CREATE TRIGGER resource_assignments_bump_insert AFTER INSERT ON resource_assignments
BEGIN UPDATE businesses SET booking_version = random() WHERE id = NEW.business_id; END;
DROP TRIGGER IF EXISTS resource_assignments_bump_update;
CREATE TRIGGER resource_assignments_bump_update AFTER UPDATE ON resource_assignments
BEGIN UPDATE businesses SET booking_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
DROP TRIGGER IF EXISTS resource_assignments_bump_delete;
CREATE TRIGGER resource_assignments_bump_delete AFTER DELETE ON resource_assignments
BEGIN UPDATE businesses SET booking_version = random() WHERE id = OLD.business_id; END;
DROP TRIGGER IF EXISTS resources_bump_rename;
CREATE TRIGGER resources_bump_rename AFTER UPDATE OF name ON resources
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
