-- Rightsizing copilot (issue 6): every recommendation recorded for a tenant, its status and decision,
-- and the change plan made when it was approved. Same conventions as V1__schema.sql.

-- recommendation_json and plan_json are the domain Recommendation and ChangePlan as JSON; the
-- workload's fields, savings and risk are copied out for filtering and sorting.
CREATE TABLE recommendations (
    id                  UUID         NOT NULL PRIMARY KEY,
    tenant_id           VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    workload_key        VARCHAR      NOT NULL,
    provider            VARCHAR      NOT NULL,
    environment         VARCHAR      NOT NULL,
    namespace           VARCHAR      NOT NULL,
    kind                VARCHAR      NOT NULL,
    monthly_savings     DOUBLE PRECISION NOT NULL,
    risk                DOUBLE PRECISION NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    recommendation_json VARCHAR      NOT NULL,
    created_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    decided_by          VARCHAR(256) NOT NULL,
    decided_at          TIMESTAMP(6) WITH TIME ZONE,
    comment             VARCHAR      NOT NULL,
    plan_json           VARCHAR
);
-- listings: a tenant's recommendations by status, highest savings first
CREATE INDEX recommendations_list_ix ON recommendations (tenant_id, status, monthly_savings);
-- a scan looks up the latest recommendation of each workload
CREATE INDEX recommendations_workload_ix ON recommendations (tenant_id, workload_key, created_at);
