-- Issue 23: availability reads each resource's busy time through resource_assignments_busy, then
-- fetched every row from the table for the columns the index lacked (callgrind of a month's read
-- on the large business: sqlite3VdbeFinishMoveto + sqlite3BtreeTableMoveto, 1.5 M of 8.4 M
-- instructions). The index now carries every column that read and the writer's conflict check
-- use, after the same key (and `blocks`: SQLite covers only columns the index holds, not its WHERE),
-- so both are answered from the index alone.
DROP INDEX resource_assignments_busy;
CREATE INDEX resource_assignments_busy ON resource_assignments
    (business_id, resource_id, blocked_from, blocked_to, hold_expires_at, order_id, offer_id, is_class, party_size,
     starts_at, ends_at, units, blocks)
    WHERE blocks = 1;
