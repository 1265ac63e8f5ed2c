-- Idempotency records, one per (principal, key). The key is never stored in clear: key_hash is
-- SHA-256 over the length-prefixed principal and the key (KeyHash in the domain).
CREATE SEQUENCE idempotency_fencing_token_seq;

CREATE TABLE idempotency_keys (
    key_hash              bytea       PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    fingerprint           bytea       NOT NULL CHECK (octet_length(fingerprint) = 32),
    -- Each claim gets a new token; completing or releasing a claim is a compare-and-set on it.
    fencing_token         bigint      NOT NULL DEFAULT nextval('idempotency_fencing_token_seq'),
    state                 text        NOT NULL CHECK (state IN ('IN_FLIGHT', 'COMPLETED')),
    created_at            timestamptz NOT NULL,
    -- While in flight: when the claim's lease lapses. Once completed: when retention ends.
    expires_at            timestamptz NOT NULL,
    completed_at          timestamptz,
    response_status       smallint,
    response_content_type text,
    response_body         bytea,
    CONSTRAINT completed_records_carry_their_response CHECK (
        (state = 'COMPLETED') = (response_status IS NOT NULL
                                 AND response_content_type IS NOT NULL
                                 AND response_body IS NOT NULL
                                 AND completed_at IS NOT NULL))
);
