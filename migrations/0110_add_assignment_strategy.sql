-- Issue 20: how "any host" (any resource of a kind) is chosen when the customer picks no one. No row:
-- least recently booked. 'priority': the owner's order in assignment_priorities first (resources not
-- listed after them, least recently booked first). Both tables bump the schedule version, as every
-- table availability is compiled from does (0011, 0051), so no cached answer outlives a change.
CREATE TABLE assignment_strategies (
    business_id INTEGER PRIMARY KEY REFERENCES businesses (id),
    strategy    TEXT NOT NULL CHECK (strategy IN ('least_recently_booked', 'priority')),
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE assignment_priorities (
    business_id INTEGER NOT NULL,
    resource_id INTEGER NOT NULL,
    position    INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (business_id, resource_id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id) ON DELETE CASCADE
) STRICT;

CREATE TRIGGER assignment_strategies_bump_insert AFTER INSERT ON assignment_strategies
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
CREATE TRIGGER assignment_strategies_bump_update AFTER UPDATE ON assignment_strategies
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER assignment_strategies_bump_delete AFTER DELETE ON assignment_strategies
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
CREATE TRIGGER assignment_priorities_bump_insert AFTER INSERT ON assignment_priorities
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = NEW.business_id; END;
CREATE TRIGGER assignment_priorities_bump_update AFTER UPDATE ON assignment_priorities
BEGIN UPDATE businesses SET schedule_version = random() WHERE id IN (OLD.business_id, NEW.business_id); END;
CREATE TRIGGER assignment_priorities_bump_delete AFTER DELETE ON assignment_priorities
BEGIN UPDATE businesses SET schedule_version = random() WHERE id = OLD.business_id; END;
