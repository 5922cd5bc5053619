-- Issue 18: a customer buys a package or a gift card online. A purchase is reserved first (status
-- `pending`): paid by card through a Stripe PaymentIntent (`method` = 'card'), or at the venue, where
-- staff record it as paid or cancel it (`method` = 'at_venue'). Only a `pending` purchase moves, once,
-- to `paid` (naming the lot of credits or the gift card it granted) or `cancelled`; what it sells and
-- for how much never changes. The money goes into purchase_payments, an append-only ledger like the
-- bookings' (ledger_entries names a booking, a purchase is none), one row per Stripe object.
CREATE TABLE product_purchases (
    business_id          INTEGER NOT NULL REFERENCES businesses (id),
    id                   INTEGER PRIMARY KEY,
    public_id            TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
    user_id              INTEGER NOT NULL REFERENCES users (id),
    kind                 TEXT NOT NULL CHECK (kind IN ('package', 'gift_card')),
    package_id           INTEGER,
    gift_card_product_id INTEGER,
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    amount               INTEGER NOT NULL CHECK (amount >= 0),
    currency             TEXT NOT NULL CHECK (length(currency) = 3),
    method               TEXT NOT NULL CHECK (method IN ('card', 'at_venue')),
    status               TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'cancelled')),
    stripe_intent        TEXT UNIQUE CHECK (stripe_intent IS NULL OR length(stripe_intent) BETWEEN 3 AND 255),
    client_secret        TEXT NOT NULL DEFAULT '',
    last_error           TEXT NOT NULL DEFAULT '',
    entitlement_id       INTEGER UNIQUE,
    gift_card_id         INTEGER UNIQUE,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    UNIQUE (business_id, id),
    CHECK ((kind = 'package') = (package_id IS NOT NULL)),
    CHECK ((kind = 'gift_card') = (gift_card_product_id IS NOT NULL)),
    CHECK (method = 'card' OR stripe_intent IS NULL),
    CHECK ((status = 'paid') = (entitlement_id IS NOT NULL OR gift_card_id IS NOT NULL)),
    CHECK (entitlement_id IS NULL OR kind = 'package'),
    CHECK (gift_card_id IS NULL OR kind = 'gift_card'),
    FOREIGN KEY (business_id, package_id) REFERENCES packages (business_id, id),
    FOREIGN KEY (business_id, gift_card_product_id) REFERENCES gift_card_products (business_id, id),
    FOREIGN KEY (business_id, entitlement_id) REFERENCES entitlements (business_id, id),
    FOREIGN KEY (business_id, gift_card_id) REFERENCES gift_cards (business_id, id)
) STRICT;
CREATE INDEX product_purchases_by_user ON product_purchases (user_id, business_id);
CREATE INDEX product_purchases_pending ON product_purchases (business_id, status, method);
-- What is sold, to whom and for how much is fixed; the status moves only out of `pending`, once; the
-- intent is set once.
CREATE TRIGGER product_purchases_fixed BEFORE UPDATE ON product_purchases
WHEN NEW.business_id IS NOT OLD.business_id OR NEW.public_id IS NOT OLD.public_id OR NEW.user_id IS NOT OLD.user_id
  OR NEW.kind IS NOT OLD.kind OR NEW.package_id IS NOT OLD.package_id OR NEW.gift_card_product_id IS NOT OLD.gift_card_product_id
  OR NEW.amount IS NOT OLD.amount OR NEW.currency IS NOT OLD.currency OR NEW.method IS NOT OLD.method
  OR (NEW.status IS NOT OLD.status AND OLD.status <> 'pending')
  OR (OLD.stripe_intent IS NOT NULL AND NEW.stripe_intent IS NOT OLD.stripe_intent)
  OR (OLD.entitlement_id IS NOT NULL AND NEW.entitlement_id IS NOT OLD.entitlement_id)
  OR (OLD.gift_card_id IS NOT NULL AND NEW.gift_card_id IS NOT OLD.gift_card_id)
BEGIN SELECT RAISE(ABORT, 'a purchase only moves from pending to paid or cancelled, once'); END;
CREATE TRIGGER product_purchases_no_delete BEFORE DELETE ON product_purchases
BEGIN SELECT RAISE(ABORT, 'purchases are kept: cancel instead'); END;

CREATE TABLE purchase_payments (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    purchase_id INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
    amount      INTEGER NOT NULL,
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    method      TEXT NOT NULL CHECK (method IN ('stripe', 'at_venue', 'cash')),
    stripe_id   TEXT CHECK (stripe_id IS NULL OR length(stripe_id) BETWEEN 3 AND 255),
    recorded_by TEXT NOT NULL,
    at          INTEGER NOT NULL,
    CHECK ((kind = 'charge' AND amount >= 0) OR (kind = 'refund' AND amount <= 0)),
    CHECK ((method = 'stripe') = (stripe_id IS NOT NULL)),
    FOREIGN KEY (business_id, purchase_id) REFERENCES product_purchases (business_id, id)
) STRICT;
CREATE INDEX purchase_payments_by_purchase ON purchase_payments (business_id, purchase_id);
CREATE UNIQUE INDEX purchase_payments_stripe_once ON purchase_payments (business_id, kind, stripe_id) WHERE stripe_id IS NOT NULL;
CREATE TRIGGER purchase_payments_no_update BEFORE UPDATE ON purchase_payments
BEGIN SELECT RAISE(ABORT, 'purchase payments are append-only'); END;
CREATE TRIGGER purchase_payments_no_delete BEFORE DELETE ON purchase_payments
BEGIN SELECT RAISE(ABORT, 'purchase payments are append-only'); END;
