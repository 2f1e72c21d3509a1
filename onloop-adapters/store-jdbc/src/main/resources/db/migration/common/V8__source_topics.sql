-- The SNS topics a source takes messages from, one ARN per line; empty: any topic.
-- At most 100 ARNs of at most 320 characters (checked by the API and the console).
ALTER TABLE ingest_sources ADD COLUMN topic_arns VARCHAR(32100) DEFAULT '' NOT NULL;
