-- Webhooks (issue 15): a business's subscriptions, one delivery row per (event, subscription) written
-- in the transaction that causes the event (DomainEvents.emit), and a log of every attempt. Delivered
-- by the Jobs worker (the same one that sends the email outbox), at least once, with the same
-- Bizing-Delivery id on every attempt.
-- Depends on 0001 (businesses), 0002 (booking_orders, api_keys).

CREATE TABLE webhook_subscriptions (
    business_id   INTEGER NOT NULL REFERENCES businesses (id),
    id            INTEGER PRIMARY KEY,
    -- `wh_` and 32 hex digits: the id the API and the pages use.
    public_id     TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 8 AND 60),
    url           TEXT NOT NULL CHECK (length(url) BETWEEN 10 AND 2000),
    -- A JSON array of event names (DomainEventType raw values), at least one.
    events        TEXT NOT NULL CHECK (json_valid(events) AND json_array_length(events) BETWEEN 1 AND 20),
    -- The signing secret (`whsec_` and 64 hex digits), stored AS IS: HMAC needs the secret itself, so
    -- a hash would not do; encrypting it with BIZING_SECRET_KEY is the better home once that key
    -- exists on main (issue 17). Whoever reads this database can forge this business's webhooks.
    secret        TEXT NOT NULL CHECK (length(secret) BETWEEN 32 AND 100),
    -- Whose eyes the payload is masked for: the creating API key's role (a page: the member's role).
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'staff', 'provider', 'client')),
    api_key_id    INTEGER,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    -- Set by the first failed attempt after a success (or ever); cleared by a success. A day of it
    -- disables the subscription and emails the owners.
    failing_since INTEGER,
    disabled_at   INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, api_key_id) REFERENCES api_keys (business_id, id)
) STRICT;
-- DomainEvents.emit's first question, asked inside every booking transaction: does this business
-- have an active subscription? (A partial index: businesses without any answer from an empty range.)
CREATE INDEX webhook_subscriptions_active ON webhook_subscriptions (business_id) WHERE status = 'active';

CREATE TABLE webhook_deliveries (
    business_id      INTEGER NOT NULL,
    id               INTEGER PRIMARY KEY,
    subscription_id  INTEGER NOT NULL,
    -- `dlv_` and 32 hex digits: Bizing-Delivery, the same on every attempt and redelivery.
    public_id        TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 8 AND 60),
    -- `evt_` and 32 hex digits: the payload's id, shared by the deliveries of one event.
    event_id         TEXT NOT NULL CHECK (length(event_id) BETWEEN 8 AND 60),
    event_type       TEXT NOT NULL CHECK (event_type IN ('booking.created', 'booking.confirmed', 'booking.rescheduled',
                                                         'booking.cancelled', 'booking.checked_in', 'booking.completed',
                                                         'booking.no_show', 'booking.approved', 'booking.declined',
                                                         'waitlist.offered', 'payment.succeeded', 'payment.refunded')),
    order_id         INTEGER,
    created_at       INTEGER NOT NULL,
    -- The request body, written by the worker at the first attempt (the booking as it is then, masked
    -- for the subscription's role) and sent unchanged by every later attempt. NULL before.
    payload          TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  INTEGER NOT NULL,
    -- While 'sending': the lease (a worker that dies mid-send leaves the row to be claimed again).
    claimed_until    INTEGER,
    last_status_code INTEGER,
    delivered_at     INTEGER,
    FOREIGN KEY (business_id, subscription_id) REFERENCES webhook_subscriptions (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id);

-- Every attempt of a delivery, for the owner's log: what was sent (the signature; the body is the
-- delivery's payload) and what came back (status, the first 2 KB of the body, how long it took).
CREATE TABLE webhook_attempts (
    delivery_id   INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    at            INTEGER NOT NULL,
    url           TEXT NOT NULL,
    signature     TEXT NOT NULL,
    -- NULL: no HTTP answer (refused destination, connection failure, timeout).
    status_code   INTEGER,
    response_body TEXT NOT NULL DEFAULT '' CHECK (length(CAST(response_body AS BLOB)) <= 2048),
    duration_ms   INTEGER NOT NULL CHECK (duration_ms >= 0),
    error         TEXT NOT NULL DEFAULT '' CHECK (length(error) <= 1000),
    PRIMARY KEY (delivery_id, number)
) STRICT;

-- The owners' email when a subscription is disabled after a day of failures: the outbox's kinds
-- gain 'webhook_disabled' (a CHECK cannot be altered in SQLite, so the table is rebuilt as 0012
-- made it, with the same rows, ids and indexes).
CREATE TABLE outbox_rebuilt (
    business_id     INTEGER REFERENCES businesses (id),
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder', 'staff_alert',
                                                  'approval_requested', 'approved', 'declined', 'waitlist_offer',
                                                  'password_reset', 'webhook_disabled')),
    recipient_email TEXT NOT NULL CHECK (length(recipient_email) BETWEEN 3 AND 254),
    recipient_name  TEXT NOT NULL DEFAULT '' CHECK (length(recipient_name) <= 200),
    subject         TEXT NOT NULL DEFAULT '' CHECK (length(subject) <= 500),
    data            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    message_id      TEXT NOT NULL CHECK (length(message_id) BETWEEN 16 AND 100),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'withdrawn')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    last_error      TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 1000),
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    order_id        INTEGER,
    CHECK (business_id IS NOT NULL OR kind = 'password_reset'),
    CHECK (order_id IS NULL OR business_id IS NOT NULL),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
INSERT INTO outbox_rebuilt SELECT business_id, id, kind, recipient_email, recipient_name, subject, data, message_id, status,
    attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at, order_id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_by_business ON outbox (business_id, id);
CREATE INDEX outbox_by_order ON outbox (business_id, order_id) WHERE order_id IS NOT NULL;
