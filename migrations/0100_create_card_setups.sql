-- Cards saved for a no-show fee when nothing is due at booking (issue 16): the hold gets a Stripe
-- SetupIntent instead of a PaymentIntent, and becomes the booking once Stripe says the card is set
-- up (the redirect back, the card step or `setup_intent.succeeded`, whichever comes first). The
-- saved card (customer and payment method) is what a no-show fee is charged to, off-session.
-- A new table: payment_intents' purposes are fixed by its CHECK and it is not rebuilt again.
-- Depends on 0002 (booking_orders) and 0030 (payments).
CREATE TABLE card_setups (
    business_id         INTEGER NOT NULL REFERENCES businesses (id),
    id                  INTEGER PRIMARY KEY,
    order_id            INTEGER NOT NULL,
    stripe_id           TEXT NOT NULL UNIQUE CHECK (length(stripe_id) BETWEEN 3 AND 255),
    client_secret       TEXT NOT NULL,
    stripe_customer     TEXT NOT NULL CHECK (length(stripe_customer) BETWEEN 3 AND 255),
    payment_method      TEXT CHECK (payment_method IS NULL OR length(payment_method) BETWEEN 3 AND 255),
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'succeeded', 'failed', 'canceled')),
    last_error          TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 500),
    -- The guest link's token, for the confirmation sent when the webhook is first.
    access_token_sealed BLOB,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK (status != 'succeeded' OR payment_method IS NOT NULL),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX card_setups_by_order ON card_setups (business_id, order_id);
