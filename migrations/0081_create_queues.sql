-- Issue 21: walk-in queues. A queue is sold like an offer but never cut into slots, so it has its
-- own table (offers.mode cannot take 'queue' without rebuilding offers, which other work shares):
-- its opening hours, the services it serves (each with the minutes the owner expects, the prior
-- of the estimates) and the resources that serve it. Tickets keep their place by `seq`; a
-- position is the count of waiting tickets up to and including it, so it is never stored.
CREATE TABLE queues (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 60),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    hours       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hours)),
    status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'paused')),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, slug),
    UNIQUE (business_id, id)
) STRICT;

CREATE TABLE queue_services (
    business_id   INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    queue_id      INTEGER NOT NULL,
    slug          TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 60),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    prior_minutes INTEGER NOT NULL CHECK (prior_minutes BETWEEN 1 AND 1440),
    UNIQUE (business_id, queue_id, slug),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, queue_id) REFERENCES queues (business_id, id)
) STRICT;

CREATE TABLE queue_servers (
    business_id INTEGER NOT NULL,
    queue_id    INTEGER NOT NULL,
    resource_id INTEGER NOT NULL,
    PRIMARY KEY (business_id, queue_id, resource_id),
    FOREIGN KEY (business_id, queue_id) REFERENCES queues (business_id, id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id)
) STRICT;

CREATE TABLE queue_tickets (
    business_id     INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    public_id       TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
    queue_id        INTEGER NOT NULL,
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    service_id      INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'left')),
    customer_name   TEXT NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 120),
    customer_email  TEXT NOT NULL DEFAULT '' CHECK (length(customer_email) <= 254),
    customer_phone  TEXT NOT NULL DEFAULT '' CHECK (length(customer_phone) <= 40),
    party_size      INTEGER NOT NULL DEFAULT 1 CHECK (party_size BETWEEN 1 AND 20),
    source          TEXT NOT NULL CHECK (source IN ('web', 'desk', 'api', 'demo')),
    resource_id     INTEGER,
    joined_at       INTEGER NOT NULL,
    estimate_low    INTEGER NOT NULL CHECK (estimate_low >= 0),
    estimate_high   INTEGER NOT NULL CHECK (estimate_high >= estimate_low),
    called_at       INTEGER,
    started_at      INTEGER,
    finished_at     INTEGER,
    UNIQUE (business_id, queue_id, seq),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, queue_id) REFERENCES queues (business_id, id),
    FOREIGN KEY (business_id, service_id) REFERENCES queue_services (business_id, id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id)
) STRICT;
CREATE INDEX queue_tickets_open ON queue_tickets (business_id, queue_id, seq) WHERE status IN ('waiting', 'called', 'serving');
CREATE INDEX queue_tickets_served ON queue_tickets (business_id, queue_id, service_id, finished_at) WHERE status = 'done';
