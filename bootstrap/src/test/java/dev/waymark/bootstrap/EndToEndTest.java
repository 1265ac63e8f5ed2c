package dev.waymark.bootstrap;

import dev.waymark.adapters.postgres.TestPostgres;
import dev.waymark.adapters.redis.TestRedis;
import org.springframework.beans.factory.annotation.Autowired;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the end-to-end tests: the whole application on a random port, over real HTTP, against
 * a real PostgreSQL (a fresh database shared by every subclass, so they share one context).
 * Each test uses its own principal, so tests never see each other's keys or points.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class EndToEndTest {

  static final TestPostgres.Database DATABASE = TestPostgres.newEmptyDatabase();
  static final String CLEANUP_CRON = "0 0 0 29 2 *";

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.r2dbc.url", DATABASE::r2dbcUrl);
    registry.add("spring.r2dbc.username", DATABASE::user);
    registry.add("spring.r2dbc.password", DATABASE::password);
    registry.add("spring.datasource.url", DATABASE::jdbcUrl);
    registry.add("spring.datasource.username", DATABASE::user);
    registry.add("spring.datasource.password", DATABASE::password);
    registry.add("waymark.security.jwt.hmac-secret", () -> TestTokens.SECRET);
    registry.add("waymark.postgres.lock-timeout", () -> "PT1S");
    // A schedule that never fires during a run (29 February), so no scheduled cleanup races the
    // tests that start and count cleanups themselves.
    registry.add("waymark.cleanup.cron", () -> CLEANUP_CRON);
    registry.add("spring.data.redis.host", () -> TestRedis.shared().host());
    registry.add("spring.data.redis.port", () -> TestRedis.shared().port());
  }

  @Autowired
  org.springframework.context.ApplicationContext context;

  /** The key store's records, read and bent behind the service's back, whichever store it is. */
  KeyStoreFixture keys() {
    return KeyStoreFixture.of(context, DATABASE);
  }

  @LocalServerPort
  int port;

  WebTestClient http;
  String device;
  String deviceToken;

  @BeforeEach
  void connect() {
    http = WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + port)
        .responseTimeout(Duration.ofSeconds(30))
        .build();
    device = "device-" + UUID.randomUUID();
    deviceToken = TestTokens.device(device);
  }

  static String location(String id, double latitude) {
    return """
        {"id":%s,"latitude":%s,"longitude":2.2945,"accuracy":12.5,\
        "timestamp":"2026-12-04T10:15:30Z","altitude":35.2,"speed":1.4,"bearing":270.0,\
        "provider":"gps","batteryLevel":81}"""
        .formatted(id == null ? "null" : "\"" + id + "\"", latitude);
  }

  static String batch(String... items) {
    return "{\"locations\":[" + String.join(",", items) + "]}";
  }

  WebTestClient.ResponseSpec post(String path, String token, String key, String body) {
    return http.post().uri(path)
        .headers(headers -> {
          if (token != null) {
            headers.setBearerAuth(token);
          }
          if (key != null) {
            headers.set("Idempotency-Key", key);
          }
        })
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  WebTestClient.ResponseSpec single(String key, String body) {
    return post("/api/v1/locations", deviceToken, key, body);
  }

  WebTestClient.ResponseSpec batchUpload(String key, String body) {
    return post("/api/v1/locations/batch", deviceToken, key, body);
  }

  static String bodyOf(EntityExchangeResult<byte[]> result) {
    return new String(result.getResponseBody(), StandardCharsets.UTF_8);
  }

  Connection jdbc() throws SQLException {
    return DATABASE.openJdbc();
  }

  long count(String sql, Object... parameters) {
    try (Connection connection = jdbc(); var query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      var result = query.executeQuery();
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long storedFor(String principal) {
    return count("SELECT count(*) FROM locations WHERE principal = ?", principal);
  }

  long stored() {
    return storedFor(device);
  }
}
