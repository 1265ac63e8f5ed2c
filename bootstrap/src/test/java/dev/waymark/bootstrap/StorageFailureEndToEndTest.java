package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The database failing in the middle of a keyed upload (after the key was claimed, while the
 * locations are inserted) leaves nothing behind: no key, no rows; the retry is processed once.
 */
class StorageFailureEndToEndTest extends EndToEndTest {

  /** A trigger that makes the location insert fail, as a full disk or a lost node would. */
  static final String FAIL_INSERTS = """
      CREATE OR REPLACE FUNCTION waymark_test_fail_insert() RETURNS trigger AS $$
      BEGIN
        IF NEW.provider = 'fail-here' THEN
          RAISE EXCEPTION USING ERRCODE = '53100', MESSAGE = 'injected: disk full';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER waymark_test_fail_insert BEFORE INSERT ON locations
        FOR EACH ROW EXECUTE FUNCTION waymark_test_fail_insert();""";

  static final String FAILING_POINT = """
      {"id":"doomed","latitude":1,"longitude":2,"accuracy":3,\
      "timestamp":"2026-12-04T10:15:30Z","provider":"fail-here"}""";

  @BeforeEach
  void injectFailure() throws SQLException {
    try (Connection connection = jdbc()) {
      connection.createStatement().execute(FAIL_INSERTS);
    }
  }

  @AfterEach
  void healDatabase() throws SQLException {
    try (Connection connection = jdbc()) {
      connection.createStatement().execute(
          "DROP TRIGGER IF EXISTS waymark_test_fail_insert ON locations");
    }
  }

  @Test
  void aFailureMidUploadIs503AndLeavesNoKeyAndNoRowsSoTheRetryStoresOnce() throws SQLException {
    String body = batch(location("fine", 1), FAILING_POINT);
    batchUpload("doomed-key", body)
        .expectStatus().isEqualTo(503)
        .expectHeader().exists("Retry-After")
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/storage-unavailable")
        .jsonPath("$.status").isEqualTo(503);
    KeyHash key = KeyHash.of(new Principal(device), new IdempotencyKey("doomed-key"));
    assertThat(keys().exists(key)).as("no key left behind").isFalse();
    assertThat(stored()).as("the valid item of the batch was not stored either").isZero();

    healDatabase();
    batchUpload("doomed-key", body).expectStatus().isOk()
        .expectHeader().doesNotExist("Idempotent-Replayed")
        .expectBody().json("{\"processedCount\":2,\"duplicateCount\":0,\"rejected\":[]}", true);
    batchUpload("doomed-key", body).expectStatus().isOk()
        .expectHeader().valueEquals("Idempotent-Replayed", "true");
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void anUnkeyedUploadThatFailsStoresNothingOfItsBatch() {
    batchUpload(null, batch(location("fine", 1), FAILING_POINT)).expectStatus().isEqualTo(503);
    assertThat(stored()).isZero();
  }
}
