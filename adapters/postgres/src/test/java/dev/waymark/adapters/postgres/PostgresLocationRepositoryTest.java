package dev.waymark.adapters.postgres;

import dev.waymark.domain.Principal;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.adapters.testkit.LocationRepositoryContract;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The PostgreSQL location repository passes the repository contract on a real server. */
class PostgresLocationRepositoryTest extends LocationRepositoryContract {

  private static final PostgresFixture postgres = PostgresFixture.migrated(Duration.ofSeconds(5));
  private final PostgresLocationRepository repository =
      new PostgresLocationRepository(postgres.connectionFactory);

  @Override
  protected LocationRepository repository() {
    return repository;
  }

  @Override
  protected List<Location> storedFor(Principal principal) {
    try (var connection = postgres.database.openJdbc();
        var query = connection.prepareStatement("""
            SELECT point_id, latitude, longitude, accuracy, recorded_at, altitude, speed,
                   bearing, provider, battery_level
              FROM locations WHERE principal = ?""")) {
      query.setString(1, principal.subject());
      List<Location> rows = new ArrayList<>();
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          rows.add(new Location(row.getString(1), row.getDouble(2), row.getDouble(3),
              row.getDouble(4), row.getObject(5, java.time.OffsetDateTime.class).toInstant(),
              (Double) row.getObject(6), (Double) row.getObject(7), (Double) row.getObject(8),
              row.getString(9), row.getObject(10) == null ? null : row.getInt(10)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
