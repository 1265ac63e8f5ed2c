package dev.waymark.domain.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.Principal;
import org.junit.jupiter.api.Test;

class DigestsTest {

  @Test
  void keyHashIsScopedByPrincipal() {
    var key = new IdempotencyKey("k-1");
    assertThat(KeyHash.of(new Principal("device-a"), key))
        .isEqualTo(KeyHash.of(new Principal("device-a"), key))
        .isNotEqualTo(KeyHash.of(new Principal("device-b"), key));
  }

  @Test
  void keyHashSeparatesPrincipalFromKey() {
    // Without the length prefix, ("ab", "c") and ("a", "bc") would hash the same bytes.
    assertThat(KeyHash.of(new Principal("ab"), new IdempotencyKey("c")))
        .isNotEqualTo(KeyHash.of(new Principal("a"), new IdempotencyKey("bc")));
  }

  @Test
  void keyHashIsThirtyTwoBytesAndRoundTrips() {
    KeyHash hash = KeyHash.of(new Principal("p"), new IdempotencyKey("k"));
    assertThat(hash.bytes()).hasSize(32);
    assertThat(KeyHash.fromBytes(hash.bytes())).isEqualTo(hash).hasSameHashCodeAs(hash);
  }

  @Test
  void keyHashDoesNotRevealTheKey() {
    KeyHash hash = KeyHash.of(new Principal("p"), new IdempotencyKey("visible-key"));
    assertThat(new String(hash.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("visible-key");
    assertThat(hash.toString()).doesNotContain("visible-key");
  }

  @Test
  void fingerprintDependsOnOperationAndPayload() {
    var single = RequestFingerprint.of("POST /api/v1/locations", "{\"a\":1}");
    assertThat(single)
        .isEqualTo(RequestFingerprint.of("POST /api/v1/locations", "{\"a\":1}"))
        .isNotEqualTo(RequestFingerprint.of("POST /api/v1/locations/batch", "{\"a\":1}"))
        .isNotEqualTo(RequestFingerprint.of("POST /api/v1/locations", "{\"a\":2}"));
  }

  @Test
  void fingerprintAndKeyHashOfEqualBytesAreNotEqual() {
    KeyHash hash = KeyHash.of(new Principal("p"), new IdempotencyKey("k"));
    assertThat(RequestFingerprint.fromBytes(hash.bytes())).isNotEqualTo(hash);
  }
}
