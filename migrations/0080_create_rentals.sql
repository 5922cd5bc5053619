-- Issue 21: rentals by date. A multi_day offer version may carry rental terms: pick-up and return
-- wall times, a rate per night or day, a weekly discount and a length in units. Like the version
-- they belong to, terms of a published version never change.
CREATE TABLE rental_terms (
    business_id             INTEGER NOT NULL REFERENCES businesses (id),
    version_id              INTEGER NOT NULL,
    pick_up_minute          INTEGER NOT NULL CHECK (pick_up_minute BETWEEN 0 AND 1439),
    return_minute           INTEGER NOT NULL CHECK (return_minute BETWEEN 0 AND 1440),
    unit                    TEXT NOT NULL CHECK (unit IN ('night', 'day')),
    rate                    INTEGER NOT NULL CHECK (rate >= 0),
    weekly_discount_percent INTEGER NOT NULL DEFAULT 0 CHECK (weekly_discount_percent BETWEEN 0 AND 100),
    min_units               INTEGER NOT NULL CHECK (min_units >= 1),
    max_units               INTEGER NOT NULL CHECK (max_units BETWEEN min_units AND 365),
    PRIMARY KEY (business_id, version_id),
    FOREIGN KEY (business_id, version_id) REFERENCES offer_versions (business_id, id)
) STRICT;
CREATE TRIGGER rental_terms_published_immutable BEFORE UPDATE ON rental_terms
WHEN (SELECT status FROM offer_versions WHERE business_id = OLD.business_id AND id = OLD.version_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'the rental terms of a published offer version cannot be changed'); END;
CREATE TRIGGER rental_terms_published_undeletable BEFORE DELETE ON rental_terms
WHEN (SELECT status FROM offer_versions WHERE business_id = OLD.business_id AND id = OLD.version_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'the rental terms of a published offer version cannot be deleted'); END;

-- Staff hand a rented item over (check_out) and take it back (check_in), each with a condition note.
CREATE TABLE rental_checkpoints (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('check_out', 'check_in')),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    UNIQUE (business_id, order_id, kind),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE TRIGGER rental_checkpoints_append_only BEFORE UPDATE ON rental_checkpoints
BEGIN SELECT RAISE(ABORT, 'a rental checkpoint cannot be changed'); END;

-- Units of a resource out of service for maintenance from `flagged_at` until cleared. Open flags
-- take that many units out of the resource's capacity (all of it: the resource is blocked). They
-- are compiled with the schedules, so they bump the schedule version like the tables of 0006.
CREATE TABLE maintenance_flags (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL,
    quantity    INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    order_id    INTEGER,
    flagged_at  INTEGER NOT NULL,
    flagged_by  TEXT NOT NULL,
    cleared_at  INTEGER CHECK (cleared_at IS NULL OR cleared_at >= flagged_at),
    cleared_by  TEXT,
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX maintenance_flags_open ON maintenance_flags (business_id, resource_id) WHERE cleared_at IS NULL;
CREATE TRIGGER maintenance_flags_bump_insert AFTER INSERT ON maintenance_flags
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
CREATE TRIGGER maintenance_flags_bump_update AFTER UPDATE ON maintenance_flags
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER maintenance_flags_bump_delete AFTER DELETE ON maintenance_flags
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
