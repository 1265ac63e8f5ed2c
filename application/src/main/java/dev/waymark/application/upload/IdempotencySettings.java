package dev.waymark.application.upload;

import java.time.Duration;
import java.util.Objects;

/**
 * How keys protect uploads.
 *
 * @param retention how long a processed request is replayed, counted from its completion
 * @param lease how long an unfinished claim holds its key before another request may take it
 *     over; longer than {@code requestTimeout}, so a claim is never taken from a request that may
 *     still write
 * @param inFlightRetryAfter what a duplicate of an unfinished request is told to wait
 * @param requestTimeout the longest an upload may take before it is abandoned (and rolled back)
 * @param keyStore whether the key store shares the locations' unit of work
 */
public record IdempotencySettings(
    Duration retention,
    Duration lease,
    Duration inFlightRetryAfter,
    Duration requestTimeout,
    KeyStoreConsistency keyStore) {

  /** Where the key store stands with respect to the locations' unit of work. */
  public enum KeyStoreConsistency {
    /**
     * Claim, locations and completion commit together (the key store is in the locations'
     * database): nothing of a failed request remains.
     */
    SHARED_TRANSACTION,
    /**
     * The key store is elsewhere (Redis): the locations commit first, then the claim completes;
     * the fencing token and the key on the rows guard the gap (docs/adr/0007).
     */
    SEPARATE_STORE
  }

  public IdempotencySettings {
    requirePositive(retention, "retention");
    requirePositive(lease, "lease");
    requirePositive(inFlightRetryAfter, "inFlightRetryAfter");
    requirePositive(requestTimeout, "requestTimeout");
    Objects.requireNonNull(keyStore, "keyStore");
    if (lease.compareTo(requestTimeout) <= 0) {
      throw new IllegalArgumentException("the lease (" + lease + ") must outlast the request"
          + " timeout (" + requestTimeout + ")");
    }
    if (retention.compareTo(lease) <= 0) {
      throw new IllegalArgumentException("the retention must outlast the lease");
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
