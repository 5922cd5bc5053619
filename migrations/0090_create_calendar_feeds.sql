-- Calendar subscription feeds (issue 15): a member's private /feeds/{token}.ics. Only a SHA-256 of
-- the token is kept; a member has at most one live feed per business and scope (a new one revokes
-- the old). What a feed shows is decided when it is read, from the member's role at that moment.
CREATE TABLE calendar_feeds (
    id          INTEGER PRIMARY KEY,
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    scope       TEXT NOT NULL CHECK (scope IN ('mine', 'business')),
    token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER CHECK (revoked_at IS NULL OR revoked_at >= created_at)
) STRICT;
CREATE UNIQUE INDEX calendar_feeds_live ON calendar_feeds (business_id, user_id, scope) WHERE revoked_at IS NULL;
CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id);
