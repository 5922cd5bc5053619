-- Recurring series (issue 17): one row per series; its bookings name it. Weekly or every N weeks at
-- the same wall-clock time, for a count, until a date, or with no end (a standing reservation, which
-- the worker keeps booking the offer's booking horizon ahead: `booked_through` is the last local date
-- it has tried).
CREATE TABLE booking_series (
    business_id      INTEGER NOT NULL REFERENCES businesses (id),
    id               INTEGER PRIMARY KEY,
    public_id        TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
    offer_id         INTEGER NOT NULL,
    interval_weeks   INTEGER NOT NULL DEFAULT 1 CHECK (interval_weeks BETWEEN 1 AND 52),
    end_count        INTEGER CHECK (end_count BETWEEN 1 AND 104),
    end_date         TEXT CHECK (end_date IS NULL OR length(end_date) = 10),
    first_start      INTEGER NOT NULL,
    booked_through   TEXT CHECK (booked_through IS NULL OR length(booked_through) = 10),
    party_size       INTEGER NOT NULL DEFAULT 1 CHECK (party_size BETWEEN 1 AND 1000),
    resources        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(resources)),
    customer_user_id INTEGER REFERENCES users (id),
    customer_name    TEXT NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 120),
    customer_email   TEXT NOT NULL CHECK (length(customer_email) BETWEEN 3 AND 254),
    customer_phone   TEXT NOT NULL DEFAULT '' CHECK (length(customer_phone) <= 40),
    source           TEXT NOT NULL CHECK (source IN ('web', 'api', 'staff')),
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (end_count IS NULL OR end_date IS NULL),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;
-- Standing reservations the worker extends.
CREATE INDEX booking_series_standing ON booking_series (business_id, id)
    WHERE status = 'active' AND end_count IS NULL AND end_date IS NULL;

ALTER TABLE booking_orders ADD COLUMN series_id INTEGER;
CREATE INDEX booking_orders_by_series ON booking_orders (business_id, series_id, starts_at) WHERE series_id IS NOT NULL;
