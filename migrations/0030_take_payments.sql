-- Payments through Stripe (issue 16). A business connects its own Stripe account; its secret key and
-- webhook signing secret are stored sealed (AES-GCM under BIZING_SECRET_KEY), never in clear.
CREATE TABLE payment_accounts (
    business_id          INTEGER PRIMARY KEY REFERENCES businesses (id),
    secret_key_sealed    BLOB NOT NULL,
    webhook_secret_sealed BLOB NOT NULL,
    publishable_key      TEXT NOT NULL CHECK (length(publishable_key) BETWEEN 8 AND 255),
    secret_key_hint      TEXT NOT NULL,      -- masked, for display: sk_test_…1234
    webhook_secret_hint  TEXT NOT NULL,
    reschedule_policy    TEXT NOT NULL DEFAULT 'keep_price' CHECK (reschedule_policy IN ('keep_price', 'charge_difference')),
    connected_at         INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;

-- Every PaymentIntent Bizing created, with what it is for. `status` mirrors Stripe's as last seen.
CREATE TABLE payment_intents (
    business_id     INTEGER NOT NULL REFERENCES businesses (id),
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL,
    stripe_id       TEXT NOT NULL UNIQUE CHECK (length(stripe_id) BETWEEN 3 AND 255),
    client_secret   TEXT NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('booking', 'no_show_fee', 'reschedule')),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    stripe_customer TEXT,
    payment_method  TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'succeeded', 'failed', 'canceled')),
    last_error      TEXT NOT NULL DEFAULT '',
    access_token_sealed BLOB,              -- the guest link's token, for the confirmation sent from the webhook
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX payment_intents_by_order ON payment_intents (business_id, order_id);

-- Stripe events already handled (webhooks are at least once): one row per event id.
CREATE TABLE stripe_events (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    event_id    TEXT NOT NULL CHECK (length(event_id) BETWEEN 3 AND 255),
    type        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (business_id, event_id)
) STRICT;

-- What is due online at booking, fixed when the payment is asked for (0: nothing, pay at the venue).
ALTER TABLE booking_orders ADD COLUMN payment_due INTEGER NOT NULL DEFAULT 0 CHECK (payment_due >= 0);

-- The ledger gains the Stripe object each movement came from and the dispute kind. Rebuilt (SQLite
-- cannot change a CHECK); rows are copied unchanged. A Stripe object is recorded once per kind.
CREATE TABLE ledger_entries_new (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('charge', 'deposit', 'refund', 'fee', 'credit', 'dispute')),
    amount      INTEGER NOT NULL,
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    method      TEXT NOT NULL CHECK (method IN ('card_on_file', 'cash', 'at_venue', 'none', 'stripe')),
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    stripe_id   TEXT CHECK (stripe_id IS NULL OR length(stripe_id) BETWEEN 3 AND 255),
    CHECK ((kind IN ('charge', 'deposit', 'fee') AND amount >= 0) OR (kind IN ('refund', 'credit', 'dispute') AND amount <= 0)),
    CHECK (method != 'stripe' OR stripe_id IS NOT NULL),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
INSERT INTO ledger_entries_new (business_id, id, order_id, kind, amount, currency, method, at, note)
    SELECT business_id, id, order_id, kind, amount, currency, method, at, note FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;
CREATE INDEX ledger_entries_by_order ON ledger_entries (business_id, order_id);
CREATE UNIQUE INDEX ledger_entries_stripe_once ON ledger_entries (business_id, kind, stripe_id) WHERE stripe_id IS NOT NULL;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
