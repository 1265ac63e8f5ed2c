package dev.waymark.adapters.postgres;

import dev.waymark.domain.location.Location;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * An upload's locations as one array per column, bound to consecutive parameters of a statement
 * that expands them with {@code unnest}: the whole upload travels as one statement.
 */
final class LocationColumns {

  /** Parameters {@link #bind} fills, from its first index on. */
  static final int COUNT = 10;

  private final String[] pointIds;
  private final Double[] latitudes;
  private final Double[] longitudes;
  private final Double[] accuracies;
  private final OffsetDateTime[] recordedAt;
  private final Double[] altitudes;
  private final Double[] speeds;
  private final Double[] bearings;
  private final String[] providers;
  private final Short[] batteryLevels;

  LocationColumns(List<Location> locations) {
    int size = locations.size();
    pointIds = new String[size];
    latitudes = new Double[size];
    longitudes = new Double[size];
    accuracies = new Double[size];
    recordedAt = new OffsetDateTime[size];
    altitudes = new Double[size];
    speeds = new Double[size];
    bearings = new Double[size];
    providers = new String[size];
    batteryLevels = new Short[size];
    for (int i = 0; i < size; i++) {
      Location location = locations.get(i);
      pointIds[i] = location.pointId();
      latitudes[i] = location.latitude();
      longitudes[i] = location.longitude();
      accuracies[i] = location.accuracy();
      recordedAt[i] = location.timestamp().atOffset(ZoneOffset.UTC);
      altitudes[i] = location.altitude();
      speeds[i] = location.speed();
      bearings[i] = location.bearing();
      providers[i] = location.provider();
      batteryLevels[i] = location.batteryLevel() == null
          ? null : location.batteryLevel().shortValue();
    }
  }

  /** Binds the ten columns to parameters {@code first} .. {@code first + 9}. */
  DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec statement, int first) {
    return statement
        .bind(first, pointIds)
        .bind(first + 1, latitudes)
        .bind(first + 2, longitudes)
        .bind(first + 3, accuracies)
        .bind(first + 4, recordedAt)
        .bind(first + 5, altitudes)
        .bind(first + 6, speeds)
        .bind(first + 7, bearings)
        .bind(first + 8, providers)
        .bind(first + 9, batteryLevels);
  }
}
