-- When, by its sender's clock, a resolve last ended each alert's episode (IncidentGrouping): a firing of an episode
-- already over, delivered late or out of order, then opens no incident. Fingerprint first, as incident_alerts', for
-- H2's seek of a batch's fingerprints. Pruned by retention.
CREATE TABLE episode_ends (
    fingerprint VARCHAR     NOT NULL,
    tenant_id   VARCHAR(64) NOT NULL,
    ended_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (fingerprint, tenant_id)
);
