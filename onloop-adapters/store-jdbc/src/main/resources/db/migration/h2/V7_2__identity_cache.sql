-- H2 persists an identity column's next value every CACHE values (default 32), and does it in a
-- committed system transaction: with WRITE_DELAY=0 that writes out every unsaved page of the store,
-- including the batch still being applied. At 32 that was most of the cost of a timeline line
-- (docs/benchmarks.md, session 7). H2 sequences are shared by all sessions, so values stay in
-- insertion order; a restart only skips the unused rest of the cached range.
ALTER TABLE incident_timeline ALTER COLUMN seq SET CACHE 100000;
ALTER TABLE deliveries ALTER COLUMN seq SET CACHE 100000;
