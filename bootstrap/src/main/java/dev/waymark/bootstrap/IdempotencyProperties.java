package dev.waymark.bootstrap;

import dev.waymark.application.upload.IdempotencySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Idempotency configuration ({@code waymark.idempotency.*}).
 *
 * @param ttl how long a processed request is replayed, counted from its completion
 * @param lease how long an unfinished claim holds its key before another request may take it
 *     over; longer than any request may take
 * @param inFlightRetryAfter the Retry-After given to a duplicate of an unfinished request
 */
@ConfigurationProperties("waymark.idempotency")
public record IdempotencyProperties(
    @DefaultValue("PT24H") Duration ttl,
    @DefaultValue("PT60S") Duration lease,
    @DefaultValue("PT1S") Duration inFlightRetryAfter) {

  IdempotencySettings toSettings() {
    return new IdempotencySettings(ttl, lease, inFlightRetryAfter);
  }
}
