-- Issue 18: a membership paid online. With Stripe connected, a customer subscribes by card
-- (`pay_method` = 'card'): the first month is a PaymentIntent that also saves the card (a Stripe
-- customer and payment method, kept on the subscription) and each later period is charged to it
-- off-session by the worker. Without Stripe (`pay_method` = 'venue') staff record months paid, as before.
-- A card-paid period's credits are withheld until it is paid: its lot starts empty and the `grant`
-- movement is appended in the transaction that records the money.
-- After the last failed retry the membership is suspended: it ends at once (`suspended_at`).
ALTER TABLE membership_subscriptions ADD COLUMN pay_method TEXT NOT NULL DEFAULT 'venue' CHECK (pay_method IN ('venue', 'card'));
ALTER TABLE membership_subscriptions ADD COLUMN stripe_customer TEXT CHECK (stripe_customer IS NULL OR length(stripe_customer) BETWEEN 3 AND 255);
ALTER TABLE membership_subscriptions ADD COLUMN payment_method TEXT CHECK (payment_method IS NULL OR length(payment_method) BETWEEN 3 AND 255);
ALTER TABLE membership_subscriptions ADD COLUMN suspended_at INTEGER;
-- A subscription leaves `pending` once (to `active`, or `ended` when abandoned), an active one only
-- ends, an ended one never comes back; whose it is, of which plan and how it is paid never change.
CREATE TRIGGER membership_subscriptions_status_once BEFORE UPDATE ON membership_subscriptions
WHEN NEW.plan_id IS NOT OLD.plan_id OR NEW.user_id IS NOT OLD.user_id OR NEW.business_id IS NOT OLD.business_id
  OR NEW.pay_method IS NOT OLD.pay_method
  OR (NEW.status IS NOT OLD.status AND NOT ((OLD.status = 'pending' AND NEW.status IN ('active', 'ended'))
                                           OR (OLD.status = 'active' AND NEW.status = 'ended')))
BEGIN SELECT RAISE(ABORT, 'a membership leaves pending once, and only ends after that'); END;

-- Each attempt to take a month's money by card, written before Stripe is called (its idempotency key
-- derives from the subscription, the period and the attempt, so a rerun never charges twice), its
-- outcome after. `session` 'on': the customer pays on the page (the first month, or a month whose
-- renewal failed); 'off': the worker charges the saved card at `due_at`. Leaves `started` once.
CREATE TABLE membership_charges (
    business_id     INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    period_idx      INTEGER NOT NULL CHECK (period_idx >= 0),
    attempt         INTEGER NOT NULL CHECK (attempt >= 1),
    session         TEXT NOT NULL CHECK (session IN ('on', 'off')),
    idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 8 AND 255),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    due_at          INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'started' CHECK (status IN ('started', 'succeeded', 'failed', 'abandoned')),
    stripe_intent   TEXT UNIQUE CHECK (stripe_intent IS NULL OR length(stripe_intent) BETWEEN 3 AND 255),
    client_secret   TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (business_id, subscription_id, period_idx, attempt),
    FOREIGN KEY (business_id, subscription_id) REFERENCES membership_subscriptions (business_id, id)
) STRICT;
CREATE INDEX membership_charges_due ON membership_charges (status, session, due_at) WHERE status = 'started';
CREATE TRIGGER membership_charges_once BEFORE UPDATE ON membership_charges
WHEN NEW.business_id IS NOT OLD.business_id OR NEW.subscription_id IS NOT OLD.subscription_id OR NEW.period_idx IS NOT OLD.period_idx
  OR NEW.attempt IS NOT OLD.attempt OR NEW.session IS NOT OLD.session OR NEW.idempotency_key IS NOT OLD.idempotency_key
  OR NEW.amount IS NOT OLD.amount OR NEW.currency IS NOT OLD.currency
  OR (NEW.status IS NOT OLD.status AND OLD.status <> 'started')
  OR (OLD.stripe_intent IS NOT NULL AND NEW.stripe_intent IS NOT OLD.stripe_intent)
BEGIN SELECT RAISE(ABORT, 'a membership charge leaves started once'); END;
CREATE TRIGGER membership_charges_no_delete BEFORE DELETE ON membership_charges
BEGIN SELECT RAISE(ABORT, 'membership charges are kept'); END;

-- The money of memberships, append-only like purchase_payments: one row per month paid (by Stripe,
-- at the venue or in cash), at most one per Stripe object.
CREATE TABLE membership_payments (
    business_id     INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    period_idx      INTEGER NOT NULL CHECK (period_idx >= 0),
    kind            TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
    amount          INTEGER NOT NULL,
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    method          TEXT NOT NULL CHECK (method IN ('stripe', 'at_venue', 'cash')),
    stripe_id       TEXT CHECK (stripe_id IS NULL OR length(stripe_id) BETWEEN 3 AND 255),
    recorded_by     TEXT NOT NULL,
    at              INTEGER NOT NULL,
    CHECK ((kind = 'charge' AND amount >= 0) OR (kind = 'refund' AND amount <= 0)),
    CHECK ((method = 'stripe') = (stripe_id IS NOT NULL)),
    FOREIGN KEY (business_id, subscription_id) REFERENCES membership_subscriptions (business_id, id)
) STRICT;
CREATE INDEX membership_payments_by_subscription ON membership_payments (business_id, subscription_id, period_idx);
CREATE UNIQUE INDEX membership_payments_stripe_once ON membership_payments (business_id, kind, stripe_id) WHERE stripe_id IS NOT NULL;
CREATE TRIGGER membership_payments_no_update BEFORE UPDATE ON membership_payments
BEGIN SELECT RAISE(ABORT, 'membership payments are append-only'); END;
CREATE TRIGGER membership_payments_no_delete BEFORE DELETE ON membership_payments
BEGIN SELECT RAISE(ABORT, 'membership payments are append-only'); END;
