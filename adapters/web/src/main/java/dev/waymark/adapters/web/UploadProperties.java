package dev.waymark.adapters.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the upload API ({@code waymark.upload.*}).
 *
 * @param maxBatchSize most items one batch may carry
 * @param maxBodySize largest request body read; larger ones are refused with 413 while reading
 * @param maxClockSkew how far in the future a location's timestamp may lie
 */
@ConfigurationProperties("waymark.upload")
public record UploadProperties(
    @DefaultValue("1000") int maxBatchSize,
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("PT1H") Duration maxClockSkew) {

  public UploadProperties {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("waymark.upload.max-batch-size must be at least 1");
    }
    if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("waymark.upload.max-body-size must be 1B..2GB");
    }
  }
}
