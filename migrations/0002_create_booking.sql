-- Supply, time, offers, fulfillment, money, API access. Instants are UTC UNIX seconds; wall-clock
-- rules are minutes since local midnight in the business's time zone; dates are 'YYYY-MM-DD'.
-- Composite foreign keys (business_id, id) keep every reference inside one business.

CREATE TABLE resources (
    business_id          INTEGER NOT NULL REFERENCES businesses (id),
    id                   INTEGER PRIMARY KEY,
    slug                 TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 60),
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind                 TEXT NOT NULL CHECK (kind IN ('host', 'asset', 'venue', 'virtual', 'company')),
    capacity             INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 10000),
    location_id          INTEGER,
    max_bookings_per_day INTEGER CHECK (max_bookings_per_day IS NULL OR max_bookings_per_day >= 1),
    min_rest_minutes     INTEGER CHECK (min_rest_minutes IS NULL OR min_rest_minutes >= 0),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at           INTEGER NOT NULL,
    UNIQUE (business_id, slug),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, location_id) REFERENCES locations (business_id, id)
) STRICT;

CREATE TABLE resource_tags (
    business_id INTEGER NOT NULL,
    resource_id INTEGER NOT NULL,
    tag         TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 60),
    PRIMARY KEY (business_id, resource_id, tag),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id) ON DELETE CASCADE
) STRICT;

-- One calendar per resource.
CREATE TABLE calendars (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL,
    UNIQUE (business_id, resource_id),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE offers (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 60),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    mode        TEXT NOT NULL CHECK (mode IN ('slot', 'class', 'multi_day')),
    status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('draft', 'live', 'paused', 'archived')),
    sensitive   INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, slug),
    UNIQUE (business_id, id)
) STRICT;

-- Weekly rules in wall-clock time; optionally seasonal, optionally for one offer only.
CREATE TABLE availability_rules (
    business_id   INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    calendar_id   INTEGER NOT NULL,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),       -- 1 = Monday
    opens_minute  INTEGER NOT NULL CHECK (opens_minute BETWEEN 0 AND 1439),
    closes_minute INTEGER NOT NULL CHECK (closes_minute BETWEEN 1 AND 1440 AND closes_minute > opens_minute),
    valid_from    TEXT CHECK (valid_from IS NULL OR valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    valid_until   TEXT CHECK (valid_until IS NULL OR valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    offer_id      INTEGER,
    FOREIGN KEY (business_id, calendar_id) REFERENCES calendars (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;
CREATE INDEX availability_rules_by_calendar ON availability_rules (business_id, calendar_id);

-- Date overlays: closed all day, special hours (one row per interval), or a blackout span.
CREATE TABLE date_overlays (
    business_id   INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    calendar_id   INTEGER NOT NULL,
    date          TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind          TEXT NOT NULL CHECK (kind IN ('closed', 'special_hours', 'blackout')),
    opens_minute  INTEGER CHECK (opens_minute BETWEEN 0 AND 1439),
    closes_minute INTEGER CHECK (closes_minute BETWEEN 1 AND 1440),
    starts_at     INTEGER,
    ends_at       INTEGER,
    note          TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    CHECK (kind != 'special_hours' OR (opens_minute IS NOT NULL AND closes_minute > opens_minute)),
    CHECK (kind != 'blackout' OR (starts_at IS NOT NULL AND ends_at > starts_at)),
    FOREIGN KEY (business_id, calendar_id) REFERENCES calendars (business_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX date_overlays_by_calendar ON date_overlays (business_id, calendar_id, date);

-- Time off, maintenance.
CREATE TABLE blocked_times (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at),
    reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    created_at  INTEGER NOT NULL,
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX blocked_times_by_resource ON blocked_times (business_id, resource_id, ends_at);

-- What was sold: a published version never changes (triggers below); editing makes a new draft.
CREATE TABLE offer_versions (
    business_id             INTEGER NOT NULL,
    id                      INTEGER PRIMARY KEY,
    offer_id                INTEGER NOT NULL,
    version                 INTEGER NOT NULL CHECK (version >= 1),
    status                  TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    duration_min_minutes    INTEGER NOT NULL CHECK (duration_min_minutes BETWEEN 1 AND 525600),
    duration_max_minutes    INTEGER NOT NULL CHECK (duration_max_minutes >= duration_min_minutes),
    duration_step_minutes   INTEGER NOT NULL CHECK (duration_step_minutes >= 1),
    buffer_before_minutes   INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
    buffer_after_minutes    INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
    slot_interval_minutes   INTEGER NOT NULL CHECK (slot_interval_minutes BETWEEN 1 AND 1440),
    min_notice_minutes      INTEGER NOT NULL DEFAULT 0 CHECK (min_notice_minutes >= 0),
    max_advance_days        INTEGER NOT NULL DEFAULT 365 CHECK (max_advance_days BETWEEN 1 AND 3650),
    seats                   INTEGER NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 10000),
    hold_minutes            INTEGER NOT NULL DEFAULT 10 CHECK (hold_minutes BETWEEN 1 AND 1440),
    approval_required       INTEGER NOT NULL DEFAULT 0 CHECK (approval_required IN (0, 1)),
    price_model             TEXT NOT NULL CHECK (price_model IN ('fixed', 'hourly', 'per_person')),
    price_amount            INTEGER NOT NULL CHECK (price_amount >= 0),
    currency                TEXT NOT NULL CHECK (length(currency) = 3),
    hourly_increment_minutes INTEGER NOT NULL DEFAULT 60 CHECK (hourly_increment_minutes >= 1),
    hourly_minimum_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (hourly_minimum_minutes >= 0),
    pricing_rules           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pricing_rules)),
    deposit                 TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(deposit)),
    cancellation_tiers      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cancellation_tiers)),
    no_show_fee_percent     INTEGER NOT NULL DEFAULT 0 CHECK (no_show_fee_percent BETWEEN 0 AND 100),
    reschedule_allowed      INTEGER NOT NULL DEFAULT 1 CHECK (reschedule_allowed IN (0, 1)),
    reschedule_cutoff_hours INTEGER NOT NULL DEFAULT 0 CHECK (reschedule_cutoff_hours >= 0),
    created_at              INTEGER NOT NULL,
    published_at            INTEGER,
    UNIQUE (business_id, offer_id, version),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;
CREATE TRIGGER offer_versions_published_immutable BEFORE UPDATE ON offer_versions
WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, 'a published offer version cannot be changed; edit a new draft instead'); END;
CREATE TRIGGER offer_versions_published_undeletable BEFORE DELETE ON offer_versions
WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, 'a published offer version cannot be deleted'); END;

-- What a version needs: a specific resource, or any resource of a kind (with a tag).
CREATE TABLE offer_components (
    business_id  INTEGER NOT NULL,
    id           INTEGER PRIMARY KEY,
    version_id   INTEGER NOT NULL,
    resource_id  INTEGER,
    kind         TEXT CHECK (kind IN ('host', 'asset', 'venue', 'virtual', 'company')),
    tag          TEXT CHECK (tag IS NULL OR length(tag) BETWEEN 1 AND 60),
    count        INTEGER NOT NULL DEFAULT 1 CHECK (count BETWEEN 1 AND 100),
    role         TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 40),
    required     INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    CHECK ((resource_id IS NULL) != (kind IS NULL)),
    FOREIGN KEY (business_id, version_id) REFERENCES offer_versions (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id)
) STRICT;
CREATE INDEX offer_components_by_version ON offer_components (business_id, version_id);
CREATE TRIGGER offer_components_frozen_insert BEFORE INSERT ON offer_components
WHEN (SELECT status FROM offer_versions WHERE id = NEW.version_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published offer version cannot be changed; edit a new draft instead'); END;
CREATE TRIGGER offer_components_frozen_update BEFORE UPDATE ON offer_components
WHEN (SELECT status FROM offer_versions WHERE id = OLD.version_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published offer version cannot be changed; edit a new draft instead'); END;
CREATE TRIGGER offer_components_frozen_delete BEFORE DELETE ON offer_components
WHEN (SELECT status FROM offer_versions WHERE id = OLD.version_id) = 'published'
BEGIN SELECT RAISE(ABORT, 'a published offer version cannot be changed; edit a new draft instead'); END;

CREATE TABLE api_keys (
    business_id  INTEGER NOT NULL REFERENCES businesses (id),
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    prefix       TEXT NOT NULL,                   -- first characters, to recognise a key in lists
    key_hash     BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),   -- SHA-256 of the key
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'staff', 'provider', 'client')),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER,
    UNIQUE (business_id, id)
) STRICT;

-- A purchase. A hold is an order in status 'held' with an expiry. public_id is long and random.
CREATE TABLE booking_orders (
    business_id         INTEGER NOT NULL REFERENCES businesses (id),
    id                  INTEGER PRIMARY KEY,
    public_id           TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
    offer_id            INTEGER NOT NULL,
    offer_version_id    INTEGER NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('held', 'pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'expired')),
    customer_user_id    INTEGER REFERENCES users (id),
    household_member_id INTEGER REFERENCES household_members (id),
    customer_name       TEXT NOT NULL DEFAULT '' CHECK (length(customer_name) <= 120),
    customer_email      TEXT NOT NULL DEFAULT '' CHECK (length(customer_email) <= 254),
    customer_phone      TEXT NOT NULL DEFAULT '' CHECK (length(customer_phone) <= 40),
    notes               TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    party_size          INTEGER NOT NULL DEFAULT 1 CHECK (party_size BETWEEN 1 AND 1000),
    source              TEXT NOT NULL CHECK (source IN ('web', 'api', 'staff', 'walk_in', 'demo')),
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER NOT NULL CHECK (ends_at > starts_at),
    price_total         INTEGER NOT NULL CHECK (price_total >= 0),
    price_deposit       INTEGER NOT NULL DEFAULT 0 CHECK (price_deposit >= 0),
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    price_breakdown     TEXT NOT NULL CHECK (json_valid(price_breakdown)),   -- frozen at sale
    hold_expires_at     INTEGER,
    access_token_hash   BLOB CHECK (access_token_hash IS NULL OR length(access_token_hash) = 32),
    api_key_id          INTEGER,
    cancel_reason       TEXT NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 500),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id),
    FOREIGN KEY (business_id, offer_version_id) REFERENCES offer_versions (business_id, id)
) STRICT;
CREATE INDEX booking_orders_by_start ON booking_orders (business_id, starts_at);
CREATE INDEX booking_orders_by_customer ON booking_orders (customer_user_id, starts_at);
CREATE INDEX booking_orders_held ON booking_orders (hold_expires_at) WHERE status = 'held';

-- The plan a purchase creates: start/end and the blocked interval (buffers included).
CREATE TABLE fulfillment_units (
    business_id  INTEGER NOT NULL,
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL CHECK (ends_at > starts_at),
    blocked_from INTEGER NOT NULL CHECK (blocked_from <= starts_at),
    blocked_to   INTEGER NOT NULL CHECK (blocked_to >= ends_at),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX fulfillment_units_by_order ON fulfillment_units (business_id, order_id);

-- Which resources serve a unit. `blocks` is 1 while the order holds the time (held unexpired,
-- pending, confirmed, checked in, completed), 0 once cancelled/expired/no-show: availability reads
-- only blocking rows through the partial index.
CREATE TABLE resource_assignments (
    business_id     INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL,
    order_id        INTEGER NOT NULL,
    resource_id     INTEGER NOT NULL,
    role            TEXT NOT NULL,
    offer_id        INTEGER NOT NULL,
    is_class        INTEGER NOT NULL CHECK (is_class IN (0, 1)),
    party_size      INTEGER NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    blocked_from    INTEGER NOT NULL,
    blocked_to      INTEGER NOT NULL CHECK (blocked_to > blocked_from),
    hold_expires_at INTEGER,
    blocks          INTEGER NOT NULL DEFAULT 1 CHECK (blocks IN (0, 1)),
    FOREIGN KEY (business_id, unit_id) REFERENCES fulfillment_units (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id)
) STRICT;
CREATE INDEX resource_assignments_busy ON resource_assignments (business_id, resource_id, blocked_from)
    WHERE blocks = 1;
CREATE INDEX resource_assignments_by_order ON resource_assignments (business_id, order_id);

-- Every status move of an order.
CREATE TABLE booking_events (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX booking_events_by_order ON booking_events (business_id, order_id);
CREATE TRIGGER booking_events_no_update BEFORE UPDATE ON booking_events
BEGIN SELECT RAISE(ABORT, 'booking events are append-only'); END;
CREATE TRIGGER booking_events_no_delete BEFORE DELETE ON booking_events
BEGIN SELECT RAISE(ABORT, 'booking events are append-only'); END;

-- Append-only money movements. Signed: charges, deposits and fees are positive, refunds and credits
-- negative, so the sum of an order's rows is what the customer has paid.
CREATE TABLE ledger_entries (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('charge', 'deposit', 'refund', 'fee', 'credit')),
    amount      INTEGER NOT NULL,
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    method      TEXT NOT NULL CHECK (method IN ('card_on_file', 'cash', 'at_venue', 'none')),
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    CHECK ((kind IN ('charge', 'deposit', 'fee') AND amount >= 0) OR (kind IN ('refund', 'credit') AND amount <= 0)),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX ledger_entries_by_order ON ledger_entries (business_id, order_id);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

-- Idempotency-Key records, written in the same transaction as the booking they answer for.
CREATE TABLE idempotency_keys (
    business_id     INTEGER NOT NULL REFERENCES businesses (id),
    api_key_id      INTEGER NOT NULL,
    key             TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash    BLOB NOT NULL,
    response_status INTEGER NOT NULL,
    response_body   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (business_id, api_key_id, key),
    FOREIGN KEY (business_id, api_key_id) REFERENCES api_keys (business_id, id)
) STRICT;
