package dev.waymark.domain.location;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validation rules of a location (the HTTP contract's field table), as a plain function of
 * the candidate and the current instant.
 */
public final class LocationRules {

  /** The earliest timestamp accepted: older values are clock faults on the device. */
  public static final Instant EARLIEST_TIMESTAMP = Instant.parse("2000-01-01T00:00:00Z");

  public static final int POINT_ID_MAX_LENGTH = 64;
  public static final int PROVIDER_MAX_LENGTH = 32;

  private final Duration maxClockSkew;

  /**
   * @param maxClockSkew how far in the future a timestamp may lie (device clocks drift)
   */
  public LocationRules(Duration maxClockSkew) {
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative");
    }
    this.maxClockSkew = maxClockSkew;
  }

  /** Judges a candidate at {@code now}: every broken rule is reported, not only the first. */
  public LocationVerdict judge(LocationCandidate candidate, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    checkPointId(candidate.pointId(), errors);
    requireInRange("latitude", candidate.latitude(), -90, 90, errors);
    requireInRange("longitude", candidate.longitude(), -180, 180, errors);
    if (candidate.accuracy() == null) {
      errors.add(new FieldError("accuracy", "is required"));
    } else if (!(candidate.accuracy() >= 0) || candidate.accuracy().isInfinite()) {
      errors.add(new FieldError("accuracy", "must be a finite number of metres, at least 0"));
    }
    Instant timestamp = checkTimestamp(candidate.timestamp(), now, errors);
    if (candidate.altitude() != null && !Double.isFinite(candidate.altitude())) {
      errors.add(new FieldError("altitude", "must be a finite number of metres"));
    }
    Double speed = unknownWhenNegative(candidate.speed());
    if (speed != null && !Double.isFinite(speed)) {
      errors.add(new FieldError("speed", "must be a finite number of m/s, or negative for unknown"));
    }
    Double bearing = unknownWhenNegative(candidate.bearing());
    if (bearing != null && !(bearing <= 360)) {
      errors.add(new FieldError("bearing", "must be between 0 and 360, or negative for unknown"));
    }
    if (candidate.provider() != null
        && candidate.provider().codePointCount(0, candidate.provider().length())
            > PROVIDER_MAX_LENGTH) {
      errors.add(new FieldError("provider", "must be at most 32 characters"));
    }
    Integer batteryLevel = checkBatteryLevel(candidate.batteryLevel(), errors);

    if (!errors.isEmpty()) {
      return new LocationVerdict.Rejected(errors);
    }
    return new LocationVerdict.Accepted(
        new Location(
            candidate.pointId(),
            candidate.latitude(),
            candidate.longitude(),
            candidate.accuracy(),
            timestamp,
            candidate.altitude(),
            speed,
            bearing,
            candidate.provider(),
            batteryLevel));
  }

  private static void checkPointId(String pointId, List<FieldError> errors) {
    if (pointId == null) {
      return;
    }
    boolean visibleAscii = pointId.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    if (pointId.isEmpty() || pointId.length() > POINT_ID_MAX_LENGTH || !visibleAscii) {
      errors.add(
          new FieldError("id", "must be 1 to 64 visible ASCII characters (0x21-0x7E)"));
    }
  }

  private static void requireInRange(
      String field, Double value, double min, double max, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(field, "is required"));
    } else if (!(value >= min && value <= max)) {
      errors.add(new FieldError(field, "must be between " + (int) min + " and " + (int) max));
    }
  }

  private Instant checkTimestamp(String text, Instant now, List<FieldError> errors) {
    if (text == null) {
      errors.add(new FieldError("timestamp", "is required"));
      return null;
    }
    Instant timestamp;
    try {
      timestamp = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              "timestamp", "must be an ISO-8601 instant with offset, e.g. 2026-12-04T10:15:30Z"));
      return null;
    }
    if (timestamp.isBefore(EARLIEST_TIMESTAMP)) {
      errors.add(new FieldError("timestamp", "must not be before 2000-01-01T00:00:00Z"));
    } else if (timestamp.isAfter(now.plus(maxClockSkew))) {
      errors.add(
          new FieldError("timestamp", "must not be more than " + maxClockSkew + " in the future"));
    }
    return timestamp;
  }

  private static Integer checkBatteryLevel(Double value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (value >= 0 && value <= 100 && value == Math.rint(value)) {
      return value.intValue();
    }
    errors.add(new FieldError("batteryLevel", "must be an integer between 0 and 100"));
    return null;
  }

  /** Mobile SDKs send -1 for "unknown": stored as absent rather than rejected. */
  private static Double unknownWhenNegative(Double value) {
    return value != null && value < 0 ? null : value;
  }
}
