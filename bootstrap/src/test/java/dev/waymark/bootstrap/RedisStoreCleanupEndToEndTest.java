package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With the Redis key store the cleanup job has nothing to delete (TTL does it) and says so. */
@TestPropertySource(properties = RedisStoreEndToEndTest.REDIS_STORE)
class RedisStoreCleanupEndToEndTest extends EndToEndTest {

  @Test
  void theCleanupRunsAndReportsZeroDeletedKeys() throws InterruptedException {
    single("kept-by-ttl", location(null, 1)).expectStatus().isOk();
    String admin = TestTokens.admin("operator");
    Map<?, ?> started = http.post().uri("/api/v1/admin/idempotency-keys/cleanup")
        .headers(h -> h.setBearerAuth(admin)).exchange()
        .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
    long id = ((Number) started.get("executionId")).longValue();
    Map<?, ?> execution = Map.of();
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      execution = http.get().uri("/api/v1/admin/idempotency-keys/cleanup/" + id)
          .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isOk()
          .expectBody(Map.class).returnResult().getResponseBody();
      if (execution.get("endTime") != null) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(execution.get("status")).isEqualTo("COMPLETED");
    assertThat(((Number) execution.get("deletedCount")).longValue()).isZero();
    single("kept-by-ttl", location(null, 1)).expectStatus().isOk()
        .expectHeader().valueEquals("Idempotent-Replayed", "true");
  }
}
