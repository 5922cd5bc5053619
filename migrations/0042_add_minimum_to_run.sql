-- Minimum to run (issue 17): a class version may set the fewest people a session runs with and how
-- many hours before its start that is decided. 0: no minimum.
ALTER TABLE offer_versions ADD COLUMN min_participants INTEGER NOT NULL DEFAULT 0 CHECK (min_participants BETWEEN 0 AND 10000);
ALTER TABLE offer_versions ADD COLUMN decide_hours_before INTEGER NOT NULL DEFAULT 24 CHECK (decide_hours_before BETWEEN 0 AND 720);

-- Sessions the worker has decided, so each is decided once.
CREATE TABLE session_decisions (
    business_id  INTEGER NOT NULL REFERENCES businesses (id),
    offer_id     INTEGER NOT NULL,
    starts_at    INTEGER NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('runs', 'cancelled')),
    participants INTEGER NOT NULL CHECK (participants >= 0),
    decided_at   INTEGER NOT NULL,
    PRIMARY KEY (business_id, offer_id, starts_at),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;
