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
 * @param requestTimeout the longest an upload may take; shorter than the lease
 * @param store where keys live: {@code postgres} (with the locations, one transaction) or
 *     {@code redis} (distributed; docs/adr/0007-redis-key-store.md)
 */
@ConfigurationProperties("waymark.idempotency")
public record IdempotencyProperties(
    @DefaultValue("PT24H") Duration ttl,
    @DefaultValue("PT60S") Duration lease,
    @DefaultValue("PT1S") Duration inFlightRetryAfter,
    @DefaultValue("PT30S") Duration requestTimeout,
    @DefaultValue("postgres") Store store) {

  /** The key stores Waymark ships. */
  public enum Store { POSTGRES, REDIS }

  IdempotencySettings toSettings() {
    return new IdempotencySettings(ttl, lease, inFlightRetryAfter, requestTimeout,
        store == Store.POSTGRES
            ? IdempotencySettings.KeyStoreConsistency.SHARED_TRANSACTION
            : IdempotencySettings.KeyStoreConsistency.SEPARATE_STORE);
  }
}
