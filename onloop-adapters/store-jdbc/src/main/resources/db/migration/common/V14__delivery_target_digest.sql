-- Where a delivery to a target without a name of its own was meant to go (DeliveryWorker.deliveriesFor): its default
-- name is its place in the receiver, which a target inserted above takes. Null where the name is what counts.
ALTER TABLE deliveries ADD COLUMN target_digest VARCHAR(32);
