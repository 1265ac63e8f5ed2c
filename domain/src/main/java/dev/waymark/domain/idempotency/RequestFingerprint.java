package dev.waymark.domain.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * What makes two requests "the same request" under one key: SHA-256 over the operation and the
 * payload in canonical form (docs/adr/0003-request-fingerprint.md). The caller canonicalises the
 * payload, so whitespace, key order and number spelling never change the fingerprint.
 */
public final class RequestFingerprint extends Digest {

  private RequestFingerprint(byte[] bytes) {
    super(bytes);
  }

  /**
   * @param operation the endpoint, e.g. {@code POST /api/v1/locations}
   * @param canonicalPayload the request body in a canonical form (RFC 8785 for JSON)
   */
  public static RequestFingerprint of(String operation, String canonicalPayload) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(canonicalPayload, "canonicalPayload");
    MessageDigest digest = Sha256.newDigest();
    digest.update(operation.getBytes(StandardCharsets.UTF_8));
    // A NUL cannot occur in an operation name, so (operation, payload) pairs never collide.
    digest.update((byte) 0);
    digest.update(canonicalPayload.getBytes(StandardCharsets.UTF_8));
    return new RequestFingerprint(digest.digest());
  }

  /** Rebuilds a fingerprint read back from a store. */
  public static RequestFingerprint fromBytes(byte[] bytes) {
    return new RequestFingerprint(bytes);
  }
}
