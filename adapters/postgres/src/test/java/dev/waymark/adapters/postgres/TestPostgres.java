package dev.waymark.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.waymark.adapters.testkit.DockerEngine;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL that tests run against, found once per JVM in this order:
 *
 * <ol>
 *   <li>a configured server: {@code WAYMARK_TEST_JDBC_URL} (+ {@code WAYMARK_TEST_DB_USER},
 *       {@code WAYMARK_TEST_DB_PASSWORD}), or the same as system properties
 *       {@code waymark.test.jdbc-url}, {@code waymark.test.db-user}, {@code waymark.test.db-password};
 *   <li>a Testcontainers PostgreSQL, where a Docker engine answers;
 *   <li>an embedded PostgreSQL (zonky), started from the binaries on the test classpath.
 * </ol>
 *
 * <p>When none can be had, it throws: a test that needs PostgreSQL fails, it is never skipped.
 * Every caller gets its own freshly created and migrated database on that server.
 */
public final class TestPostgres {

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static final AtomicInteger databases = new AtomicInteger();
  private static Server server;

  private TestPostgres() {}

  /** Where a server is and how to log in to its administrative database. */
  public record Server(String host, int port, String user, String password, String origin) {
    String adminJdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/postgres";
    }
  }

  /** A database created for one test class or one application context. */
  public record Database(String host, int port, String name, String user, String password) {
    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public String r2dbcUrl() {
      return "r2dbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public Connection openJdbc() throws SQLException {
      return DriverManager.getConnection(jdbcUrl(), user, password);
    }
  }

  /** Creates an empty database on the test server, without schema. */
  public static synchronized Database newEmptyDatabase() {
    Server found = server();
    String name = "waymark_test_" + ProcessHandle.current().pid() + "_"
        + databases.incrementAndGet();
    try (Connection admin = DriverManager.getConnection(found.adminJdbcUrl(), found.user(),
        found.password())) {
      admin.createStatement().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + found, e);
    }
    return new Database(found.host(), found.port(), name, found.user(), found.password());
  }

  /** Creates a database on the test server and applies the adapter's Flyway migrations. */
  public static Database newMigratedDatabase() {
    Database database = newEmptyDatabase();
    Flyway.configure()
        .dataSource(database.jdbcUrl(), database.user(), database.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return database;
  }

  /** The server, found on first use. */
  public static synchronized Server server() {
    if (server == null) {
      List<String> tried = new ArrayList<>();
      server = configured(tried)
          .or(() -> container(tried))
          .or(() -> embedded(tried))
          .orElseThrow(() -> new IllegalStateException(
              "No PostgreSQL for the tests. Tried: " + String.join("; ", tried)
                  + ". Set WAYMARK_TEST_JDBC_URL to a server, or run where Docker or the"
                  + " embedded PostgreSQL binaries work."));
      log.info("Tests run against PostgreSQL from {} at {}:{}", server.origin(), server.host(),
          server.port());
    }
    return server;
  }

  private static Optional<Server> configured(List<String> tried) {
    String url = setting("WAYMARK_TEST_JDBC_URL", "waymark.test.jdbc-url");
    if (url == null) {
      tried.add("no configured server (WAYMARK_TEST_JDBC_URL unset)");
      return Optional.empty();
    }
    var parsed = java.net.URI.create(url.substring("jdbc:".length()));
    String user = Optional.ofNullable(setting("WAYMARK_TEST_DB_USER", "waymark.test.db-user"))
        .orElse("postgres");
    String password = Optional.ofNullable(
        setting("WAYMARK_TEST_DB_PASSWORD", "waymark.test.db-password")).orElse("");
    // A configured server that does not answer is an error, not a reason to fall back.
    return Optional.of(new Server(parsed.getHost(), parsed.getPort() < 0 ? 5432 : parsed.getPort(),
        user, password, "configuration (" + url + ")"));
  }

  private static Optional<Server> container(List<String> tried) {
    if (!DockerEngine.available()) {
      tried.add("Testcontainers (no Docker engine answered)");
      return Optional.empty();
    }
    PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-postgres-stop"));
    return Optional.of(new Server(container.getHost(), container.getMappedPort(5432),
        container.getUsername(), container.getPassword(), "Testcontainers"));
  }

  private static Optional<Server> embedded(List<String> tried) {
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (java.io.IOException e) {
          log.warn("embedded PostgreSQL did not stop cleanly", e);
        }
      }, "test-postgres-stop"));
      return Optional.of(new Server("localhost", embedded.getPort(), "postgres", "",
          "embedded PostgreSQL (zonky)"));
    } catch (java.io.IOException | RuntimeException e) {
      tried.add("embedded PostgreSQL (" + e + ")");
      return Optional.empty();
    }
  }

  private static String setting(String environmentVariable, String systemProperty) {
    String value = System.getProperty(systemProperty);
    if (value == null || value.isBlank()) {
      value = System.getenv(environmentVariable);
    }
    return value == null || value.isBlank() ? null : value;
  }
}
