package dev.waymark.domain.location;

import java.time.Instant;
import java.util.Objects;

/**
 * A validated location record as the service stores it.
 *
 * <p>Optional values are {@code null} when the device did not send them, or (speed, bearing)
 * when it sent the "unknown" sentinel, a negative number.
 *
 * @param pointId the device's own identifier of this point, used for point-level deduplication
 */
public record Location(
    String pointId,
    double latitude,
    double longitude,
    double accuracy,
    Instant timestamp,
    Double altitude,
    Double speed,
    Double bearing,
    String provider,
    Integer batteryLevel) {

  public Location {
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
