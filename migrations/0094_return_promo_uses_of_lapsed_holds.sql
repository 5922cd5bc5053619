-- A promo code's use on a hold that lapsed unpaid is given back: redemptions stay append-only, and
-- only those whose booking is not a lapsed hold (expired, or held past its expiry) count against the
-- code's total. The same rule as `Promos.liveUses` in Store, which counts for the checks and pages.
DROP TRIGGER promo_redemptions_within_limit;
CREATE TRIGGER promo_redemptions_within_limit BEFORE INSERT ON promo_redemptions
WHEN (SELECT total_limit FROM promo_codes WHERE business_id = NEW.business_id AND id = NEW.promo_id) IS NOT NULL
 AND (SELECT COUNT(*) FROM promo_redemptions r
        JOIN booking_orders o ON o.business_id = r.business_id AND o.id = r.order_id
       WHERE r.business_id = NEW.business_id AND r.promo_id = NEW.promo_id
         AND o.status <> 'expired' AND NOT (o.status = 'held' AND o.hold_expires_at <= NEW.at))
     >= (SELECT total_limit FROM promo_codes WHERE business_id = NEW.business_id AND id = NEW.promo_id)
BEGIN SELECT RAISE(ABORT, 'this promo code has no uses left'); END;
