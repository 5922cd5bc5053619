-- Programs with attendance (issue 17, UC-14, UC-39): a class offer sold as a course of sessions at
-- fixed dates. offers.mode keeps its CHECK (widening it means rebuilding offers, which half the
-- schema references): a program is a class offer named in `programs`. Its published version says
-- what every session is (length, resources, seats = places in the course, price = the whole
-- course); runs are the courses on sale, each with its dated sessions.
CREATE TABLE programs (
    business_id     INTEGER NOT NULL REFERENCES businesses (id),
    offer_id        INTEGER NOT NULL,
    makeups_allowed INTEGER NOT NULL DEFAULT 0 CHECK (makeups_allowed IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (business_id, offer_id),
    FOREIGN KEY (business_id, offer_id) REFERENCES offers (business_id, id)
) STRICT;

-- One course of a program ("January, Tuesdays 18:00").
CREATE TABLE program_runs (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
    offer_id    INTEGER NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, offer_id) REFERENCES programs (business_id, offer_id)
) STRICT;

-- A run's sessions. A start belongs to one run of the offer, so the engine's class seats at that
-- start (offer and start) are the session's seats.
CREATE TABLE program_sessions (
    business_id INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL,
    offer_id    INTEGER NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at),
    UNIQUE (business_id, offer_id, starts_at),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, run_id) REFERENCES program_runs (business_id, id)
) STRICT;
CREATE INDEX program_sessions_by_run ON program_sessions (business_id, run_id, starts_at);

-- Which orders belong to a program: a course (one order, one fulfillment unit per session of its
-- run) or a make-up (one unit in a session of another run, for a missed unit of a course).
CREATE TABLE program_orders (
    business_id    INTEGER NOT NULL,
    order_id       INTEGER NOT NULL,
    run_id         INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('course', 'makeup')),
    missed_unit_id INTEGER,
    PRIMARY KEY (business_id, order_id),
    CHECK ((kind = 'makeup') = (missed_unit_id IS NOT NULL)),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id),
    FOREIGN KEY (business_id, run_id) REFERENCES program_runs (business_id, id),
    FOREIGN KEY (business_id, missed_unit_id) REFERENCES fulfillment_units (business_id, id)
) STRICT;
CREATE INDEX program_orders_by_run ON program_orders (business_id, run_id);
CREATE INDEX program_orders_by_missed ON program_orders (business_id, missed_unit_id) WHERE missed_unit_id IS NOT NULL;

-- Attendance per session: one mark per fulfillment unit (a course's session, or a make-up).
CREATE TABLE program_attendance (
    business_id INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL,
    order_id    INTEGER NOT NULL,
    session_id  INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('attended', 'absent')),
    marked_at   INTEGER NOT NULL,
    marked_by   TEXT NOT NULL CHECK (length(marked_by) BETWEEN 1 AND 200),
    PRIMARY KEY (business_id, unit_id),
    FOREIGN KEY (business_id, unit_id) REFERENCES fulfillment_units (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id),
    FOREIGN KEY (business_id, session_id) REFERENCES program_sessions (business_id, id)
) STRICT;
