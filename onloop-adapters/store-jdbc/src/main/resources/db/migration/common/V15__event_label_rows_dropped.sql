-- An events page filtered by label now reads labels_json of the rows it scans (at most onloop.search.max-scanned, as
-- for status, severity and text) instead of one row per label here: those ~5 rows per event and their index were
-- the largest part of storing an event (docs/benchmarks.md, Ingest, session 30). Incidents keep incident_labels.
DROP TABLE event_labels;
