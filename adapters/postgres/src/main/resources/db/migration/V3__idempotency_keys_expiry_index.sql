-- The cleanup job deletes completed records past their retention, oldest first, in bounded
-- chunks: this partial index serves both the filter and the order, so each chunk reads only
-- the rows it deletes, however large the table.
CREATE INDEX idempotency_keys_completed_expiry_idx
    ON idempotency_keys (expires_at) WHERE state = 'COMPLETED';
