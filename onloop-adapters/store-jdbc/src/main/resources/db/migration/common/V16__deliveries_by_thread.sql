-- A group's repeat counts from when its last notification was delivered (JdbcDeliveryStore.settledAt): that
-- notification's rows are found by their thread.
CREATE INDEX deliveries_tenant_thread_ix ON deliveries (tenant_id, thread_key);
