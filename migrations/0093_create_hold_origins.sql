-- Who asked for a hold made on the public pages, while it is a hold: a visitor (the signed-in
-- customer, or the client address) may keep only a few live holds per business
-- (BookingCore.HoldLimits), so a script cannot hold every time of a day. The row goes when the hold
-- stops being one (booked, expired, cancelled), so no address is kept beyond a hold's few minutes.
CREATE TABLE hold_origins (
    business_id INTEGER NOT NULL,
    order_id    INTEGER NOT NULL,
    visitor     TEXT NOT NULL CHECK (length(visitor) BETWEEN 1 AND 100),
    PRIMARY KEY (business_id, order_id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX hold_origins_by_visitor ON hold_origins (business_id, visitor);

CREATE TRIGGER hold_origins_end AFTER UPDATE OF status ON booking_orders
    WHEN OLD.status = 'held' AND NEW.status <> 'held'
BEGIN
    DELETE FROM hold_origins WHERE business_id = NEW.business_id AND order_id = NEW.id;
END;
