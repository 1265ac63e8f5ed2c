-- The keyed single upload with the PostgreSQL key store, as the service sends it for a fresh
-- key: one statement calling waymark_keyed_upload (V4), which claims the key, stores the point
-- under the key guard and completes the record in the statement's own transaction.
\set k random(1, 9000000000000000000)
SELECT out_token, out_stored, out_body
  FROM waymark_keyed_upload(
    sha256(convert_to(:client_id || '/' || :k, 'UTF8')), sha256('f'::bytea),
    now() + interval '60 seconds', 'pgbench',
    ARRAY[NULL]::text[], ARRAY[48.8584]::float8[], ARRAY[2.2945]::float8[],
    ARRAY[12.5]::float8[], ARRAY['2026-12-04T10:15:30Z']::timestamptz[],
    ARRAY[NULL]::float8[], ARRAY[NULL]::float8[], ARRAY[NULL]::float8[],
    ARRAY[NULL]::text[], ARRAY[NULL]::int2[],
    now() - interval '24 hours', now(), now() + interval '24 hours', 200::int2,
    'application/json', convert_to('{"processedCount":', 'UTF8'),
    convert_to(',"duplicateCount":', 'UTF8'), convert_to('}', 'UTF8'));
