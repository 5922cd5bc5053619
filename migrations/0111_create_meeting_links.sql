-- Issue 20: a virtual resource's meeting link. resources.kind already allows 'virtual' (0002), so no
-- table is rebuilt. The link lives in its own table, not a column of resources: resources rows are
-- read by every listing, availability and API path, and a link kept apart is read only by the three
-- places that may show it after booking (confirmation email, the customer's booking page, the staff view).
CREATE TABLE resource_meeting_links (
    business_id INTEGER NOT NULL,
    resource_id INTEGER NOT NULL,
    url         TEXT NOT NULL CHECK (length(url) BETWEEN 9 AND 500 AND url LIKE 'https://%'),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (business_id, resource_id),
    FOREIGN KEY (business_id, resource_id) REFERENCES resources (business_id, id) ON DELETE CASCADE
) STRICT;
