-- GET /api/v1/deliveries without a status (every status, the default) pages a tenant's deliveries newest first by
-- (created_at, id); deliveries_tenant_ix leads with status and cannot give that order, so each page sorted the
-- tenant's whole outbox.
CREATE INDEX deliveries_tenant_time_ix ON deliveries (tenant_id, created_at, id);
