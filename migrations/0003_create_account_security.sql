-- Account security: the server's secrets and the failed log-in record behind throttling.
-- Depends on 0001 only.

-- Server-wide values generated once (the CSRF key). Never shown, never logged.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    value BLOB NOT NULL
) STRICT;

-- One row per failed log-in, counted per account (the normalised email, whether or not such an
-- account exists) and per client address over a sliding window. Rows older than the window are pruned.
CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    key   TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 254),
    at    INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_by_key ON login_failures (scope, key, at);
CREATE INDEX login_failures_by_age ON login_failures (at);
