package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.adapters.postgres.TestPostgres;
import dev.waymark.adapters.redis.TestRedis;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged service ({@code java -jar}) killed with SIGKILL while an upload is inside its
 * transaction, restarted, and the phone's retry with the same key: stored exactly once and
 * answered 200 with the right counts. Runs after {@code package}, with Failsafe.
 */
class ProcessKillIT {

  static final TestPostgres.Database DATABASE = TestPostgres.newEmptyDatabase();
  static final int POINTS = 25;

  /** Holds the insert of a "hold" point while the test's flag row exists. */
  static final String HOLD_INSERTS = """
      CREATE TABLE IF NOT EXISTS waymark_test_hold (flag int);
      CREATE OR REPLACE FUNCTION waymark_test_hold_insert() RETURNS trigger AS $$
      BEGIN
        IF NEW.provider = 'hold' AND EXISTS (SELECT 1 FROM waymark_test_hold) THEN
          PERFORM pg_sleep(5);
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      DROP TRIGGER IF EXISTS waymark_test_hold_insert ON locations;
      CREATE TRIGGER waymark_test_hold_insert BEFORE INSERT ON locations
        FOR EACH ROW EXECUTE FUNCTION waymark_test_hold_insert();""";

  final List<Process> services = new ArrayList<>();

  @AfterEach
  void stopServices() {
    services.forEach(Process::destroyForcibly);
  }

  @ParameterizedTest(name = "key store {0}")
  @ValueSource(strings = {"postgres", "redis"})
  void anUploadCutOffByKillMinus9IsStoredExactlyOnceByItsRetry(String store) throws Exception {
    int port = freePort();
    String device = "kill-" + store + "-" + System.nanoTime();
    String token = TestTokens.device(device);
    String key = "kill-9-" + store;
    String body = DatabaseFaults.points("hold-" + store, POINTS - 1).replace("]}",
        ",{\"id\":\"held-" + store + "\",\"latitude\":1,\"longitude\":2,\"accuracy\":3,"
            + "\"timestamp\":\"2026-12-04T10:15:30Z\",\"provider\":\"hold\"}]}");

    Process first = start(store, port, "first");
    sql(HOLD_INSERTS + "INSERT INTO waymark_test_hold VALUES (1);");
    HttpLoad http = new HttpLoad(port);
    Thread upload = new Thread(() -> {
      try {
        http.post("/api/v1/locations/batch", token, key, body, Duration.ofSeconds(60));
      } catch (IOException | InterruptedException e) {
        // Expected: the service dies under this request.
      }
    });
    upload.start();
    DatabaseFaults.awaitTrue(Duration.ofSeconds(30), () -> count(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'"
            + " AND datname = current_database()") > 0);

    first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no rollback from the JVM
    Instant killed = Instant.now();
    sql("DELETE FROM waymark_test_hold");
    upload.join();
    assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    start(store, port, "restarted");
    HttpLoad.Answer retry = http.post("/api/v1/locations/batch", token, key, body,
        Duration.ofSeconds(60));
    int conflicts = 0;
    while (retry.status() == 409) {
      // The dead request's claim holds the key until PostgreSQL ends its session (the
      // transaction's lock) or, with Redis, until its lease lapses.
      conflicts++;
      assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(60));
      Thread.sleep(1_000);
      retry = http.post("/api/v1/locations/batch", token, key, body, Duration.ofSeconds(60));
    }
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(DatabaseFaults.count(DatabaseFaults.PROCESSED, retry.body())).isEqualTo(POINTS);
    assertThat(count("SELECT count(*) FROM locations WHERE principal = '" + device + "'"))
        .as("stored exactly once").isEqualTo(POINTS);
    HttpLoad.Answer replay = http.post("/api/v1/locations/batch", token, key, body,
        Duration.ofSeconds(60));
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.body()).isEqualTo(retry.body());
    System.out.printf("[kill-9/%s] retry answered 200 (processedCount %d) %.1f s after the kill,"
            + " after %d answers of 409; %d rows stored%n", store, POINTS,
        Duration.between(killed, Instant.now()).toMillis() / 1000.0, conflicts, POINTS);
  }

  private Process start(String store, int port, String name) throws Exception {
    String jar = System.getProperty("waymark.jar");
    assertThat(jar).as("waymark.jar names the packaged service").isNotNull();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Path.of("target", "kill-it-" + store + "-" + name + ".log");
    Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar,
        "--server.port=" + port,
        "--spring.r2dbc.url=" + DATABASE.r2dbcUrl(),
        "--spring.r2dbc.username=" + DATABASE.user(),
        "--spring.r2dbc.password=" + DATABASE.password(),
        "--spring.datasource.url=" + DATABASE.jdbcUrl(),
        "--spring.datasource.username=" + DATABASE.user(),
        "--spring.datasource.password=" + DATABASE.password(),
        "--waymark.security.jwt.hmac-secret=" + TestTokens.SECRET,
        "--waymark.cleanup.enabled=false",
        "--waymark.idempotency.store=" + store,
        "--waymark.idempotency.request-timeout=PT8S",
        "--waymark.idempotency.lease=PT10S",
        "--spring.data.redis.host=" + TestRedis.shared().host(),
        "--spring.data.redis.port=" + TestRedis.shared().port())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    services.add(process);
    HttpLoad http = new HttpLoad(port);
    Instant deadline = Instant.now().plusSeconds(90);
    while (true) {
      assertThat(process.isAlive()).as("the service runs; see %s", log).isTrue();
      assertThat(Instant.now()).as("ready within 90 s; see %s", log).isBefore(deadline);
      try {
        if (http.get("/actuator/health/readiness", Duration.ofSeconds(2)).status() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
  }

  private static void sql(String statements) throws SQLException {
    try (Connection connection = DATABASE.openJdbc()) {
      connection.createStatement().execute(statements);
    }
  }

  private static long count(String sql) {
    try (Connection connection = DATABASE.openJdbc();
        var result = connection.createStatement().executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static {
    new File("target").mkdirs();
  }
}
