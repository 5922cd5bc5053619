-- Issue 19: a retention setting per business. Customers whose last booking ended `months` calendar
-- months ago (in the business's zone) are erased by the lifecycle jobs with the ordinary erasure
-- (which refuses while a booking is ahead). No row: off, the default. `last_run_at` keeps the pass to
-- once an hour per business.
CREATE TABLE customer_retention (
    business_id INTEGER PRIMARY KEY REFERENCES businesses (id) ON DELETE CASCADE,
    months      INTEGER NOT NULL CHECK (months BETWEEN 1 AND 120),
    last_run_at INTEGER,
    updated_at  INTEGER NOT NULL
) STRICT;
