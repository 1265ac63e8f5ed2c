-- A keyed batch of 100 locations without point ids, PostgreSQL key store: the transaction the
-- service runs (claim, guarded insert, completion), fresh key each time. The arrays are built
-- by the server here; the service sends them from the client, so this ceiling is generous.
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
      FROM unnest(array_fill(NULL::text, ARRAY[100]), array_fill(48.8584::float8, ARRAY[100]),
                  array_fill(2.2945::float8, ARRAY[100]), array_fill(12.5::float8, ARRAY[100]),
                  array_fill('2026-12-04T10:15:30Z'::timestamptz, ARRAY[100]),
                  array_fill(NULL::float8, ARRAY[100]), array_fill(NULL::float8, ARRAY[100]),
                  array_fill(NULL::float8, ARRAY[100]), array_fill(NULL::text, ARRAY[100]),
                  array_fill(NULL::int2, ARRAY[100]))
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
       response_body = convert_to('{"processedCount":100,"duplicateCount":0,"rejected":[]}', 'UTF8')
 WHERE key_hash = sha256(convert_to(:client_id || '/' || :k, 'UTF8'))
   AND fencing_token IS NOT NULL AND state = 'IN_FLIGHT';
COMMIT;
