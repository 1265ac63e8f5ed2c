package dev.waymark.adapters.postgres;

import dev.waymark.domain.Principal;
import dev.waymark.domain.port.KeyGuard;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StoreResult;
import io.r2dbc.spi.ConnectionFactory;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The location repository on PostgreSQL. A whole upload is one statement: the columns are bound
 * as arrays and expanded with {@code unnest}, and point-level duplicates are skipped by the
 * partial unique index on (principal, point_id), so the row count says what was really stored.
 */
@Component
class PostgresLocationRepository implements LocationRepository {

  // One statement: count the rows an earlier attempt stored under the key (the second guard),
  // and insert only when there are none. Rows are inserted in point-id order so two uploads
  // sharing points lock the unique index entries in the same order and cannot deadlock.
  private static final String INSERT = """
      WITH prior AS (
          SELECT count(*) AS rows FROM locations
           WHERE idempotency_key_hash = $12 AND received_at > $13),
      inserted AS (
          INSERT INTO locations (principal, point_id, latitude, longitude, accuracy,
                                 recorded_at, altitude, speed, bearing, provider,
                                 battery_level, idempotency_key_hash)
          SELECT $1, t.point_id, t.latitude, t.longitude, t.accuracy, t.recorded_at,
                 t.altitude, t.speed, t.bearing, t.provider, t.battery_level, $12
            FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[],
                        $6::timestamptz[], $7::float8[], $8::float8[], $9::float8[],
                        $10::text[], $11::int2[])
                 WITH ORDINALITY AS t(point_id, latitude, longitude, accuracy, recorded_at,
                                      altitude, speed, bearing, provider, battery_level,
                                      ordinal)
           WHERE (SELECT rows FROM prior) = 0
           ORDER BY t.point_id, t.ordinal
          ON CONFLICT (principal, point_id) WHERE point_id IS NOT NULL DO NOTHING
          RETURNING 1)
      SELECT (SELECT rows FROM prior) AS prior, (SELECT count(*) FROM inserted) AS stored""";

  private final DatabaseClient database;

  PostgresLocationRepository(ConnectionFactory connectionFactory) {
    this.database = DatabaseClient.create(connectionFactory);
  }

  @Override
  public Mono<StoreResult> store(
      Principal principal, List<Location> locations, Optional<KeyGuard> guard) {
    if (locations.isEmpty()) {
      return Mono.just(new StoreResult(0, 0));
    }
    int size = locations.size();
    DatabaseClient.GenericExecuteSpec insert = new LocationColumns(locations)
        .bind(database.sql(INSERT).bind(0, principal.subject()), 1);
    insert = guard.isPresent()
        ? insert.bind(11, guard.get().key().bytes())
            .bind(12, guard.get().since().atOffset(ZoneOffset.UTC))
        : insert.bindNull(11, byte[].class).bindNull(12, OffsetDateTime.class);
    return insert
        .map(row -> {
          int prior = row.get("prior", Long.class).intValue();
          int stored = prior > 0 ? prior : row.get("stored", Long.class).intValue();
          return new StoreResult(stored, size - stored);
        })
        .one()
        .onErrorMap(StorageErrors::translate);
  }
}
