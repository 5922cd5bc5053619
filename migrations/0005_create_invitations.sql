-- Team invitations (issue 5): a link carrying a random token (only its SHA-256 is stored), for one
-- email and one role, valid until it expires, is accepted once, or is revoked.
CREATE TABLE invitations (
    business_id  INTEGER NOT NULL REFERENCES businesses (id),
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    email        TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'staff', 'provider', 'client')),
    resource_id  INTEGER,
    created_by   INTEGER REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL CHECK (expires_at > created_at),
    accepted_at  INTEGER,
    accepted_by  INTEGER REFERENCES users (id),
    revoked_at   INTEGER,
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id)
) STRICT;
CREATE INDEX invitations_by_business ON invitations (business_id, created_at);
