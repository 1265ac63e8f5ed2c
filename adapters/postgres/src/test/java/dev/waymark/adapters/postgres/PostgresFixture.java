package dev.waymark.adapters.postgres;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import java.time.Duration;
import java.util.Map;

/** Connects the adapters to a migrated test database the way the application does. */
final class PostgresFixture {

  final TestPostgres.Database database;
  final ConnectionFactory connectionFactory;

  private PostgresFixture(TestPostgres.Database database, Duration lockTimeout) {
    this.database = database;
    this.connectionFactory = ConnectionFactories.get(
        ConnectionFactoryOptions.parse(database.r2dbcUrl()).mutate()
            .option(ConnectionFactoryOptions.USER, database.user())
            .option(ConnectionFactoryOptions.PASSWORD, database.password())
            .option(PostgresqlConnectionFactoryProvider.OPTIONS,
                Map.of("lock_timeout", lockTimeout.toMillis() + "ms"))
            .build());
  }

  static PostgresFixture migrated(Duration lockTimeout) {
    return new PostgresFixture(TestPostgres.newMigratedDatabase(), lockTimeout);
  }
}
