package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;

/** POST /api/v1/locations: the contract's single upload, its validation and its errors. */
class SingleUploadEndToEndTest extends EndToEndTest {

  static final String VALID = location("9b2f6c1e-4a55-4f0e-9a39-2f7e1c0d8a41", 48.8584);

  @Test
  void storesAValidLocationAndAnswersTheCounts() {
    single(null, VALID).expectStatus().isOk()
        .expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectHeader().doesNotExist("Idempotent-Replayed")
        .expectHeader().doesNotExist("Idempotency-Key-Expires")
        .expectBody().json("{\"processedCount\":1,\"duplicateCount\":0}", true);
    assertThat(count("""
        SELECT count(*) FROM locations WHERE principal = ? AND point_id = ? AND latitude = 48.8584
           AND longitude = 2.2945 AND accuracy = 12.5 AND altitude = 35.2 AND speed = 1.4
           AND bearing = 270 AND provider = 'gps' AND battery_level = 81
           AND recorded_at = '2026-12-04T10:15:30Z' AND idempotency_key_hash IS NULL""",
        device, "9b2f6c1e-4a55-4f0e-9a39-2f7e1c0d8a41")).isEqualTo(1);
  }

  @Test
  void unknownFieldsAreIgnoredAndOptionalFieldsMayBeAbsent() {
    single(null, """
        {"latitude":1,"longitude":2,"accuracy":0,"timestamp":"2026-12-04T10:15:30+01:00",\
        "heading":{"x":1},"extras":[1,2]}""")
        .expectStatus().isOk()
        .expectBody().json("{\"processedCount\":1,\"duplicateCount\":0}", true);
    assertThat(count("SELECT count(*) FROM locations WHERE principal = ? AND point_id IS NULL"
        + " AND recorded_at = '2026-12-04T09:15:30Z' AND speed IS NULL", device)).isEqualTo(1);
  }

  @Test
  void negativeSpeedAndBearingAreStoredAsUnknown() {
    single(null, """
        {"latitude":1,"longitude":2,"accuracy":3,"timestamp":"2026-12-04T10:15:30Z",\
        "speed":-1,"bearing":-1}""").expectStatus().isOk();
    assertThat(count("SELECT count(*) FROM locations WHERE principal = ? AND speed IS NULL"
        + " AND bearing IS NULL", device)).isEqualTo(1);
  }

  @Test
  void aPointIdAlreadyStoredCountsAsDuplicateWithoutAKey() {
    single(null, location("p-1", 1)).expectStatus().isOk();
    single(null, location("p-1", 1)).expectStatus().isOk()
        .expectBody().json("{\"processedCount\":0,\"duplicateCount\":1}", true);
    assertThat(stored()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
    "id|\"\"|must be 1 to 64 visible ASCII characters (0x21-0x7E)",
    "id|\"has space\"|must be 1 to 64 visible ASCII characters (0x21-0x7E)",
    "id|7|must be a string",
    "latitude|90.5|must be between -90 and 90",
    "latitude|-91|must be between -90 and 90",
    "latitude|null|is required",
    "latitude|\"48.1\"|must be a number",
    "latitude|1e400|must be between -90 and 90",
    "longitude|180.01|must be between -180 and 180",
    "longitude|true|must be a number",
    "accuracy|-0.1|must be a finite number of metres, at least 0",
    "timestamp|\"2026-12-04T10:15:30\"|must be an ISO-8601 instant with offset, e.g. 2026-12-04T10:15:30Z",
    "timestamp|\"1999-12-31T23:59:59Z\"|must not be before 2000-01-01T00:00:00Z",
    "timestamp|1733300000|must be a string",
    "altitude|\"high\"|must be a number",
    "speed|[]|must be a number",
    "bearing|361|must be between 0 and 360, or negative for unknown",
    "provider|\"123456789012345678901234567890123\"|must be at most 32 characters",
    "batteryLevel|101|must be an integer between 0 and 100",
    "batteryLevel|50.5|must be an integer between 0 and 100"
  })
  void anInvalidFieldIs400NamingIt(String field, String value, String message) {
    String body = VALID.replaceFirst("\"" + field + "\":[^,}]*", "\"" + field + "\":" + value);
    single(null, body).expectStatus().isBadRequest()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/invalid-request")
        .jsonPath("$.status").isEqualTo(400)
        .jsonPath("$.title").isNotEmpty()
        .jsonPath("$.detail").isNotEmpty()
        .jsonPath("$.errors.length()").isEqualTo(1)
        .jsonPath("$.errors[0].field").isEqualTo(field)
        .jsonPath("$.errors[0].message").isEqualTo(message);
    assertThat(stored()).isZero();
  }

  @Test
  void everyMissingRequiredFieldIsNamed() {
    single(null, "{}").expectStatus().isBadRequest()
        .expectBody()
        .jsonPath("$.errors[*].field")
        .isEqualTo(java.util.List.of("latitude", "longitude", "accuracy", "timestamp"));
  }

  @Test
  void aTimestampTooFarInTheFutureIsRefused() {
    String future = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        .toString();
    single(null, VALID.replace("2026-12-04T10:15:30Z", future)).expectStatus().isBadRequest()
        .expectBody().jsonPath("$.errors[0].message")
        .isEqualTo("must not be more than PT1H in the future");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"latitude\":1,",
    "[]",
    "\"text\"",
    "{\"latitude\":1,\"latitude\":2,\"longitude\":2,\"accuracy\":1,\"timestamp\":\"2026-12-04T10:15:30Z\"}",
    "{} {}"
  })
  void malformedJsonDuplicateKeysOrANonObjectAre400(String body) {
    single(null, body).expectStatus().isBadRequest()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.status").isEqualTo(400).jsonPath("$.errors").isNotEmpty();
    assertThat(stored()).isZero();
  }

  @Test
  void anEmptyBodyIs400() {
    http.post().uri("/api/v1/locations").headers(h -> h.setBearerAuth(deviceToken))
        .contentType(MediaType.APPLICATION_JSON).exchange()
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.errors[0].field").isEqualTo("body");
  }

  @ParameterizedTest
  @CsvSource({"text/plain", "application/xml", "application/json;charset=ISO-8859-1"})
  void anotherContentTypeIs415(String contentType) {
    http.post().uri("/api/v1/locations").headers(h -> h.setBearerAuth(deviceToken))
        .contentType(MediaType.parseMediaType(contentType)).bodyValue(VALID).exchange()
        .expectStatus().isEqualTo(415)
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.type")
        .isEqualTo("https://waymark.dev/problems/unsupported-media-type")
        .jsonPath("$.status").isEqualTo(415);
  }

  @Test
  void aMissingContentTypeIs415() {
    http.post().uri("/api/v1/locations").headers(h -> h.setBearerAuth(deviceToken))
        .bodyValue(VALID.getBytes()).exchange()
        .expectStatus().isEqualTo(415);
  }

  @Test
  void utf8CharsetIsAccepted() {
    http.post().uri("/api/v1/locations").headers(h -> h.setBearerAuth(deviceToken))
        .contentType(MediaType.parseMediaType("application/json; charset=utf-8"))
        .bodyValue(VALID).exchange()
        .expectStatus().isOk();
  }

  @Test
  void anUnknownPathIsAProblem404() {
    http.get().uri("/api/v1/nowhere").headers(h -> h.setBearerAuth(deviceToken)).exchange()
        .expectStatus().isNotFound()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/not-found")
        .jsonPath("$.status").isEqualTo(404)
        .jsonPath("$.detail").isNotEmpty();
  }

  @Test
  void aWrongMethodIsAProblem() {
    http.get().uri("/api/v1/locations").headers(h -> h.setBearerAuth(deviceToken)).exchange()
        .expectStatus().isEqualTo(405)
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.status").isEqualTo(405);
  }
}
