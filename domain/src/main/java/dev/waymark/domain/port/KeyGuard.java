package dev.waymark.domain.port;

import dev.waymark.domain.idempotency.KeyHash;
import java.time.Instant;
import java.util.Objects;

/**
 * The idempotency key an upload arrives under, kept on every stored row, and the instant after
 * which rows under that key belong to the current life of the key: the second guard against storing one
 * request twice when the key store is not in the same transaction as the locations
 * (docs/adr/0007-redis-key-store.md).
 */
public record KeyGuard(KeyHash key, Instant since) {

  public KeyGuard {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(since, "since");
  }
}
