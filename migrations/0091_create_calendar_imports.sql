-- Busy-time import (issue 15): a resource subscribes to an external iCalendar URL, fetched by the
-- worker every 15 minutes. What the last good copy makes busy is kept as blocked time of the
-- resource, marked with the import (so the existing triggers move schedule_version and availability
-- sees it at once); a failed fetch keeps those rows and records why.
CREATE TABLE calendar_imports (
    id              INTEGER PRIMARY KEY,
    business_id     INTEGER NOT NULL REFERENCES businesses (id),
    resource_id     INTEGER NOT NULL,
    url             TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    created_at      INTEGER NOT NULL,
    next_fetch_at   INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_success_at INTEGER,
    last_error      TEXT CHECK (last_error IS NULL OR length(last_error) <= 500),
    busy_count      INTEGER NOT NULL DEFAULT 0 CHECK (busy_count >= 0),
    UNIQUE (business_id, resource_id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX calendar_imports_due ON calendar_imports (next_fetch_at);
ALTER TABLE blocked_times ADD COLUMN import_id INTEGER REFERENCES calendar_imports (id) ON DELETE CASCADE;
CREATE INDEX blocked_times_by_import ON blocked_times (import_id) WHERE import_id IS NOT NULL;
