-- The staff calendar loads one page of resources (issue 23): the orders with an assignment starting
-- in the shown days on one of them, cancelled ones included (the busy index keeps only blocking rows).
CREATE INDEX resource_assignments_by_resource_start ON resource_assignments (business_id, resource_id, starts_at);
