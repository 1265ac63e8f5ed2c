package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.adapters.redis.TestRedis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis going away under the Redis key store: keyed uploads fail closed (503 with Retry-After,
 * nothing stored), unkeyed uploads go on, readiness reports Redis down, and the service
 * recovers by itself when Redis returns. Runs its own redis-server so it can stop it.
 */
class RedisOutageEndToEndTest {

  Process redis;
  int redisPort;
  ConfigurableApplicationContext service;
  WebTestClient http;
  String token;
  String device;

  @BeforeEach
  void start() throws Exception {
    redis = TestRedis.startServer(0);
    redisPort = TestRedis.portOf(redis);
    var database = EndToEndTest.DATABASE;
    service = new SpringApplicationBuilder(WaymarkApplication.class).run("--server.port=0",
        "--spring.r2dbc.url=" + database.r2dbcUrl(),
        "--spring.r2dbc.username=" + database.user(),
        "--spring.r2dbc.password=" + database.password(),
        "--waymark.security.jwt.hmac-secret=" + TestTokens.SECRET,
        "--waymark.cleanup.enabled=false",
        "--waymark.idempotency.store=redis",
        "--spring.data.redis.host=127.0.0.1",
        "--spring.data.redis.port=" + redisPort,
        "--spring.data.redis.timeout=2s");
    http = WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + service.getEnvironment().getProperty("local.server.port"))
        .responseTimeout(Duration.ofSeconds(20)).build();
    device = "outage-" + System.nanoTime();
    token = TestTokens.device(device);
  }

  @AfterEach
  void stop() {
    service.close();
    redis.destroyForcibly();
  }

  WebTestClient.ResponseSpec upload(String key, double latitude) {
    return http.post().uri("/api/v1/locations").headers(h -> {
      h.setBearerAuth(token);
      if (key != null) {
        h.set("Idempotency-Key", key);
      }
    }).contentType(MediaType.APPLICATION_JSON)
        .bodyValue(EndToEndTest.location(null, latitude)).exchange();
  }

  long stored() {
    try (var connection = EndToEndTest.DATABASE.openJdbc();
        var query = connection.prepareStatement(
            "SELECT count(*) FROM locations WHERE principal = ?")) {
      query.setString(1, device);
      var result = query.executeQuery();
      result.next();
      return result.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void keyedUploadsFailClosedWhileRedisIsDownAndEverythingRecoversWhenItReturns()
      throws Exception {
    upload("before", 1).expectStatus().isOk();
    http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

    redis.destroyForcibly().waitFor();
    Instant asked = Instant.now();
    upload("during", 2).expectStatus().isEqualTo(503)
        .expectHeader().exists("Retry-After")
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.type")
        .isEqualTo("https://waymark.dev/problems/storage-unavailable");
    assertThat(Duration.between(asked, Instant.now()))
        .as("refused promptly, not held until a timeout").isLessThan(Duration.ofSeconds(10));
    assertThat(stored()).as("nothing of the refused keyed upload was stored").isEqualTo(1);
    upload(null, 3).expectStatus().isOk();
    assertThat(stored()).isEqualTo(2);
    http.get().uri("/actuator/health/readiness").exchange()
        .expectStatus().isEqualTo(503)
        .expectBody().jsonPath("$.status").isEqualTo("DOWN");

    redis = TestRedis.startServer(redisPort);
    Instant deadline = Instant.now().plusSeconds(60);
    int status = 0;
    while (Instant.now().isBefore(deadline) && status != 200) {
      status = upload("during", 2).returnResult(String.class).getStatus().value();
      if (status != 200) {
        Thread.sleep(200);
      }
    }
    assertThat(status).as("keyed uploads work again without a restart").isEqualTo(200);
    upload("during", 2).expectStatus().isOk()
        .expectHeader().valueEquals("Idempotent-Replayed", "true");
    http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    assertThat(stored()).isEqualTo(3);
  }
}
