package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;

/** Bearer-token authentication and scopes, answered as problem+json. */
class SecurityEndToEndTest extends EndToEndTest {

  static final String POINT = location(null, 1);

  static Stream<Arguments> refusedTokens() {
    return Stream.of(
        Arguments.of("expired", (Function<String, String>) TestTokens::expired),
        Arguments.of("not yet valid", (Function<String, String>) TestTokens::notYetValid),
        Arguments.of("wrong secret", (Function<String, String>) TestTokens::wrongSecret),
        Arguments.of("alg none", (Function<String, String>) TestTokens::unsigned),
        Arguments.of("garbage", (Function<String, String>) subject -> "not.a.jwt"));
  }

  @Test
  void noTokenIs401WithABearerChallenge() {
    post("/api/v1/locations", null, null, POINT)
        .expectStatus().isUnauthorized()
        .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/unauthorized")
        .jsonPath("$.status").isEqualTo(401)
        .jsonPath("$.title").isNotEmpty()
        .jsonPath("$.detail").isNotEmpty();
    assertThat(stored()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void aBadTokenIs401(String kind, Function<String, String> token) {
    post("/api/v1/locations", token.apply(device), "k", POINT)
        .expectStatus().isUnauthorized()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.status").isEqualTo(401);
    assertThat(stored()).isZero();
  }

  @Test
  void aDeviceTokenWithoutTheWriteScopeIs403() {
    post("/api/v1/locations/batch", TestTokens.withScope(device, "locations:read"), null,
        batch(POINT))
        .expectStatus().isForbidden()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://waymark.dev/problems/forbidden")
        .jsonPath("$.status").isEqualTo(403);
    assertThat(stored()).isZero();
  }

  @Test
  void anAdminTokenCannotUpload() {
    post("/api/v1/locations", TestTokens.admin(device), null, POINT).expectStatus()
        .isForbidden();
  }

  @Test
  void aDeviceTokenCannotReachAdminEndpoints() {
    http.post().uri("/api/v1/admin/idempotency-keys/cleanup")
        .headers(h -> h.setBearerAuth(deviceToken)).exchange()
        .expectStatus().isForbidden()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.get().uri("/api/v1/admin/idempotency-keys/cleanup").exchange()
        .expectStatus().isUnauthorized();
  }

  @Test
  void theTokenSubjectIsThePrincipal() {
    post("/api/v1/locations", deviceToken, null, POINT).expectStatus().isOk();
    assertThat(storedFor(device)).isEqualTo(1);
  }
}
