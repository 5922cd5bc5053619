-- When a booking may be marked as a no-show, completed or checked in (BookingCore.LifecycleTiming):
-- a no-show only from the start plus the business's grace period, a check-in only from a window
-- before the start. Each at most a day.
ALTER TABLE businesses ADD COLUMN no_show_grace_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (no_show_grace_minutes BETWEEN 0 AND 1440);
ALTER TABLE businesses ADD COLUMN check_in_window_minutes INTEGER NOT NULL DEFAULT 60
    CHECK (check_in_window_minutes BETWEEN 0 AND 1440);

-- A key's own rate limit (requests a second, and the burst above it); NULL means the server's
-- default (`BIZING_API_RATE` / `BIZING_API_BURST`, 100 and 100).
ALTER TABLE api_keys ADD COLUMN rate_per_second INTEGER CHECK (rate_per_second BETWEEN 1 AND 10000);
ALTER TABLE api_keys ADD COLUMN burst INTEGER CHECK (burst BETWEEN 1 AND 10000);
