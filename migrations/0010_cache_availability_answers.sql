-- Availability answers are cached in memory (Store/Booking/AvailabilityReads.swift). An answer is
-- a pure function of the business's schedules, its blocking assignments, the offer version, the
-- query and the current second; schedule_version (migration 0006) covers the schedules, and
-- booking_version, bumped in the same transaction as any change to resource_assignments, covers
-- the bookings and holds. A cached answer is reused only when both versions are unchanged, so it
-- is never stale.
ALTER TABLE businesses ADD COLUMN booking_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER resource_assignments_bump_insert AFTER INSERT ON resource_assignments
BEGIN UPDATE businesses SET booking_version = booking_version + 1 WHERE id = NEW.business_id; END;
CREATE TRIGGER resource_assignments_bump_update AFTER UPDATE ON resource_assignments
BEGIN UPDATE businesses SET booking_version = booking_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER resource_assignments_bump_delete AFTER DELETE ON resource_assignments
BEGIN UPDATE businesses SET booking_version = booking_version + 1 WHERE id = OLD.business_id; END;
