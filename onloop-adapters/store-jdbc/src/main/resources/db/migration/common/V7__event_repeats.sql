-- Unchanged repeats of a firing alert are counted on the event they repeat, not stored as events of
-- their own (docs/event-model.md, "Repeats"). A storm is mostly repeats, and a full event row costs
-- four index entries plus one row per label.

-- The alert's current state remembers the event that started it, that event's content key, and how
-- many repeats of it arrived since (last_at is when the latest did). Rows from before have no event_id
-- and count nothing.
ALTER TABLE incident_alerts ADD COLUMN event_id UUID;
ALTER TABLE incident_alerts ADD COLUMN content_key BIGINT;
ALTER TABLE incident_alerts ADD COLUMN repeats INTEGER DEFAULT 0 NOT NULL;

-- Written when the alert moves on from the event (resolved, refired, changed); until then the count is
-- the alert's. last_seen_at NULL means received_at.
ALTER TABLE events ADD COLUMN repeat_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE events ADD COLUMN last_seen_at TIMESTAMP(6) WITH TIME ZONE;

-- A repeat's id was given to its sender, so looking it up must find the event it repeated. Ids are
-- time-ordered: each row lands at the end of the one index.
CREATE TABLE event_repeats (
    id        UUID        NOT NULL PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    event_id  UUID        NOT NULL
);
