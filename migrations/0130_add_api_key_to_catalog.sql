-- API catalog writes (issue 15): what an API key creates records the key, as bookings
-- (booking_orders.api_key_id) and webhook subscriptions do: resources, offers, offer versions
-- (drafts a key wrote), date overrides and blocked time. NULL: made on the pages or by the system.
ALTER TABLE resources ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);
ALTER TABLE offers ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);
ALTER TABLE offer_versions ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);
ALTER TABLE date_overlays ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);
ALTER TABLE blocked_times ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);

-- A column added by ALTER TABLE cannot carry the composite (business_id, id) key the other tables
-- use, so these triggers keep a recorded key inside the row's own business. The Store records the
-- key with an UPDATE right after the insert, in the same transaction (as for bookings).
CREATE TRIGGER resources_api_key_same_business BEFORE UPDATE OF api_key_id ON resources
WHEN NEW.api_key_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE business_id = NEW.business_id AND id = NEW.api_key_id)
BEGIN SELECT RAISE(ABORT, 'api_key_id must be a key of the same business'); END;
CREATE TRIGGER offers_api_key_same_business BEFORE UPDATE OF api_key_id ON offers
WHEN NEW.api_key_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE business_id = NEW.business_id AND id = NEW.api_key_id)
BEGIN SELECT RAISE(ABORT, 'api_key_id must be a key of the same business'); END;
CREATE TRIGGER offer_versions_api_key_same_business BEFORE UPDATE OF api_key_id ON offer_versions
WHEN NEW.api_key_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE business_id = NEW.business_id AND id = NEW.api_key_id)
BEGIN SELECT RAISE(ABORT, 'api_key_id must be a key of the same business'); END;
CREATE TRIGGER date_overlays_api_key_same_business BEFORE UPDATE OF api_key_id ON date_overlays
WHEN NEW.api_key_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE business_id = NEW.business_id AND id = NEW.api_key_id)
BEGIN SELECT RAISE(ABORT, 'api_key_id must be a key of the same business'); END;
CREATE TRIGGER blocked_times_api_key_same_business BEFORE UPDATE OF api_key_id ON blocked_times
WHEN NEW.api_key_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM api_keys WHERE business_id = NEW.business_id AND id = NEW.api_key_id)
BEGIN SELECT RAISE(ABORT, 'api_key_id must be a key of the same business'); END;
