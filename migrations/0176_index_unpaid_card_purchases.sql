-- Issue 18: the sweeper abandons card purchases left unpaid (their PaymentIntents are cancelled at
-- Stripe); it finds them by age without reading every purchase.
CREATE INDEX product_purchases_unpaid_cards ON product_purchases (created_at) WHERE status = 'pending' AND method = 'card';
