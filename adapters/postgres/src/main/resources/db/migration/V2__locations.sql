CREATE TABLE locations (
    id                   bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    principal            text             NOT NULL,
    -- The device's own identifier of the point (optional): deduplicated per principal, for good.
    point_id             text,
    latitude             double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude            double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    accuracy             double precision NOT NULL CHECK (accuracy >= 0),
    recorded_at          timestamptz      NOT NULL,
    altitude             double precision,
    speed                double precision CHECK (speed >= 0),
    bearing              double precision CHECK (bearing BETWEEN 0 AND 360),
    provider             text,
    battery_level        smallint         CHECK (battery_level BETWEEN 0 AND 100),
    -- The idempotency key the point arrived under (hash only): the second guard against a
    -- keyed upload being stored twice, and a way to trace a row back to its request.
    idempotency_key_hash bytea,
    received_at          timestamptz      NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX locations_principal_point_id_key
    ON locations (principal, point_id) WHERE point_id IS NOT NULL;

CREATE INDEX locations_idempotency_key_hash_idx
    ON locations (idempotency_key_hash) WHERE idempotency_key_hash IS NOT NULL;

CREATE INDEX locations_principal_recorded_at_idx ON locations (principal, recorded_at);
