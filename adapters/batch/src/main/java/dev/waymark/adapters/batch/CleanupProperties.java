package dev.waymark.adapters.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The expired-key cleanup ({@code waymark.cleanup.*}).
 *
 * @param enabled whether the schedule runs (the admin trigger always works)
 * @param cron when it runs, a Spring cron expression (second minute hour day month weekday)
 * @param chunkSize keys deleted per chunk, each chunk one short transaction
 */
@ConfigurationProperties("waymark.cleanup")
public record CleanupProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("0 0 * * * *") String cron,
    @DefaultValue("5000") int chunkSize) {

  public CleanupProperties {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("waymark.cleanup.chunk-size must be at least 1");
    }
  }
}
