package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Every row of the contract's idempotency table, over HTTP, on both upload endpoints, with the
 * PostgreSQL key store; {@link RedisStoreEndToEndTest} runs the same with Redis.
 */
class IdempotencyEndToEndTest extends EndToEndTest {

  static final String POINT = location(null, 1);
  static final String SINGLE = "/api/v1/locations";
  static final String BATCH = "/api/v1/locations/batch";

  EntityExchangeResult<byte[]> ok(String path, String key, String body) {
    return post(path, deviceToken, key, body).expectStatus().isOk()
        .expectBody().returnResult();
  }

  KeyHash hashOf(String key) {
    return KeyHash.of(new Principal(device), new IdempotencyKey(key));
  }

  @Test
  void withoutAKeyEveryRequestIsProcessed() {
    ok(SINGLE, null, POINT);
    ok(SINGLE, null, POINT);
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void theFirstKeyedRequestIsProcessedAndSaysHowLongItsKeyHolds() {
    Instant before = Instant.now();
    var result = ok(SINGLE, "first", POINT);
    assertThat(result.getResponseHeaders().containsHeader("Idempotent-Replayed")).isFalse();
    String expires = result.getResponseHeaders().getFirst("Idempotency-Key-Expires");
    Instant expiry = ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME)
        .toInstant();
    assertThat(expires).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    assertThat(expiry).isBetween(before.plus(Duration.ofHours(24)).minusSeconds(1),
        Instant.now().plus(Duration.ofHours(24)));
    assertThat(bodyOf(result)).isEqualTo("{\"processedCount\":1,\"duplicateCount\":0}");
  }

  @Test
  void theKeyIsStoredOnlyAsAHashOfPrincipalAndKey() {
    ok(BATCH, "stored-as-hash", batch(POINT));
    assertThat(keys().exists(hashOf("stored-as-hash"))).isTrue();
    assertThat(count("SELECT count(*) FROM locations WHERE principal = ? AND"
        + " idempotency_key_hash = ?", device, hashOf("stored-as-hash").bytes())).isEqualTo(1);
  }

  @Test
  void aRepeatIsReplayedByteForByteWithTheSameExpiryAndStoresNothing() {
    String body = batch(location("a", 1), location("b", 95), "7", location("a", 1));
    var first = ok(BATCH, "replay-me", body);
    var again = ok(BATCH, "replay-me", body);
    assertThat(again.getResponseBody()).isEqualTo(first.getResponseBody());
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
    assertThat(again.getResponseHeaders().getFirst("Idempotency-Key-Expires"))
        .isEqualTo(first.getResponseHeaders().getFirst("Idempotency-Key-Expires"));
    assertThat(stored()).isEqualTo(1);
    assertThat(bodyOf(first)).contains("\"processedCount\":1,\"duplicateCount\":1");
  }

  @Test
  void aSingleUploadIsReplayedToo() {
    var first = ok(SINGLE, "single-replay", POINT);
    var again = ok(SINGLE, "single-replay", POINT);
    assertThat(again.getResponseBody()).isEqualTo(first.getResponseBody());
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void aQuotedKeyIsTheSameKeyAsItsBareForm() {
    ok(SINGLE, "quoted", POINT);
    var again = ok(SINGLE, "\"quoted\"", POINT);
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void payloadsAreComparedAsParsedJsonNotBytes() {
    ok(BATCH, "parsed", "{\"locations\":[{\"latitude\":10,\"longitude\":2,\"accuracy\":1,"
        + "\"timestamp\":\"2026-12-04T10:15:30Z\",\"extra\":{\"b\":1,\"a\":[1,2]}}]}");
    var again = ok(BATCH, "parsed", """
        {
          "locations" : [ { "timestamp" : "2026-12-04T10:15:30Z", "accuracy" : 1.0,
                            "extra" : { "a" : [ 1.0, 2 ], "b" : 1e0 },
                            "longitude" : 2, "latitude" : 10.0 } ]
        }""");
    assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherPayloadIs422AndStoresNothing() {
    ok(SINGLE, "mismatch", location(null, 1));
    post(SINGLE, deviceToken, "mismatch", location(null, 2))
        .expectStatus().isEqualTo(422)
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").value(type -> assertThat((String) type)
            .endsWith("idempotency-key-mismatch"))
        .jsonPath("$.status").isEqualTo(422)
        .jsonPath("$.detail").isNotEmpty();
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void theSameKeyOnTheOtherEndpointIs422() {
    ok(SINGLE, "endpoint", POINT);
    post(BATCH, deviceToken, "endpoint", batch(POINT)).expectStatus().isEqualTo(422);
    assertThat(stored()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "has space", "a\"b", "back\\slash", "\"unbalanced",
      "unbalanced\"", "\"x\\\"y\""})
  void aMalformedKeyIs400AndStoresNothing(String key) {
    post(SINGLE, deviceToken, key, POINT).expectStatus().isBadRequest()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/invalid-idempotency-key")
        .jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
    assertThat(stored()).isZero();
  }

  @Test
  void keysOf255CharactersAreAcceptedAnd256Refused() {
    ok(SINGLE, "k".repeat(255), POINT);
    post(SINGLE, deviceToken, "k".repeat(256), POINT).expectStatus().isBadRequest();
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void anEmptyKeyIs400() throws Exception {
    // Sent with the JDK client: Reactor Netty's pooled client was seen to hang on an empty
    // header value (twice in ~15 suite runs; curl and this client never did).
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + SINGLE))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + deviceToken)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(POINT)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid-idempotency-key").contains("must not be empty");
    assertThat(stored()).isZero();
  }

  @Test
  void theHeaderSentTwiceIs400EvenWithEqualValues() {
    http.post().uri(SINGLE).headers(h -> {
      h.setBearerAuth(deviceToken);
      h.add("Idempotency-Key", "twice");
      h.add("Idempotency-Key", "twice");
    }).contentType(MediaType.APPLICATION_JSON).bodyValue(POINT).exchange()
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.errors[0].message").isEqualTo("must be sent once, not 2 times");
    assertThat(stored()).isZero();
  }

  @Test
  void aRequestThatFailedValidationKeepsNothingSoTheRetryIsProcessed() {
    post(SINGLE, deviceToken, "retry-after-400", location(null, 200)).expectStatus()
        .isBadRequest();
    assertThat(keys().exists(hashOf("retry-after-400"))).isFalse();
    var retry = ok(SINGLE, "retry-after-400", POINT);
    assertThat(retry.getResponseHeaders().containsHeader("Idempotent-Replayed")).isFalse();
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void aKeyPastItsRetentionIsANewKeyEvenBeforeTheCleanupDeletesIt() {
    ok(SINGLE, "expired", location(null, 1));
    keys().expire(hashOf("expired"));
    var again = ok(SINGLE, "expired", location(null, 2));
    assertThat(again.getResponseHeaders().containsHeader("Idempotent-Replayed")).isFalse();
    var replay = ok(SINGLE, "expired", location(null, 2));
    assertThat(replay.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void aVisibleUnfinishedClaimIs409ForTheSamePayloadAnd422ForAnother() {
    ok(SINGLE, "visible", POINT);
    keys().reopenAsInFlight(hashOf("visible"), Duration.ofMinutes(1));
    post(SINGLE, deviceToken, "visible", POINT).expectStatus().isEqualTo(409)
        .expectHeader().exists("Retry-After");
    post(SINGLE, deviceToken, "visible", location(null, 5)).expectStatus().isEqualTo(422);
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void anAbandonedClaimIsTakenOverAfterItsLease() {
    ok(SINGLE, "abandoned", POINT);
    keys().reopenAsInFlight(hashOf("abandoned"), Duration.ofSeconds(-1));
    var retry = ok(SINGLE, "abandoned", POINT);
    assertThat(retry.getResponseHeaders().containsHeader("Idempotent-Replayed")).isFalse();
  }

  @Test
  void keysAreScopedPerPrincipalAndNoOneReceivesAnotherPrincipalsResponse() {
    var mine = ok(BATCH, "shared-key", batch(location(null, 1), "1"));
    String other = device + "-other";
    var theirs = post(BATCH, TestTokens.device(other), "shared-key", batch(location(null, 3)))
        .expectStatus().isOk().expectBody().returnResult();
    assertThat(theirs.getResponseHeaders().containsHeader("Idempotent-Replayed")).isFalse();
    assertThat(bodyOf(theirs)).isNotEqualTo(bodyOf(mine))
        .isEqualTo("{\"processedCount\":1,\"duplicateCount\":0,\"rejected\":[]}");
    assertThat(storedFor(other)).isEqualTo(1);
  }

  @Test
  void validationComesBeforeIdempotency() {
    ok(SINGLE, "validated-first", POINT);
    post(SINGLE, deviceToken, "validated-first", location(null, 300)).expectStatus()
        .isBadRequest();
    post(SINGLE, deviceToken, "validated-first", "{oops").expectStatus().isBadRequest();
  }

  @Test
  void checksRunInTheContractsOrder() {
    // authentication before the key's syntax
    post(SINGLE, null, "bad key", POINT).expectStatus().isUnauthorized();
    // the key's syntax before the content type
    http.post().uri(SINGLE).headers(h -> {
      h.setBearerAuth(deviceToken);
      h.set("Idempotency-Key", "bad key");
    }).contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange()
        .expectStatus().isBadRequest();
    // the content type before the size
    http.post().uri(BATCH).headers(h -> h.setBearerAuth(deviceToken))
        .contentType(MediaType.TEXT_PLAIN).bodyValue("x".repeat(2_000_000)).exchange()
        .expectStatus().isEqualTo(415);
    // the size before the JSON
    post(BATCH, deviceToken, "size-first", "{" + "x".repeat(2_000_000)).expectStatus()
        .isEqualTo(413);
  }

}
