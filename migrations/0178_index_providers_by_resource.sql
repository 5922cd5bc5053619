-- The providers linked to a resource, by index: a booking's confirmation alerts the providers of the
-- slot's resources, and the lookup read every membership of the business (and sorted them into a
-- temporary b-tree for DISTINCT) once per booking.
CREATE INDEX memberships_providers_by_resource ON memberships (business_id, resource_id) WHERE role = 'provider';
