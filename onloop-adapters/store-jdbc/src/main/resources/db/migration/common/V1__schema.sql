-- onloop schema, written once for both embedded H2 (2.x, default mode) and PostgreSQL 15.
-- Conventions:
--  * Every row carries tenant_id; every index that serves a list query starts with tenant_id.
--  * Times are TIMESTAMP(6) WITH TIME ZONE, written in UTC: microsecond precision on both databases
--    (the store truncates Instants to microseconds before writing).
--  * Unbounded text is VARCHAR without a length (H2: up to 1,000,000 chars; PostgreSQL: unlimited);
--    the domain (EventLimits) bounds what it stores far below that.
--  * Enumerations are stored as their lower-case ids ('firing', 'critical', 'alertmanager', ...).

CREATE TABLE tenants (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    name       VARCHAR(256) NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE TABLE users (
    id            UUID         NOT NULL PRIMARY KEY,
    tenant_id     VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    username      VARCHAR(256) NOT NULL,
    password_hash VARCHAR(512) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    disabled      BOOLEAN      NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- usernames are unique across tenants: a login names its tenant implicitly
    CONSTRAINT users_username_uk UNIQUE (username)
);
CREATE INDEX users_tenant_ix ON users (tenant_id, username);

CREATE TABLE api_tokens (
    id         UUID         NOT NULL PRIMARY KEY,
    tenant_id  VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    name       VARCHAR(256) NOT NULL,
    token_hash VARCHAR(128) NOT NULL,
    role       VARCHAR(16)  NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP(6) WITH TIME ZONE,
    revoked    BOOLEAN      NOT NULL,
    CONSTRAINT api_tokens_hash_uk UNIQUE (token_hash)
);
CREATE INDEX api_tokens_tenant_ix ON api_tokens (tenant_id, created_at);

CREATE TABLE ingest_sources (
    id                UUID         NOT NULL PRIMARY KEY,
    tenant_id         VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    format            VARCHAR(32)  NOT NULL,
    name              VARCHAR(256) NOT NULL,
    token_hash        VARCHAR(128) NOT NULL,
    verify_signatures BOOLEAN      NOT NULL,
    created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT ingest_sources_hash_uk UNIQUE (token_hash)
);
CREATE INDEX ingest_sources_tenant_ix ON ingest_sources (tenant_id, created_at);

-- Events and incidents have no foreign key to tenants: the ingest path must not pay for it, and
-- tenant_id is always set by the server, never by the sender.
CREATE TABLE incidents (
    id              UUID         NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(64)  NOT NULL,
    group_key       VARCHAR,
    title           VARCHAR      NOT NULL,
    severity        VARCHAR(16)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    source          VARCHAR(32),
    resource_kind   VARCHAR      NOT NULL,
    resource_id     VARCHAR      NOT NULL,
    resource_name   VARCHAR      NOT NULL,
    labels_json     VARCHAR      NOT NULL,
    opened_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_event_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    acknowledged_at TIMESTAMP(6) WITH TIME ZONE,
    acknowledged_by VARCHAR,
    resolved_at     TIMESTAMP(6) WITH TIME ZONE,
    resolved_by     VARCHAR,
    event_count     INTEGER      NOT NULL,
    alert_count     INTEGER      NOT NULL,
    firing_count    INTEGER      NOT NULL
);
-- keyset pagination, newest opened first
CREATE INDEX incidents_tenant_opened_ix ON incidents (tenant_id, opened_at, id);
-- the open incident of a group: status IN ('open','acknowledged') seeks two ranges. (H2 has no
-- partial indexes, so "WHERE status <> 'resolved'" cannot be part of the index itself.)
CREATE INDEX incidents_tenant_group_ix ON incidents (tenant_id, group_key, status);
CREATE INDEX incidents_tenant_status_ix ON incidents (tenant_id, status, opened_at);

-- The distinct fingerprints (alerts) of each incident and whether each is firing.
-- incident_open mirrors incidents.status <> 'resolved' so that "the open incident holding this
-- fingerprint" is one index seek, however often that fingerprint has flapped before.
CREATE TABLE incident_alerts (
    tenant_id     VARCHAR(64) NOT NULL,
    incident_id   UUID        NOT NULL REFERENCES incidents (id),
    fingerprint   VARCHAR     NOT NULL,
    firing        BOOLEAN     NOT NULL,
    incident_open BOOLEAN     NOT NULL,
    last_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (incident_id, fingerprint)
);
-- fingerprint first: H2 seeks an IN (...) list only on an index's first column, and the ingest
-- writer looks up a whole batch's fingerprints with one IN query.
CREATE INDEX incident_alerts_open_ix ON incident_alerts (fingerprint, tenant_id, incident_open);

CREATE TABLE events (
    id              UUID         NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(64)  NOT NULL,
    source_id       UUID,
    source          VARCHAR(32)  NOT NULL,
    received_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    occurred_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    severity        VARCHAR(16)  NOT NULL,
    source_severity VARCHAR      NOT NULL,
    title           VARCHAR      NOT NULL,
    summary         VARCHAR      NOT NULL,
    resource_kind   VARCHAR      NOT NULL,
    resource_id     VARCHAR      NOT NULL,
    resource_name   VARCHAR      NOT NULL,
    labels_json     VARCHAR      NOT NULL,
    fingerprint     VARCHAR      NOT NULL,
    link            VARCHAR,
    raw_payload     VARCHAR      NOT NULL,
    -- a plain reference, no foreign key: H2 would keep one more index on incident_id for it (a
    -- random-order insertion per event) and look the incident up per row; the ingest writer sets it
    -- from an incident it holds locked in the same transaction
    incident_id     UUID
);
-- keyset pagination, newest received first (also serves the time-range filter)
CREATE INDEX events_tenant_received_ix ON events (tenant_id, received_at, id);
CREATE INDEX events_tenant_incident_ix ON events (tenant_id, incident_id, received_at);
CREATE INDEX events_tenant_resource_ix ON events (tenant_id, resource_id);

-- Labels are stored twice, on purpose: labels_json on the row is what reads return (one column,
-- no join), and one row per label here is what "label k=v" filters use. A child table is the one
-- representation both H2 and PostgreSQL can index for equality (H2 cannot index into JSON; a
-- PostgreSQL GIN index on jsonb would not serve H2). value_key is the value's first 128 characters:
-- an index entry must stay under PostgreSQL's btree limit (~2700 bytes) even for 1024-character
-- Unicode values, so the index narrows by value_key and the row check compares the full value.
-- Written only by the ingest writer, in the transaction that writes the event, ~5 rows per event:
-- so the one index is the lookup key itself (unique, as an event has each label once), and event_id
-- is a plain reference (a foreign key would cost H2 another index and a lookup per row).
CREATE TABLE event_labels (
    tenant_id VARCHAR(64) NOT NULL,
    event_id  UUID        NOT NULL,
    label_name  VARCHAR   NOT NULL,
    value_key   VARCHAR   NOT NULL,
    label_value VARCHAR   NOT NULL,
    PRIMARY KEY (tenant_id, label_name, value_key, event_id)
);

CREATE TABLE incident_labels (
    tenant_id   VARCHAR(64) NOT NULL,
    incident_id UUID        NOT NULL REFERENCES incidents (id),
    label_name  VARCHAR     NOT NULL,
    value_key   VARCHAR     NOT NULL,
    label_value VARCHAR     NOT NULL,
    PRIMARY KEY (incident_id, label_name)
);
CREATE INDEX incident_labels_lookup_ix ON incident_labels (tenant_id, label_name, value_key, incident_id);

CREATE TABLE incident_timeline (
    id          UUID         NOT NULL PRIMARY KEY,
    tenant_id   VARCHAR(64)  NOT NULL,
    incident_id UUID         NOT NULL REFERENCES incidents (id),
    at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    actor       VARCHAR      NOT NULL,
    text        VARCHAR      NOT NULL,
    -- a plain reference, no foreign key: event rows are written in a batch at commit
    event_id    UUID,
    -- insertion order: lines of one transaction often share their instant, and must read in the
    -- order they were written (alert resolved, then incident resolved)
    seq         BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL
);
CREATE INDEX incident_timeline_ix ON incident_timeline (tenant_id, incident_id, at, seq);

-- Append-only: the store offers no update or delete (and on PostgreSQL a trigger refuses them).
CREATE TABLE audit_log (
    id          UUID         NOT NULL PRIMARY KEY,
    tenant_id   VARCHAR(64)  NOT NULL,
    at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    actor       VARCHAR      NOT NULL,
    action      VARCHAR(128) NOT NULL,
    target_type VARCHAR(64)  NOT NULL,
    target_id   VARCHAR      NOT NULL,
    detail      VARCHAR      NOT NULL
);
CREATE INDEX audit_log_tenant_at_ix ON audit_log (tenant_id, at, id);
