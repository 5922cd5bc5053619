-- The email outbox (issue 14): one row per message, written in the same transaction as the change
-- that causes it (a booking, a cancellation, a move, a password reset request), delivered afterwards
-- by the Jobs worker, at least once, with the same Message-ID on every attempt.
-- Depends on 0001 (businesses, users) and 0002 (booking_orders).

CREATE TABLE outbox (
    -- NULL only for account messages (a password reset), which belong to no business.
    business_id     INTEGER REFERENCES businesses (id),
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder', 'staff_alert',
                                                  'approval_requested', 'approved', 'declined', 'waitlist_offer',
                                                  'password_reset')),
    recipient_email TEXT NOT NULL CHECK (length(recipient_email) BETWEEN 3 AND 254),
    recipient_name  TEXT NOT NULL DEFAULT '' CHECK (length(recipient_name) <= 200),
    -- Filled by the worker when it renders the message (the owner's list shows it); '' until then.
    subject         TEXT NOT NULL DEFAULT '' CHECK (length(subject) <= 500),
    -- What the templates need beyond the order itself (a refund, the previous start, a link token).
    -- Secrets in it (a guest token, a reset token) are removed once the message is sent.
    data            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    -- The unique left part of the Message-ID (<message_id@sender domain>): the same on every attempt.
    message_id      TEXT NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 16 AND 100),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'withdrawn')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    -- While 'sending': the lease. A worker that dies mid-send leaves the row to be claimed again after it.
    claimed_until   INTEGER,
    last_error      TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 1000),
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    order_id        INTEGER,
    CHECK (business_id IS NOT NULL OR kind = 'password_reset'),
    CHECK (order_id IS NULL OR business_id IS NOT NULL),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
-- The worker's claim: due rows (pending whose time has come, or sending whose lease ran out).
CREATE INDEX outbox_due ON outbox (status, next_attempt_at) WHERE status IN ('pending', 'sending');
-- The owner's list, newest first.
CREATE INDEX outbox_by_business ON outbox (business_id, id);
-- Reminders of an order are moved or withdrawn with it.
CREATE INDEX outbox_by_order ON outbox (business_id, order_id) WHERE order_id IS NOT NULL;

-- Per-business email settings; no row: the defaults (a reminder 24 hours before, no second one,
-- replies go to the sender).
CREATE TABLE business_email_settings (
    business_id             INTEGER PRIMARY KEY REFERENCES businesses (id),
    -- Minutes before the start; NULL: no such reminder.
    reminder_minutes        INTEGER CHECK (reminder_minutes IS NULL OR reminder_minutes BETWEEN 5 AND 43200),
    second_reminder_minutes INTEGER CHECK (second_reminder_minutes IS NULL OR second_reminder_minutes BETWEEN 5 AND 43200),
    reply_to                TEXT NOT NULL DEFAULT '' CHECK (length(reply_to) <= 254),
    updated_at              INTEGER NOT NULL
) STRICT;

-- Password reset tokens: only a SHA-256 is stored; single use, valid for one hour.
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
    used_at    INTEGER
) STRICT;
CREATE INDEX password_resets_by_user ON password_resets (user_id);
