-- Approvals (issue 17): a business may decide pending bookings automatically after a number of
-- hours (approve or decline), so nothing waits forever. NULL hours: staff decide, however long.
ALTER TABLE businesses ADD COLUMN approval_auto_hours INTEGER CHECK (approval_auto_hours BETWEEN 1 AND 720);
ALTER TABLE businesses ADD COLUMN approval_auto_decision TEXT NOT NULL DEFAULT 'approve'
    CHECK (approval_auto_decision IN ('approve', 'decline'));

-- Waitlists: how long a freed place is held for the waiting customer it is offered to.
ALTER TABLE businesses ADD COLUMN waitlist_offer_minutes INTEGER NOT NULL DEFAULT 30
    CHECK (waitlist_offer_minutes BETWEEN 1 AND 1440);

-- One customer waiting for one start of an offer. Position is the order of ids among the entries of
-- the same start that still wait. An offered entry names the hold made for it; claiming it is
-- confirming that hold. The entry's token (only its hash is stored) lets a guest see and leave it.
CREATE TABLE waitlist_entries (
    business_id       INTEGER NOT NULL REFERENCES businesses (id),
    id                INTEGER PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
    offer_id          INTEGER NOT NULL,
    starts_at         INTEGER NOT NULL,
    party_size        INTEGER NOT NULL DEFAULT 1 CHECK (party_size BETWEEN 1 AND 1000),
    customer_user_id  INTEGER REFERENCES users (id),
    customer_name     TEXT NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 120),
    customer_email    TEXT NOT NULL CHECK (length(customer_email) BETWEEN 3 AND 254),
    customer_phone    TEXT NOT NULL DEFAULT '' CHECK (length(customer_phone) <= 40),
    status            TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'claimed', 'expired', 'left')),
    hold_order_id     INTEGER,
    access_token_hash BLOB NOT NULL CHECK (length(access_token_hash) = 32),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id),
    FOREIGN KEY (business_id, hold_order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX waitlist_entries_by_start ON waitlist_entries (business_id, offer_id, starts_at, id)
    WHERE status IN ('waiting', 'offered');
CREATE UNIQUE INDEX waitlist_entries_by_hold ON waitlist_entries (business_id, hold_order_id) WHERE hold_order_id IS NOT NULL;

-- The approval queue and the worker's automatic decisions read pending bookings by age.
CREATE INDEX booking_orders_pending ON booking_orders (business_id, created_at) WHERE status = 'pending';
