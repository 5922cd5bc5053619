-- Issue 18: prepaid value. A package is a product a business sells: N credits for named offers,
-- valid D days from purchase, shareable within the buyer's household or not. Each purchase is an
-- entitlement (a lot of credits, immutable once written) whose balance is the sum of its append-only
-- movements (grant, redeem, expire, refund, transfer): balances are never stored (invariant 10).
CREATE TABLE packages (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    credits     INTEGER NOT NULL CHECK (credits BETWEEN 1 AND 1000),
    valid_days  INTEGER NOT NULL CHECK (valid_days BETWEEN 1 AND 3660),
    price       INTEGER NOT NULL CHECK (price >= 0),
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    shareable   INTEGER NOT NULL DEFAULT 0 CHECK (shareable IN (0, 1)),
    status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'archived')),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, id)
) STRICT;

-- The offers a package's credits pay for.
CREATE TABLE package_offers (
    business_id INTEGER NOT NULL,
    package_id  INTEGER NOT NULL,
    offer_id    INTEGER NOT NULL,
    PRIMARY KEY (business_id, package_id, offer_id),
    FOREIGN KEY (business_id, package_id) REFERENCES packages (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;

-- One purchase of a package by a customer (a user): when it expires and how it was paid.
CREATE TABLE entitlements (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    package_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    expires_at  INTEGER NOT NULL,
    price_paid  INTEGER NOT NULL CHECK (price_paid >= 0),
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    method      TEXT NOT NULL CHECK (method IN ('at_venue', 'cash', 'card')),
    recorded_by TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, package_id) REFERENCES packages (business_id, id)
) STRICT;
CREATE INDEX entitlements_by_user ON entitlements (user_id, business_id);
CREATE TRIGGER entitlements_no_update BEFORE UPDATE ON entitlements
BEGIN SELECT RAISE(ABORT, 'entitlements are immutable: add a movement'); END;
CREATE TRIGGER entitlements_no_delete BEFORE DELETE ON entitlements
BEGIN SELECT RAISE(ABORT, 'entitlements are immutable: add a movement'); END;

CREATE TABLE entitlement_movements (
    business_id    INTEGER NOT NULL,
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('grant', 'redeem', 'expire', 'refund', 'transfer')),
    credits        INTEGER NOT NULL CHECK (credits <> 0),
    order_id       INTEGER,
    at             INTEGER NOT NULL,
    actor          TEXT NOT NULL,
    CHECK ((kind IN ('grant', 'refund') AND credits > 0) OR (kind IN ('redeem', 'expire') AND credits < 0) OR kind = 'transfer'),
    FOREIGN KEY (business_id, entitlement_id) REFERENCES entitlements (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX entitlement_movements_by_entitlement ON entitlement_movements (business_id, entitlement_id);
CREATE INDEX entitlement_movements_by_order ON entitlement_movements (business_id, order_id) WHERE order_id IS NOT NULL;
CREATE TRIGGER entitlement_movements_no_update BEFORE UPDATE ON entitlement_movements
BEGIN SELECT RAISE(ABORT, 'entitlement movements are append-only'); END;
CREATE TRIGGER entitlement_movements_no_delete BEFORE DELETE ON entitlement_movements
BEGIN SELECT RAISE(ABORT, 'entitlement movements are append-only'); END;
-- Defence in depth behind the Store's check: no movement takes a balance below zero.
CREATE TRIGGER entitlement_movements_never_negative BEFORE INSERT ON entitlement_movements
WHEN NEW.credits < 0 AND (SELECT COALESCE(SUM(credits), 0) FROM entitlement_movements
                          WHERE business_id = NEW.business_id AND entitlement_id = NEW.entitlement_id) + NEW.credits < 0
BEGIN SELECT RAISE(ABORT, 'an entitlement balance cannot go below zero'); END;
