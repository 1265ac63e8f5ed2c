-- A fresh keyed upload in one statement (AtomicKeyedUpload, ADR 0010): claim the key, store the
-- locations under the key guard, complete the record with the response, all in the statement's
-- own transaction, one round trip. The same three steps the service otherwise sends one by one
-- inside BEGIN ... COMMIT, with the same SQL. A key already held changes nothing: the function
-- returns the record that holds it (read by a statement of its own, so with a snapshot that
-- sees the holder's commit), so a replay is one round trip too; no row when the holder went
-- away meanwhile. A concurrent duplicate's uncommitted claim is waited on (bounded by
-- lock_timeout), as with the steps.
CREATE FUNCTION waymark_keyed_upload(
    p_key_hash bytea, p_fingerprint bytea, p_lease_end timestamptz,
    p_principal text, p_point_ids text[], p_latitudes float8[], p_longitudes float8[],
    p_accuracies float8[], p_recorded_at timestamptz[], p_altitudes float8[],
    p_speeds float8[], p_bearings float8[], p_providers text[], p_battery_levels int2[],
    p_guard_since timestamptz, p_completed_at timestamptz, p_expires_at timestamptz,
    p_status int2, p_content_type text, p_body_head bytea, p_body_middle bytea,
    p_body_tail bytea)
RETURNS TABLE (out_claimed boolean, out_stored integer, out_fingerprint bytea, out_token bigint,
               out_state text, out_expires_at timestamptz, out_status int2,
               out_content_type text, out_body bytea)
LANGUAGE plpgsql AS $$
DECLARE
    v_token  bigint;
    v_stored bigint;
    v_body   bytea;
BEGIN
    INSERT INTO idempotency_keys (key_hash, fingerprint, state, created_at, expires_at)
    VALUES (p_key_hash, p_fingerprint, 'IN_FLIGHT', now(), p_lease_end)
    ON CONFLICT (key_hash) DO NOTHING
    RETURNING fencing_token INTO v_token;
    IF v_token IS NULL THEN
        RETURN QUERY
            SELECT false, NULL::integer, k.fingerprint, k.fencing_token, k.state, k.expires_at,
                   k.response_status, k.response_content_type, k.response_body
              FROM idempotency_keys k
             WHERE k.key_hash = p_key_hash;
        RETURN;
    END IF;

    -- The key guard: rows an earlier attempt stored under the key answer for it.
    SELECT count(*) INTO v_stored FROM locations
     WHERE idempotency_key_hash = p_key_hash AND received_at > p_guard_since;
    IF v_stored = 0 THEN
        WITH inserted AS (
            INSERT INTO locations (principal, point_id, latitude, longitude, accuracy,
                                   recorded_at, altitude, speed, bearing, provider,
                                   battery_level, idempotency_key_hash)
            SELECT p_principal, t.point_id, t.latitude, t.longitude, t.accuracy,
                   t.recorded_at, t.altitude, t.speed, t.bearing, t.provider,
                   t.battery_level, p_key_hash
              FROM unnest(p_point_ids, p_latitudes, p_longitudes, p_accuracies,
                          p_recorded_at, p_altitudes, p_speeds, p_bearings, p_providers,
                          p_battery_levels)
                   WITH ORDINALITY AS t(point_id, latitude, longitude, accuracy,
                                        recorded_at, altitude, speed, bearing, provider,
                                        battery_level, ordinal)
             ORDER BY t.point_id, t.ordinal
            ON CONFLICT (principal, point_id) WHERE point_id IS NOT NULL DO NOTHING
            RETURNING 1)
        SELECT count(*) INTO v_stored FROM inserted;
    END IF;

    v_body := p_body_head || convert_to(v_stored::text, 'UTF8') || p_body_middle
        || convert_to((cardinality(p_point_ids) - v_stored)::text, 'UTF8') || p_body_tail;
    UPDATE idempotency_keys
       SET state = 'COMPLETED', completed_at = p_completed_at, expires_at = p_expires_at,
           response_status = p_status, response_content_type = p_content_type,
           response_body = v_body
     WHERE key_hash = p_key_hash AND fencing_token = v_token;

    RETURN QUERY SELECT true, v_stored::integer, p_fingerprint, v_token, 'COMPLETED'::text,
        p_expires_at, p_status, p_content_type, v_body;
END $$;
