-- Money Stripe took for a membership month that cannot be granted (the membership was given up, or
-- the month was paid at the desk meanwhile) goes back by itself: one refund owed per such intent,
-- written in the transaction that recorded the money, made by the worker with an idempotency key
-- derived from the intent (so never twice), then `succeeded` with Stripe's refund id (and a
-- `refund` row in membership_payments), or `failed` with Stripe's reason for staff to settle.
CREATE TABLE membership_refunds (
    business_id     INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    period_idx      INTEGER NOT NULL CHECK (period_idx >= 0),
    stripe_intent   TEXT NOT NULL UNIQUE CHECK (length(stripe_intent) BETWEEN 3 AND 255),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'succeeded', 'failed')),
    stripe_refund   TEXT CHECK (stripe_refund IS NULL OR length(stripe_refund) BETWEEN 3 AND 255),
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((status = 'succeeded') = (stripe_refund IS NOT NULL)),
    FOREIGN KEY (business_id, subscription_id) REFERENCES membership_subscriptions (business_id, id)
) STRICT;
CREATE INDEX membership_refunds_open ON membership_refunds (created_at) WHERE status = 'open';
CREATE TRIGGER membership_refunds_once BEFORE UPDATE ON membership_refunds
WHEN NEW.business_id IS NOT OLD.business_id OR NEW.subscription_id IS NOT OLD.subscription_id OR NEW.period_idx IS NOT OLD.period_idx
  OR NEW.stripe_intent IS NOT OLD.stripe_intent OR NEW.amount IS NOT OLD.amount OR NEW.currency IS NOT OLD.currency
  OR (NEW.status IS NOT OLD.status AND OLD.status <> 'open')
BEGIN SELECT RAISE(ABORT, 'a membership refund leaves open once'); END;
CREATE TRIGGER membership_refunds_no_delete BEFORE DELETE ON membership_refunds
BEGIN SELECT RAISE(ABORT, 'membership refunds are kept'); END;
