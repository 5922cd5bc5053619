-- Tenancy, identity and governance. Instants are UTC UNIX seconds (INTEGER).
-- Every business row carries business_id; references between business rows include it
-- (composite keys), so a row can never point at another business's row.

CREATE TABLE businesses (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 60 AND slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    timezone    TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'paused')),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE locations (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    address     TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, id)
) STRICT;

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    password_hash       TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
) STRICT;

-- Only a SHA-256 of the session token is stored; the token lives in the visitor's cookie.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300),
    ip           TEXT NOT NULL DEFAULT '' CHECK (length(ip) <= 64)
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE memberships (
    business_id  INTEGER NOT NULL REFERENCES businesses (id),
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'staff', 'provider', 'client')),
    location_id  INTEGER,            -- optional scope
    resource_id  INTEGER,            -- a provider's host resource (its foreign key arrives with resources)
    created_at   INTEGER NOT NULL,
    UNIQUE (business_id, user_id),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, location_id) REFERENCES locations (business_id, id)
) STRICT;
CREATE INDEX memberships_by_user ON memberships (user_id);

-- People a user books for (a parent for a child).
CREATE TABLE household_members (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    relationship TEXT NOT NULL DEFAULT '' CHECK (length(relationship) <= 60),
    birth_date   TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX household_members_by_user ON household_members (user_id);

-- Security events of an account (log-in, failed log-in, log-out, password change): append-only.
CREATE TABLE account_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    email      TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
    ip         TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX account_events_by_user ON account_events (user_id, at);
CREATE TRIGGER account_events_no_update BEFORE UPDATE ON account_events
BEGIN SELECT RAISE(ABORT, 'account events are append-only'); END;
CREATE TRIGGER account_events_no_delete BEFORE DELETE ON account_events
BEGIN SELECT RAISE(ABORT, 'account events are append-only'); END;

-- Per-business hash-chained audit log: each entry's hash covers its content and the previous hash.
CREATE TABLE audit_log (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),   -- "user:12", "api_key:3", "system"
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 80),   -- "booking.create"
    subject     TEXT NOT NULL DEFAULT '' CHECK (length(subject) <= 200), -- "booking:41"
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (business_id, seq)
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
