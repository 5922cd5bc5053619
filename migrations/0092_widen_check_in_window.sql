-- A business may open check-in up to a week before the start (BookingCore.LifecycleTiming
-- .maximumCheckInWindowMinutes). 0013 shipped with a day as the limit, and SQLite cannot alter a
-- CHECK constraint. This follows SQLite's documented procedure for loosening one (lang_altertable,
-- "otheralter"): rewrite the column's text in the schema, reload it, and bump the schema cookie with
-- a throwaway table so every other connection reloads it too. No row can break the wider range, and
-- a database whose 0013 already said 10080 is left as it was (the replace finds nothing).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (check_in_window_minutes BETWEEN 0 AND 1440)',
                          'CHECK (check_in_window_minutes BETWEEN 0 AND 10080)')
 WHERE type = 'table' AND name = 'businesses';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x INTEGER);
DROP TABLE schema_cookie_bump;
