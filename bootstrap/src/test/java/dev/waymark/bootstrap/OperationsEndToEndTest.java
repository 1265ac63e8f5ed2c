package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Health probes, Prometheus idempotency counters and the OpenAPI document. */
class OperationsEndToEndTest extends EndToEndTest {

  @Test
  void healthHasLivenessAndReadinessGroups() {
    http.get().uri("/actuator/health").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
    http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
  }

  @Test
  void prometheusCountsEveryIdempotencyOutcome() {
    double processed = counter("processed");
    double replayed = counter("replayed");
    double mismatch = counter("mismatch");
    String point = location(null, 1);
    single("metered", point).expectStatus().isOk();
    single("metered", point).expectStatus().isOk();
    single("metered", location(null, 2)).expectStatus().isEqualTo(422);
    single(null, point).expectStatus().isOk();
    assertThat(counter("processed")).isEqualTo(processed + 1);
    assertThat(counter("replayed")).isEqualTo(replayed + 1);
    assertThat(counter("mismatch")).isEqualTo(mismatch + 1);
    assertThat(scrape()).contains("waymark_idempotency_requests_total{application=\"waymark\","
        + "outcome=\"in_flight\"}");
  }

  @Test
  void theOpenApiDocumentDescribesTheUploadEndpoints() {
    http.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
        .expectBody()
        .jsonPath("$.paths['/api/v1/locations'].post").exists()
        .jsonPath("$.paths['/api/v1/locations/batch'].post").exists()
        .jsonPath("$.components.securitySchemes.bearer.scheme").isEqualTo("bearer");
    http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
  }

  private String scrape() {
    return http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
  }

  private double counter(String outcome) {
    Matcher matcher = Pattern.compile("waymark_idempotency_requests_total\\{[^}]*outcome=\""
        + outcome + "\"[^}]*} ([0-9.E]+)").matcher(scrape());
    assertThat(matcher.find()).as("counter for " + outcome).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
