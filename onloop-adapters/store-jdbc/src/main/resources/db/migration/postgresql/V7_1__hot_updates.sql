-- The ingest writer updates each firing alert's row and its incident's row once per batch while the
-- alert repeats (counts, last seen). Free room in each page lets PostgreSQL write the new row version
-- beside the old one without touching any index (a HOT update), as no indexed column changes.
ALTER TABLE incident_alerts SET (fillfactor = 70);
ALTER TABLE incidents SET (fillfactor = 70);
