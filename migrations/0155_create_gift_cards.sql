-- Issue 18: gift cards. The owner defines the amounts a business sells (gift_card_products); each
-- card sold has a code and a balance that is the sum of its append-only movements (issue, redeem,
-- refund): never stored, never below zero (the trigger below backs the Store's check). A card pays
-- part or all of a booking's price in the booking's own write transaction; a cancellation gives back
-- to the card the part of the refund it paid, and a hold that lapses unpaid gives back all it took.
CREATE TABLE gift_card_products (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    amount      INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 100000000),
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    status      TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'archived')),
    created_at  INTEGER NOT NULL,
    UNIQUE (business_id, id)
) STRICT;

-- One card sold: its code, who holds it (shown in their wallet), how it was paid.
CREATE TABLE gift_cards (
    business_id    INTEGER NOT NULL REFERENCES businesses (id),
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL CHECK (length(code) BETWEEN 6 AND 40 AND code = upper(code)),
    product_id     INTEGER,
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    holder_user_id INTEGER REFERENCES users (id),
    method         TEXT NOT NULL CHECK (method IN ('at_venue', 'cash', 'card', 'complimentary')),
    recorded_by    TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (business_id, code),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, product_id) REFERENCES gift_card_products (business_id, id)
) STRICT;
CREATE INDEX gift_cards_by_holder ON gift_cards (holder_user_id, business_id) WHERE holder_user_id IS NOT NULL;
CREATE TRIGGER gift_cards_no_update BEFORE UPDATE ON gift_cards
BEGIN SELECT RAISE(ABORT, 'gift cards are immutable: add a movement'); END;
CREATE TRIGGER gift_cards_no_delete BEFORE DELETE ON gift_cards
BEGIN SELECT RAISE(ABORT, 'gift cards are immutable: add a movement'); END;

CREATE TABLE gift_card_movements (
    business_id  INTEGER NOT NULL,
    id           INTEGER PRIMARY KEY,
    gift_card_id INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('issue', 'redeem', 'refund')),
    amount       INTEGER NOT NULL CHECK (amount <> 0),
    order_id     INTEGER,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    CHECK ((kind IN ('issue', 'refund') AND amount > 0) OR (kind = 'redeem' AND amount < 0 AND order_id IS NOT NULL)),
    FOREIGN KEY (business_id, gift_card_id) REFERENCES gift_cards (business_id, id),
    FOREIGN KEY (business_id, order_id) REFERENCES booking_orders (business_id, id)
) STRICT;
CREATE INDEX gift_card_movements_by_card ON gift_card_movements (business_id, gift_card_id);
CREATE INDEX gift_card_movements_by_order ON gift_card_movements (business_id, order_id) WHERE order_id IS NOT NULL;
CREATE TRIGGER gift_card_movements_no_update BEFORE UPDATE ON gift_card_movements
BEGIN SELECT RAISE(ABORT, 'gift card movements are append-only'); END;
CREATE TRIGGER gift_card_movements_no_delete BEFORE DELETE ON gift_card_movements
BEGIN SELECT RAISE(ABORT, 'gift card movements are append-only'); END;
CREATE TRIGGER gift_card_movements_never_negative BEFORE INSERT ON gift_card_movements
WHEN NEW.amount < 0 AND (SELECT COALESCE(SUM(amount), 0) FROM gift_card_movements
                         WHERE business_id = NEW.business_id AND gift_card_id = NEW.gift_card_id) + NEW.amount < 0
BEGIN SELECT RAISE(ABORT, 'a gift card balance cannot go below zero'); END;
