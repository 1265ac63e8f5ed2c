-- The unkeyed single upload: the service's one INSERT (PostgresLocationRepository), no key.
WITH prior AS (
    SELECT count(*) AS rows FROM locations
     WHERE idempotency_key_hash = NULL::bytea AND received_at > NULL::timestamptz),
inserted AS (
    INSERT INTO locations (principal, point_id, latitude, longitude, accuracy, recorded_at,
                           altitude, speed, bearing, provider, battery_level,
                           idempotency_key_hash)
    SELECT 'pgbench', t.point_id, t.latitude, t.longitude, t.accuracy, t.recorded_at,
           t.altitude, t.speed, t.bearing, t.provider, t.battery_level, NULL::bytea
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
