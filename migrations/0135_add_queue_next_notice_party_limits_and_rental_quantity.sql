-- Issue 21, the rest. (1) A ticket is told it is next in line once: the moment it was told is kept,
-- so the message is written exactly once per ticket, in the transaction that made it first.
ALTER TABLE queue_tickets ADD COLUMN next_notified_at INTEGER;

-- (2) The owner's party size limits of a queue (tickets themselves are 1 to 20 people, 0081).
ALTER TABLE queues ADD COLUMN min_party_size INTEGER NOT NULL DEFAULT 1 CHECK (min_party_size BETWEEN 1 AND 20);
ALTER TABLE queues ADD COLUMN max_party_size INTEGER NOT NULL DEFAULT 20
    CHECK (max_party_size BETWEEN 1 AND 20 AND max_party_size >= min_party_size);

-- (3) Rentals of more than one item of a capacity asset (3 of the 12 kayaks): an assignment takes
-- `units` of its resource's capacity. Everything else takes one, as before.
ALTER TABLE resource_assignments ADD COLUMN units INTEGER NOT NULL DEFAULT 1 CHECK (units BETWEEN 1 AND 10000);

-- (4) Service times per service and server (the estimates' per-server moving average).
CREATE INDEX queue_tickets_served_by ON queue_tickets (business_id, queue_id, service_id, resource_id, finished_at)
    WHERE status = 'done';
