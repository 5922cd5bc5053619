-- Issue 20: per-offer hours. A version may narrow when it can be booked to some days and hours of its
-- resources' opening hours: a JSON list of BookingCore `WeeklyRule`s ([] = the resources' hours only).
ALTER TABLE offer_versions ADD COLUMN offer_hours TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(offer_hours));
