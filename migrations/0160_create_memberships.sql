-- Issue 18: memberships. A membership plan is a product of the business: a price per month, credits
-- granted each period for named offers (rolled over up to a cap, or expiring at the period's end),
-- a discount percent on the other offers, pause and cancel rules. Its name, monthly price, credits per
-- period and offers live in a `packages` row of kind 'membership' (with its `package_offers`): each
-- period's credits are an entitlement lot of that package, expiring at the period's end, so a member's
-- credits are wallet lots like any other and their balance is the sum of their movements.
ALTER TABLE packages ADD COLUMN kind TEXT NOT NULL DEFAULT 'package' CHECK (kind IN ('package', 'membership'));

CREATE TABLE membership_plans (
    business_id        INTEGER NOT NULL REFERENCES businesses (id),
    id                 INTEGER PRIMARY KEY,
    package_id         INTEGER NOT NULL,
    rollover           INTEGER NOT NULL CHECK (rollover IN (0, 1)),
    rollover_cap       INTEGER NOT NULL DEFAULT 0 CHECK (rollover_cap BETWEEN 0 AND 1000),
    discount_percent   INTEGER NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
    max_pause_months   INTEGER NOT NULL DEFAULT 0 CHECK (max_pause_months BETWEEN 0 AND 12),
    -- NULL: a cancellation takes effect at the end of the current period; N: with N days' notice.
    cancel_notice_days INTEGER CHECK (cancel_notice_days IS NULL OR cancel_notice_days BETWEEN 1 AND 365),
    status             TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'archived')),
    created_at         INTEGER NOT NULL,
    CHECK (rollover = 1 OR rollover_cap = 0),
    UNIQUE (business_id, id),
    UNIQUE (business_id, package_id),
    FOREIGN KEY (business_id, package_id) REFERENCES packages (business_id, id)
) STRICT;

-- A customer's membership. `pending` until its first period is paid; then `active`, anchored on the
-- business-local date it started (periods are computed from it); `ended` once `ends_at` has passed.
-- A pause covers the periods [pause_from, pause_until) by index: no credits, nothing due.
CREATE TABLE membership_subscriptions (
    business_id INTEGER NOT NULL REFERENCES businesses (id),
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'active', 'ended')),
    anchor_date TEXT CHECK (anchor_date IS NULL OR anchor_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    pause_from  INTEGER,
    pause_until INTEGER,
    ends_at     INTEGER,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((status = 'pending') = (anchor_date IS NULL)),
    CHECK ((pause_from IS NULL) = (pause_until IS NULL)),
    CHECK (pause_from IS NULL OR (pause_from >= 1 AND pause_until > pause_from)),
    UNIQUE (business_id, id),
    FOREIGN KEY (business_id, plan_id) REFERENCES membership_plans (business_id, id)
) STRICT;
-- One live membership per customer and plan.
CREATE UNIQUE INDEX membership_subscriptions_one_live ON membership_subscriptions (business_id, plan_id, user_id) WHERE status <> 'ended';
CREATE INDEX membership_subscriptions_by_user ON membership_subscriptions (user_id, business_id);
CREATE INDEX membership_subscriptions_active ON membership_subscriptions (status) WHERE status = 'active';
CREATE TRIGGER membership_subscriptions_no_delete BEFORE DELETE ON membership_subscriptions
BEGIN SELECT RAISE(ABORT, 'memberships are kept: end them instead'); END;

-- One row per period that has started (the worker writes it once: the unique index makes a second
-- run a no-op). A paused period grants nothing and owes nothing; any other grants its credits as an
-- entitlement lot (`entitlement_id`) and is `due` until it is `paid`.
CREATE TABLE membership_periods (
    business_id     INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    idx             INTEGER NOT NULL CHECK (idx >= 0),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('due', 'paid', 'paused')),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    entitlement_id  INTEGER,
    paid_method     TEXT CHECK (paid_method IS NULL OR paid_method IN ('at_venue', 'cash', 'card')),
    paid_at         INTEGER,
    recorded_by     TEXT,
    CHECK (ends_at > starts_at),
    CHECK ((state = 'paused') = (entitlement_id IS NULL)),
    CHECK ((state = 'paid') = (paid_at IS NOT NULL AND paid_method IS NOT NULL AND recorded_by IS NOT NULL)),
    UNIQUE (business_id, subscription_id, idx),
    FOREIGN KEY (business_id, subscription_id) REFERENCES membership_subscriptions (business_id, id),
    FOREIGN KEY (business_id, entitlement_id) REFERENCES entitlements (business_id, id)
) STRICT;
CREATE INDEX membership_periods_by_lot ON membership_periods (business_id, entitlement_id) WHERE entitlement_id IS NOT NULL;
CREATE TRIGGER membership_periods_no_delete BEFORE DELETE ON membership_periods
BEGIN SELECT RAISE(ABORT, 'membership periods are kept'); END;
-- Only a payment changes a period: due → paid, nothing else.
CREATE TRIGGER membership_periods_only_paid BEFORE UPDATE ON membership_periods
WHEN NOT (OLD.state = 'due' AND NEW.state = 'paid' AND NEW.idx = OLD.idx AND NEW.starts_at = OLD.starts_at
          AND NEW.ends_at = OLD.ends_at AND NEW.amount = OLD.amount AND NEW.entitlement_id IS OLD.entitlement_id
          AND NEW.subscription_id = OLD.subscription_id)
BEGIN SELECT RAISE(ABORT, 'a membership period only moves from due to paid'); END;
