-- Issue 18: promo codes. A code takes a percent or an amount off the offers it names (none named:
-- every offer), on business-local dates from/until, within a total and a per-customer limit. Each use
-- is an append-only redemption written in the transaction that discounts the order; the uses of a
-- code are counted there (SQLite has one writer), and a trigger refuses a use beyond the total limit.
CREATE TABLE promo_codes (
    business_id        INTEGER NOT NULL REFERENCES businesses (id),
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL CHECK (length(code) BETWEEN 3 AND 40 AND code = upper(code)),
    kind               TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
    value              INTEGER NOT NULL CHECK (value > 0 AND (kind = 'amount' OR value <= 100)),
    valid_from         TEXT CHECK (valid_from IS NULL OR valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    valid_until        TEXT CHECK (valid_until IS NULL OR valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    total_limit        INTEGER CHECK (total_limit IS NULL OR total_limit > 0),
    per_customer_limit INTEGER CHECK (per_customer_limit IS NULL OR per_customer_limit > 0),
    created_at         INTEGER NOT NULL,
    UNIQUE (business_id, code),
    UNIQUE (business_id, id)
) STRICT;

CREATE TABLE promo_code_offers (
    business_id INTEGER NOT NULL,
    promo_id    INTEGER NOT NULL,
    offer_id    INTEGER NOT NULL,
    PRIMARY KEY (business_id, promo_id, offer_id),
    FOREIGN KEY (business_id, promo_id) REFERENCES promo_codes (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;

CREATE TABLE promo_redemptions (
    business_id    INTEGER NOT NULL,
    id             INTEGER PRIMARY KEY,
    promo_id       INTEGER NOT NULL,
    order_id       INTEGER NOT NULL,
    customer_email TEXT NOT NULL CHECK (length(customer_email) <= 254),
    amount         INTEGER NOT NULL CHECK (amount >= 0),
    at             INTEGER NOT NULL,
    UNIQUE (business_id, order_id),
    FOREIGN KEY (business_id, promo_id) REFERENCES promo_codes (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX promo_redemptions_by_code ON promo_redemptions (business_id, promo_id, customer_email);
CREATE TRIGGER promo_redemptions_no_update BEFORE UPDATE ON promo_redemptions
BEGIN SELECT RAISE(ABORT, 'promo redemptions are append-only'); END;
CREATE TRIGGER promo_redemptions_no_delete BEFORE DELETE ON promo_redemptions
BEGIN SELECT RAISE(ABORT, 'promo redemptions are append-only'); END;
CREATE TRIGGER promo_redemptions_within_limit BEFORE INSERT ON promo_redemptions
WHEN (SELECT total_limit FROM promo_codes WHERE business_id = NEW.business_id AND id = NEW.promo_id) IS NOT NULL
 AND (SELECT COUNT(*) FROM promo_redemptions WHERE business_id = NEW.business_id AND promo_id = NEW.promo_id)
     >= (SELECT total_limit FROM promo_codes WHERE business_id = NEW.business_id AND id = NEW.promo_id)
BEGIN SELECT RAISE(ABORT, 'this promo code has no uses left'); END;
