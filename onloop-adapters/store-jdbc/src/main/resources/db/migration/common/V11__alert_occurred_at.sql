-- When the event that put an alert in its state happened by its sender's clock (null: the sender gave no time),
-- so that a resolve of an episode that ended before the current one began does not resolve it (IncidentGrouping).
-- Not indexed: an index on it would make PostgreSQL's updates of repeating alerts non-HOT (V7_1).
ALTER TABLE incident_alerts ADD COLUMN occurred_at TIMESTAMP(6) WITH TIME ZONE;
