package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

/** POST /api/v1/locations/batch: items judged one by one, point-level deduplication. */
class BatchUploadEndToEndTest extends EndToEndTest {

  @Test
  void storesEveryValidItemAndAnswersTheCounts() {
    batchUpload(null, batch(location("a", 1), location("b", 2), location(null, 3)))
        .expectStatus().isOk()
        .expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectBody()
        .json("{\"processedCount\":3,\"duplicateCount\":0,\"rejected\":[]}", true);
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void invalidItemsAreListedWithTheirIndexAndNotStoredWhileValidOnesAre() {
    String badLatitude = location("b", 91);
    String badTypes = """
        {"latitude":"north","longitude":2,"accuracy":-1,"timestamp":"2026-12-04T10:15:30Z"}""";
    batchUpload(null, batch(location("a", 1), badLatitude, "42", badTypes, "null",
        location("c", 3)))
        .expectStatus().isOk()
        .expectBody().json("""
            {"processedCount":2,"duplicateCount":0,"rejected":[
              {"index":1,"errors":[{"field":"latitude","message":"must be between -90 and 90"}]},
              {"index":2,"errors":[{"field":"item","message":"must be a JSON object"}]},
              {"index":3,"errors":[{"field":"latitude","message":"must be a number"},
                {"field":"accuracy","message":"must be a finite number of metres, at least 0"}]},
              {"index":4,"errors":[{"field":"item","message":"must be a JSON object"}]}]}""",
            true);
    assertThat(count("SELECT count(*) FROM locations WHERE principal = ? AND point_id IN"
        + " ('a','c')", device)).isEqualTo(2);
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void aBatchOfOnlyInvalidItemsStoresNothingAndSaysWhy() {
    batchUpload(null, batch(location("a", 100))).expectStatus().isOk()
        .expectBody().json("{\"processedCount\":0,\"duplicateCount\":0,\"rejected\":"
            + "[{\"index\":0}]}");
    assertThat(stored()).isZero();
  }

  @Test
  void aPointIdRepeatedInOneBatchIsStoredOnce() {
    batchUpload(null, batch(location("p", 1), location("p", 1), location("q", 1)))
        .expectStatus().isOk()
        .expectBody().json("{\"processedCount\":2,\"duplicateCount\":1,\"rejected\":[]}", true);
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void pointIdsAreDeduplicatedAcrossRequestsAndKeys() {
    batchUpload("first-key", batch(location("p", 1), location("q", 1))).expectStatus().isOk();
    batchUpload("second-key", batch(location("q", 1), location("r", 1), "{}"))
        .expectStatus().isOk()
        .expectBody().json("{\"processedCount\":1,\"duplicateCount\":1,\"rejected\":"
            + "[{\"index\":2}]}");
    single(null, location("p", 1)).expectStatus().isOk()
        .expectBody().json("{\"processedCount\":0,\"duplicateCount\":1}", true);
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void pointIdsAreScopedPerPrincipal() {
    batchUpload(null, batch(location("shared", 1))).expectStatus().isOk();
    String otherDevice = device + "-other";
    post("/api/v1/locations/batch", TestTokens.device(otherDevice), null,
        batch(location("shared", 1)))
        .expectStatus().isOk()
        .expectBody().json("{\"processedCount\":1,\"duplicateCount\":0,\"rejected\":[]}", true);
    assertThat(storedFor(otherDevice)).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"locations\":{}}", "{\"locations\":[]}",
      "{\"locations\":\"x\"}", "[]", "{\"Locations\":[{}]}"})
  void aMalformedBatchIs400OnTheLocationsFieldAndStoresNothing(String body) {
    batchUpload(null, body).expectStatus().isBadRequest()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/invalid-request")
        .jsonPath("$.errors[0].field").isEqualTo("locations");
    assertThat(stored()).isZero();
  }

  @Test
  void aBatchOfTheMaximumSizeIsStored() {
    List<String> items = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(location("pt-" + i, 1));
    }
    batchUpload(null, batch(items.toArray(String[]::new))).expectStatus().isOk()
        .expectBody().json("{\"processedCount\":1000,\"duplicateCount\":0,\"rejected\":[]}",
            true);
    assertThat(stored()).isEqualTo(1000);
  }

  @Test
  void oneItemOverTheMaximumIs400() {
    String item = "{\"latitude\":1,\"longitude\":1,\"accuracy\":1,\"timestamp\":\"2026-12-04T10:15:30Z\"}";
    batchUpload(null, batch(Collections.nCopies(1001, item).toArray(String[]::new)))
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.errors[0].field").isEqualTo("locations")
        .jsonPath("$.errors[0].message").isEqualTo("must hold at most 1000 locations, not 1001");
    assertThat(stored()).isZero();
  }

  @Test
  void aBodyOverOneMebibyteIs413WhateverItsItemCount() {
    String padded = "{\"latitude\":1,\"longitude\":1,\"accuracy\":1,\"timestamp\":"
        + "\"2026-12-04T10:15:30Z\",\"note\":\"" + "x".repeat(1_100_000) + "\"}";
    batchUpload(null, batch(padded)).expectStatus().isEqualTo(413)
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/payload-too-large")
        .jsonPath("$.status").isEqualTo(413);
    assertThat(stored()).isZero();
  }

  @Test
  void aChunkedBodyIsCutOffAt413WhileReading() {
    var chunk = org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance
        .wrap(("{\"locations\":[" + "{\"latitude\":1},".repeat(10_000)).getBytes());
    var chunks = reactor.core.publisher.Flux.range(0, 10).map(i -> chunk.slice(0,
        chunk.readableByteCount()));
    http.post().uri("/api/v1/locations/batch").headers(h -> h.setBearerAuth(deviceToken))
        .contentType(MediaType.APPLICATION_JSON)
        .body(chunks, org.springframework.core.io.buffer.DataBuffer.class)
        .exchange()
        .expectStatus().isEqualTo(413);
  }

  @Test
  void aBodyOfExactlyTheLimitIsRead() {
    String prefix = "{\"locations\":[{\"latitude\":1,\"longitude\":1,\"accuracy\":1,"
        + "\"timestamp\":\"2026-12-04T10:15:30Z\",\"note\":\"";
    String suffix = "\"}]}";
    int padding = 1024 * 1024 - prefix.length() - suffix.length();
    batchUpload(null, prefix + "x".repeat(padding) + suffix).expectStatus().isOk();
    assertThat(stored()).isEqualTo(1);
  }
}
