package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** What only the PostgreSQL key store shows: its table, and waits on uncommitted claims. */
class PostgresKeyStoreEndToEndTest extends EndToEndTest {

  static final String POINT = location(null, 1);

  KeyHash hashOf(String key) {
    return KeyHash.of(new Principal(device), new IdempotencyKey(key));
  }

  @Test
  void theTableHoldsOnlyTheHashNeverTheKeyText() {
    single("stored-as-hash", POINT).expectStatus().isOk();
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE key_hash = ?",
        hashOf("stored-as-hash").bytes())).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE position("
        + "convert_to('stored-as-hash', 'UTF8') in key_hash) > 0"
        + " OR position(convert_to('stored-as-hash', 'UTF8') in response_body) > 0"))
        .isZero();
  }

  @Test
  void aDuplicateOfAnUnfinishedRequestWaitsBoundedlyThenGets409() throws SQLException {
    try (Connection holder = jdbc()) {
      holder.setAutoCommit(false);
      try (var claim = holder.prepareStatement("INSERT INTO idempotency_keys (key_hash,"
          + " fingerprint, state, created_at, expires_at) VALUES (?, ?, 'IN_FLIGHT', now(),"
          + " now() + interval '1 minute')")) {
        claim.setBytes(1, hashOf("held").bytes());
        claim.setBytes(2, new byte[32]);
        claim.executeUpdate();
      }
      single("held", POINT)
          .expectStatus().isEqualTo(409)
          .expectHeader().valueEquals("Retry-After", "1")
          .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody().jsonPath("$.type").value(type -> assertThat((String) type)
              .endsWith("idempotency-key-in-flight"));
      holder.rollback();
    }
    assertThat(stored()).isZero();
    single("held", POINT).expectStatus().isOk();
    assertThat(stored()).isEqualTo(1);
  }
}
