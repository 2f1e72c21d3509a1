-- PostgreSQL only. Deleting an incident (retention) makes PostgreSQL look for timeline lines that still reference
-- it, by incident_id alone: the (tenant_id, incident_id, at, seq) index cannot seek that, so each deleted incident
-- cost a scan of the whole timeline. H2 has kept such an index for the foreign key since V1, unasked.
CREATE INDEX incident_timeline_incident_ix ON incident_timeline (incident_id);
