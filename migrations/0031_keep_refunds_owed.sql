-- Refunds owed (issue 16): a refund a cancellation owes is kept in payment_intents (purpose 'refund')
-- from the cancelling transaction on: 'open' until Stripe has made it ('succeeded'), 'failed' when
-- Stripe refused (owed, shown to staff, listed by `bizing payments reconcile`). 0030 allowed only the
-- purposes of real PaymentIntents; SQLite cannot change a CHECK, so the table is rebuilt, rows unchanged.
-- Depends on 0030.
CREATE TABLE payment_intents_new (
    business_id     INTEGER NOT NULL REFERENCES businesses (id),
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL,
    stripe_id       TEXT NOT NULL UNIQUE CHECK (length(stripe_id) BETWEEN 3 AND 255),
    client_secret   TEXT NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('booking', 'no_show_fee', 'reschedule', 'refund')),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    stripe_customer TEXT,
    payment_method  TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'succeeded', 'failed', 'canceled')),
    last_error      TEXT NOT NULL DEFAULT '',
    access_token_sealed BLOB,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
INSERT INTO payment_intents_new SELECT * FROM payment_intents;
DROP TABLE payment_intents;
ALTER TABLE payment_intents_new RENAME TO payment_intents;
CREATE INDEX payment_intents_by_order ON payment_intents (business_id, order_id);
-- The sweep's question: refunds still owed, oldest first.
CREATE INDEX payment_intents_owed ON payment_intents (created_at) WHERE purpose = 'refund' AND status = 'open';
