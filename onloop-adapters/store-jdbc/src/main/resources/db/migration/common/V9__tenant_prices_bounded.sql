-- A tenant's price is at most 1,000,000 per unit (PricingCatalog.MAX_PRICE). Before, the API took any
-- non-negative number (1e300 was priced into every recommendation), and the scans now refuse such a
-- price, so one stored before is removed: the shipped price applies again. NOT (price <= ...) also
-- catches PostgreSQL's NaN, which sorts above every number.
DELETE FROM tenant_prices WHERE NOT (price <= 1000000);
ALTER TABLE tenant_prices ADD CONSTRAINT tenant_prices_at_most_a_million CHECK (price <= 1000000);
