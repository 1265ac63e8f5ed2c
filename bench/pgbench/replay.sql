-- A replay with the PostgreSQL key store, as the service sends it: the one-statement upload
-- finds the key taken, changes nothing and returns the record; on keys seeded by bench/run.
\set r random(0, 255)
SELECT out_token, out_stored, out_body
  FROM waymark_keyed_upload(
    sha256(convert_to('pgbench-replay-' || :r, 'UTF8')), sha256('f'::bytea),
    now() + interval '60 seconds', 'pgbench',
    ARRAY[NULL]::text[], ARRAY[48.8584]::float8[], ARRAY[2.2945]::float8[],
    ARRAY[12.5]::float8[], ARRAY['2026-12-04T10:15:30Z']::timestamptz[],
    ARRAY[NULL]::float8[], ARRAY[NULL]::float8[], ARRAY[NULL]::float8[],
    ARRAY[NULL]::text[], ARRAY[NULL]::int2[],
    now() - interval '24 hours', now(), now() + interval '24 hours', 200::int2,
    'application/json', convert_to('{"processedCount":', 'UTF8'),
    convert_to(',"duplicateCount":', 'UTF8'), convert_to('}', 'UTF8'));
