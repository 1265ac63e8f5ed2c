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

  /**
   * Waits until another session sits idle inside a transaction that has written something: a
   * claim taken and held uncommitted, for a test to race against.
   */
  void awaitUncommittedWrite() {
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    while (java.time.Instant.now().isBefore(deadline)) {
      try (var connection = database.openJdbc();
          var query = connection.prepareStatement("""
              SELECT count(*) FROM pg_stat_activity a
               WHERE a.datname = current_database() AND a.state = 'idle in transaction'
                 AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()""")) {
        var result = query.executeQuery();
        result.next();
        if (result.getLong(1) > 0) {
          return;
        }
        Thread.sleep(20);
      } catch (java.sql.SQLException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no transaction reached its pause with a write uncommitted");
  }
}
