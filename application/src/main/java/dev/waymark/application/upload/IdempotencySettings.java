package dev.waymark.application.upload;

import java.time.Duration;
import java.util.Objects;

/**
 * How long keys protect uploads.
 *
 * @param retention how long a processed request is replayed, counted from its completion
 * @param lease how long an unfinished claim holds its key before another request may take it over
 *     (longer than any request can take)
 * @param inFlightRetryAfter what a duplicate of an unfinished request is told to wait
 */
public record IdempotencySettings(Duration retention, Duration lease, Duration inFlightRetryAfter) {

  public IdempotencySettings {
    requirePositive(retention, "retention");
    requirePositive(lease, "lease");
    requirePositive(inFlightRetryAfter, "inFlightRetryAfter");
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
