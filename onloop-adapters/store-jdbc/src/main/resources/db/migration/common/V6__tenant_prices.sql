-- Rightsizing (issue 6): a tenant's own prices, each replacing one price of the shipped catalog by its key
-- (PricingCatalog.prices(): container/vcpu-hour, ec2/m5.large, lambda/request, ebs/gp3-gb-month, ...).
-- Same conventions as V1__schema.sql. DOUBLE PRECISION because the catalog computes in doubles: what is
-- read back is exactly what was set.
CREATE TABLE tenant_prices (
    tenant_id   VARCHAR(64)      NOT NULL REFERENCES tenants (id),
    price_key   VARCHAR(128)     NOT NULL,
    price       DOUBLE PRECISION NOT NULL CHECK (price >= 0),
    updated_by  VARCHAR(256)     NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, price_key)
);
