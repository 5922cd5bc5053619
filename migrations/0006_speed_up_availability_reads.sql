-- Availability reads only the assignments that can overlap the queried window. An assignment
-- overlaps [start, end) when blocked_from < end and blocked_to > start; with the longest blocked
-- span of the resource known, blocked_from >= start - longest bounds the index range scan, so the
-- cost no longer grows with the bookings outside the window.
ALTER TABLE resources ADD COLUMN max_busy_seconds INTEGER NOT NULL DEFAULT 0 CHECK (max_busy_seconds >= 0);
UPDATE resources SET max_busy_seconds = COALESCE(
    (SELECT MAX(blocked_to - blocked_from) FROM resource_assignments a
     WHERE a.business_id = resources.business_id AND a.resource_id = resources.id), 0);

-- "Booked least recently": the newest blocking assignment of a resource is one index seek.
CREATE INDEX resource_assignments_latest ON resource_assignments (business_id, resource_id) WHERE blocks = 1;

-- Compiled schedules are cached in memory per business and reused while schedule_version is
-- unchanged. Every change to what a schedule is made of bumps it in the same transaction, so a
-- cached schedule is never stale: rules, overlays, blocked time, tags, resources, calendars.
ALTER TABLE businesses ADD COLUMN schedule_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER availability_rules_bump_insert AFTER INSERT ON availability_rules
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER availability_rules_bump_update AFTER UPDATE ON availability_rules
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER availability_rules_bump_delete AFTER DELETE ON availability_rules
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = OLD.business_id; END;
CREATE TRIGGER date_overlays_bump_insert AFTER INSERT ON date_overlays
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER date_overlays_bump_update AFTER UPDATE ON date_overlays
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER date_overlays_bump_delete AFTER DELETE ON date_overlays
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = OLD.business_id; END;
CREATE TRIGGER blocked_times_bump_insert AFTER INSERT ON blocked_times
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER blocked_times_bump_update AFTER UPDATE ON blocked_times
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER blocked_times_bump_delete AFTER DELETE ON blocked_times
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = OLD.business_id; END;
CREATE TRIGGER resource_tags_bump_insert AFTER INSERT ON resource_tags
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER resource_tags_bump_update AFTER UPDATE ON resource_tags
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER resource_tags_bump_delete AFTER DELETE ON resource_tags
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = OLD.business_id; END;
CREATE TRIGGER calendars_bump_insert AFTER INSERT ON calendars
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER calendars_bump_update AFTER UPDATE ON calendars
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER calendars_bump_delete AFTER DELETE ON calendars
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = OLD.business_id; END;
CREATE TRIGGER resources_bump_insert AFTER INSERT ON resources
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER resources_bump_update AFTER UPDATE OF kind, capacity, active, max_bookings_per_day, min_rest_minutes, max_busy_seconds, location_id, slug ON resources
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER resources_bump_delete AFTER DELETE ON resources
BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id = OLD.business_id; END;
