-- Issue 19: one customer record per business per person, matched by email (lower-cased). A record
-- owns the addresses it is known by (its own, and those of records staff merged into it), tags and
-- private staff notes. Bookings are not rewritten: a booking belongs to the customer whose address it
-- carries. Triggers keep the records in step with every booking written or confirmed (walk-ins with
-- the placeholder address and holds without one are left out); existing bookings are backfilled below.
CREATE TABLE customers (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 120),
    phone       TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    notes       TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (business_id, id)
) STRICT;

CREATE TABLE customer_emails (
    business_id INTEGER NOT NULL,
    email       TEXT NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (business_id, email),
    FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX customer_emails_by_customer ON customer_emails (business_id, customer_id);

CREATE TABLE customer_tags (
    business_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    tag         TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
    PRIMARY KEY (business_id, customer_id, tag),
    FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id) ON DELETE CASCADE
) STRICT;

-- A customer's bookings by address.
CREATE INDEX booking_orders_by_customer_email ON booking_orders (business_id, lower(customer_email));

CREATE TRIGGER customers_follow_new_booking AFTER INSERT ON booking_orders
WHEN NEW.customer_email LIKE '%_@_%' AND NEW.customer_email NOT LIKE '%@no-email.invalid'
BEGIN
    INSERT INTO customers (business_id, name, phone, created_at, updated_at)
    SELECT NEW.business_id, NEW.customer_name, NEW.customer_phone, NEW.updated_at, NEW.updated_at
    WHERE NOT EXISTS (SELECT 1 FROM customer_emails WHERE business_id = NEW.business_id AND email = lower(NEW.customer_email));
    INSERT OR IGNORE INTO customer_emails (business_id, email, customer_id)
    VALUES (NEW.business_id, lower(NEW.customer_email), last_insert_rowid());
    UPDATE customers SET name = CASE WHEN NEW.customer_name != '' THEN NEW.customer_name ELSE name END,
                         phone = CASE WHEN NEW.customer_phone != '' THEN NEW.customer_phone ELSE phone END,
                         updated_at = NEW.updated_at
    WHERE business_id = NEW.business_id
      AND id = (SELECT customer_id FROM customer_emails WHERE business_id = NEW.business_id AND email = lower(NEW.customer_email));
END;

CREATE TRIGGER customers_follow_booking_details AFTER UPDATE OF customer_email, customer_name, customer_phone ON booking_orders
WHEN NEW.customer_email LIKE '%_@_%' AND NEW.customer_email NOT LIKE '%@no-email.invalid'
BEGIN
    INSERT INTO customers (business_id, name, phone, created_at, updated_at)
    SELECT NEW.business_id, NEW.customer_name, NEW.customer_phone, NEW.updated_at, NEW.updated_at
    WHERE NOT EXISTS (SELECT 1 FROM customer_emails WHERE business_id = NEW.business_id AND email = lower(NEW.customer_email));
    INSERT OR IGNORE INTO customer_emails (business_id, email, customer_id)
    VALUES (NEW.business_id, lower(NEW.customer_email), last_insert_rowid());
    UPDATE customers SET name = CASE WHEN NEW.customer_name != '' THEN NEW.customer_name ELSE name END,
                         phone = CASE WHEN NEW.customer_phone != '' THEN NEW.customer_phone ELSE phone END,
                         updated_at = NEW.updated_at
    WHERE business_id = NEW.business_id
      AND id = (SELECT customer_id FROM customer_emails WHERE business_id = NEW.business_id AND email = lower(NEW.customer_email));
END;

-- Backfill: one record per business and address, named after its latest booking (its
-- latest phone number given). Both inserts number
-- the same (business, address) pairs in the same order, so the ids agree.
WITH known AS (
    SELECT business_id, lower(customer_email) AS email, customer_name, customer_phone, created_at, updated_at, id
    FROM booking_orders
    WHERE customer_email LIKE '%_@_%' AND customer_email NOT LIKE '%@no-email.invalid'
), ranked AS (
    SELECT business_id, email, customer_name,
           first_value(customer_phone) OVER (PARTITION BY business_id, email ORDER BY customer_phone = '', created_at DESC, id DESC) AS phone,
           min(created_at) OVER per AS first_at, max(updated_at) OVER per AS last_at,
           row_number() OVER (PARTITION BY business_id, email ORDER BY created_at DESC, id DESC) AS latest
    FROM known
    WINDOW per AS (PARTITION BY business_id, email)
)
INSERT INTO customers (business_id, id, name, phone, created_at, updated_at)
SELECT business_id, row_number() OVER (ORDER BY business_id, email), customer_name, phone, first_at, last_at
FROM ranked WHERE latest = 1;

INSERT INTO customer_emails (business_id, email, customer_id)
SELECT business_id, email, row_number() OVER (ORDER BY business_id, email)
FROM (SELECT DISTINCT business_id, lower(customer_email) AS email FROM booking_orders
      WHERE customer_email LIKE '%_@_%' AND customer_email NOT LIKE '%@no-email.invalid');
