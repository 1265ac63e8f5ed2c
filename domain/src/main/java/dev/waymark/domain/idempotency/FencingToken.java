package dev.waymark.domain.idempotency;

/**
 * Identifies one claim of a key. A store only completes or releases a claim whose token is still
 * the current one, so a request whose claim was taken over cannot overwrite the newer result.
 */
public record FencingToken(long value) {}
