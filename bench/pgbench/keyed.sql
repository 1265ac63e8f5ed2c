-- The keyed single upload with the PostgreSQL key store: the same transaction the service runs
-- (claim, guarded insert, completion), with a fresh key every time.
\set k random(1, 9000000000000000000)
BEGIN;
INSERT INTO idempotency_keys (key_hash, fingerprint, state, created_at, expires_at)
VALUES (sha256(convert_to(:client_id || '/' || :k, 'UTF8')), sha256('f'::bytea), 'IN_FLIGHT',
        now(), now() + interval '60 seconds')
ON CONFLICT (key_hash) DO NOTHING
RETURNING fencing_token;
WITH prior AS (
    SELECT count(*) AS rows FROM locations
     WHERE idempotency_key_hash = sha256(convert_to(:client_id || '/' || :k, 'UTF8'))
       AND received_at > now() - interval '24 hours'),
inserted AS (
    INSERT INTO locations (principal, point_id, latitude, longitude, accuracy, recorded_at,
                           altitude, speed, bearing, provider, battery_level,
                           idempotency_key_hash)
    SELECT 'pgbench', t.point_id, t.latitude, t.longitude, t.accuracy, t.recorded_at,
           t.altitude, t.speed, t.bearing, t.provider, t.battery_level,
           sha256(convert_to(:client_id || '/' || :k, 'UTF8'))
      FROM unnest(ARRAY[NULL]::text[], ARRAY[48.8584]::float8[], ARRAY[2.2945]::float8[],
                  ARRAY[12.5]::float8[], ARRAY['2026-12-04T10:15:30Z']::timestamptz[],
                  ARRAY[NULL]::float8[], ARRAY[NULL]::float8[], ARRAY[NULL]::float8[],
                  ARRAY[NULL]::text[], ARRAY[NULL]::int2[])
           WITH ORDINALITY AS t(point_id, latitude, longitude, accuracy, recorded_at, altitude,
                                speed, bearing, provider, battery_level, ordinal)
     WHERE (SELECT rows FROM prior) = 0
     ORDER BY t.point_id, t.ordinal
    ON CONFLICT (principal, point_id) WHERE point_id IS NOT NULL DO NOTHING
    RETURNING 1)
SELECT (SELECT rows FROM prior) AS prior, (SELECT count(*) FROM inserted) AS stored;
UPDATE idempotency_keys
   SET state = 'COMPLETED', completed_at = now(), expires_at = now() + interval '24 hours',
       response_status = 200, response_content_type = 'application/json',
       response_body = convert_to('{"processedCount":1,"duplicateCount":0}', 'UTF8')
 WHERE key_hash = sha256(convert_to(:client_id || '/' || :k, 'UTF8'))
   AND fencing_token IS NOT NULL AND state = 'IN_FLIGHT';
COMMIT;
