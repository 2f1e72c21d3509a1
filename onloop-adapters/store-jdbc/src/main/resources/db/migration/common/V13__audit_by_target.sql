-- The audit log filtered by what was acted on ("everything that happened to this recommendation / incident / token"):
-- an index that finds those entries in time order, instead of reading the tenant's whole log backwards.
CREATE INDEX audit_log_target_ix ON audit_log (tenant_id, target_id, at, id);
