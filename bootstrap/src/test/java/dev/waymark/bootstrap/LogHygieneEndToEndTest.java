package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * What the service writes to its logs never carries a raw idempotency key, a bearer token or a
 * coordinate, on any path (processed, replayed, refused, failed), even with Waymark's own
 * loggers at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.level.dev.waymark=DEBUG")
class LogHygieneEndToEndTest extends EndToEndTest {

  static final String KEY = "raw-key-5f1c9e0a7b3d";
  static final String LATITUDE = "48.8583701";
  static final String LONGITUDE = "2.2944813";

  static String point(String id, String provider) {
    return """
        {"id":"%s","latitude":%s,"longitude":%s,"accuracy":4.2,\
        "timestamp":"2026-12-04T10:15:30Z","provider":"%s"}""".formatted(
        id, LATITUDE, LONGITUDE, provider);
  }

  @Test
  void keysTokensAndCoordinatesNeverReachTheLogs(CapturedOutput output) throws SQLException {
    String body = batch(point("secret-point-1", "gps"));
    batchUpload(KEY, body).expectStatus().isOk();
    batchUpload(KEY, body).expectStatus().isOk()
        .expectHeader().valueEquals("Idempotent-Replayed", "true");
    batchUpload(KEY, batch(point("secret-point-2", "gps"))).expectStatus().isEqualTo(422);
    single(KEY + "-bad", "{\"latitude\":" + LATITUDE + ",\"longitude\":" + LONGITUDE + "}")
        .expectStatus().isBadRequest();
    batchUpload(KEY + "-partly", "{\"locations\":[{\"latitude\":" + LATITUDE + "}]}")
        .expectStatus().isOk();
    batchUpload(KEY + "-json", "{\"locations\":[" + LATITUDE + ",").expectStatus().isBadRequest();
    String expired = TestTokens.expired(device);
    post("/api/v1/locations/batch", expired, KEY, body).expectStatus().isUnauthorized();
    post("/api/v1/locations/batch", TestTokens.wrongSecret(device), KEY, body)
        .expectStatus().isUnauthorized();
    post("/api/v1/admin/idempotency-keys/cleanup", deviceToken, null, "{}").expectStatus().isForbidden();
    try (Connection connection = jdbc()) {
      connection.createStatement().execute(StorageFailureEndToEndTest.FAIL_INSERTS);
    }
    try {
      batchUpload(KEY + "-503", batch(point("secret-point-3", "fail-here")))
          .expectStatus().isEqualTo(503);
    } finally {
      try (Connection connection = jdbc()) {
        connection.createStatement().execute(
            "DROP TRIGGER IF EXISTS waymark_test_fail_insert ON locations");
      }
    }

    String logs = output.getAll();
    assertThat(logs).as("the requests above did log (the capture works)")
        .contains("Upload refused, storage unavailable");
    assertThat(logs).doesNotContain(KEY, deviceToken, expired, LATITUDE, LONGITUDE);
  }
}
