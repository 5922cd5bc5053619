-- Field-visibility policy per business (issue 7): overrides of the built-in defaults of
-- BookingCore's VisibilityPolicy, one row per (role, customer field). No row: the default applies.
-- Depends on 0001 only.
CREATE TABLE field_visibility (
    business_id INTEGER NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'staff', 'provider', 'client')),
    field       TEXT NOT NULL CHECK (field IN ('name', 'email', 'phone', 'notes', 'price_paid', 'household_member', 'source')),
    visibility  TEXT NOT NULL CHECK (visibility IN ('full', 'masked', 'hidden')),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (business_id, role, field)
) STRICT;
