-- The outbox's CHECKs on kind and status, as chains of equalities instead of IN lists. SQLite builds a
-- temporary b-tree for an IN list of more than two constants every time a statement that checks it
-- runs: two per row inserted, four per booking (a confirmation and a reminder), about 15,000
-- instructions each on the serial writer. The same values are allowed; nothing else changes.
-- Nothing references the outbox, so it is rebuilt in place as 0020 did.
CREATE TABLE outbox_rebuilt (
    business_id     INTEGER REFERENCES businesses (id),
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind = 'confirmation' OR kind = 'reschedule' OR kind = 'cancellation' OR kind = 'reminder'
                             OR kind = 'staff_alert' OR kind = 'approval_requested' OR kind = 'approved' OR kind = 'declined'
                             OR kind = 'waitlist_offer' OR kind = 'password_reset' OR kind = 'webhook_disabled'),
    recipient_email TEXT NOT NULL CHECK (length(recipient_email) BETWEEN 3 AND 254),
    recipient_name  TEXT NOT NULL DEFAULT '' CHECK (length(recipient_name) <= 200),
    subject         TEXT NOT NULL DEFAULT '' CHECK (length(subject) <= 500),
    data            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    message_id      TEXT NOT NULL CHECK (length(message_id) BETWEEN 16 AND 100),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'sending' OR status = 'sent' OR status = 'failed'
                                                 OR status = 'withdrawn'),
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
INSERT INTO outbox_rebuilt (business_id, id, kind, recipient_email, recipient_name, subject, data, message_id, status, attempts, next_attempt_at, claimed_until,
    last_error, created_at, sent_at, order_id)
SELECT business_id, id, kind, recipient_email, recipient_name, subject, data, message_id, status, attempts, next_attempt_at, claimed_until,
    last_error, created_at, sent_at, order_id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_by_business ON outbox (business_id, id);
CREATE INDEX outbox_by_order ON outbox (business_id, order_id) WHERE order_id IS NOT NULL;
