-- Runbook recipes (issue 3): each incident's current recipe, operators' versioned edits of a
-- class's recipe per tenant, and what LLM calls cost. Same conventions as V1__schema.sql.

-- One row per incident: the knowledge-base recipe first, replaced by the LLM's when it arrives.
-- recipe_json is the domain Recipe as JSON; source and class_id are copied out for queries.
CREATE TABLE incident_recipes (
    tenant_id   VARCHAR(64)  NOT NULL,
    incident_id UUID         NOT NULL,
    source      VARCHAR(16)  NOT NULL,
    class_id    VARCHAR(128) NOT NULL,
    recipe_json VARCHAR      NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT incident_recipes_pk PRIMARY KEY (tenant_id, incident_id)
);

-- Every version is kept (who, when, what); the highest version is in force. A NULL template is a
-- revert to the knowledge base.
CREATE TABLE runbook_edits (
    tenant_id     VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    class_id      VARCHAR(128) NOT NULL,
    version       INTEGER      NOT NULL,
    template_json VARCHAR,
    author        VARCHAR(256) NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    note          VARCHAR      NOT NULL,
    CONSTRAINT runbook_edits_pk PRIMARY KEY (tenant_id, class_id, version)
);

CREATE TABLE llm_usage (
    id            UUID         NOT NULL PRIMARY KEY,
    tenant_id     VARCHAR(64)  NOT NULL,
    at            TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    provider      VARCHAR(32)  NOT NULL,
    model         VARCHAR(128) NOT NULL,
    input_tokens  BIGINT       NOT NULL,
    output_tokens BIGINT       NOT NULL,
    cost          DOUBLE PRECISION NOT NULL
);
CREATE INDEX llm_usage_tenant_ix ON llm_usage (tenant_id, at);
