package dev.waymark.application.upload;

import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.RequestFingerprint;
import java.util.Objects;

/** The key an upload was sent under and the fingerprint of what was sent. */
public record IdempotentRequest(IdempotencyKey key, RequestFingerprint fingerprint) {

  public IdempotentRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
