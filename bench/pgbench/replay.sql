-- A replay with the PostgreSQL key store: the claim finds the key taken, then the record is
-- read (the two statements the service sends), on keys seeded by bench/run.
\set r random(0, 255)
BEGIN;
INSERT INTO idempotency_keys (key_hash, fingerprint, state, created_at, expires_at)
VALUES (sha256(convert_to('pgbench-replay-' || :r, 'UTF8')), sha256('f'::bytea), 'IN_FLIGHT',
        now(), now() + interval '60 seconds')
ON CONFLICT (key_hash) DO NOTHING
RETURNING fencing_token;
SELECT fingerprint, fencing_token, state, expires_at, response_status, response_content_type,
       response_body
  FROM idempotency_keys WHERE key_hash = sha256(convert_to('pgbench-replay-' || :r, 'UTF8'));
COMMIT;
