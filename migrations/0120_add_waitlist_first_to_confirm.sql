-- Waitlists (issue 17): how a business offers a freed place. 'in_order': held for the first who
-- fits, then the next; 'first_to_confirm': everyone waiting who fits is told at once and the first
-- to claim gets it (the others are told it is taken and stay in line).
ALTER TABLE businesses ADD COLUMN waitlist_mode TEXT NOT NULL DEFAULT 'in_order'
    CHECK (waitlist_mode IN ('in_order', 'first_to_confirm'));

-- A first-to-confirm offer: status 'offered' with no hold until someone claims, open until
-- offer_expires_at; the claim link in its email carries a token of its own (only its hash is kept).
ALTER TABLE waitlist_entries ADD COLUMN offer_expires_at INTEGER;
ALTER TABLE waitlist_entries ADD COLUMN claim_token_hash BLOB CHECK (claim_token_hash IS NULL OR length(claim_token_hash) = 32);
-- Open claims keep the public off the places they may take.
CREATE INDEX waitlist_entries_open_claims ON waitlist_entries (business_id, offer_id, starts_at)
    WHERE status = 'offered' AND hold_order_id IS NULL;
