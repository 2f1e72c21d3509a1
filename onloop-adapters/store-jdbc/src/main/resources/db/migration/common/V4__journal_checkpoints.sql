-- How far each ingest journal has been applied: written in the same transaction as the events it
-- covers, so after a crash the applier resumes exactly where the store left off. Keyed by the
-- journal's own id, so a store moved next to a new (empty) journal never skips its records.
CREATE TABLE journal_checkpoints (
    journal_id       VARCHAR(64) NOT NULL PRIMARY KEY,
    applied_position BIGINT      NOT NULL
);
