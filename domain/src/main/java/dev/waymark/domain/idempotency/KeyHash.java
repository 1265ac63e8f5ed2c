package dev.waymark.domain.idempotency;

import dev.waymark.domain.Principal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The stored identity of an idempotency key: SHA-256 over the principal and the key, so keys are
 * scoped per principal and never kept in clear.
 */
public final class KeyHash extends Digest {

  private KeyHash(byte[] bytes) {
    super(bytes);
  }

  /** Hashes (principal, key); the principal is length-prefixed so no two pairs share an input. */
  public static KeyHash of(Principal principal, IdempotencyKey key) {
    byte[] subject = principal.subject().getBytes(StandardCharsets.UTF_8);
    MessageDigest digest = Sha256.newDigest();
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(subject.length).array());
    digest.update(subject);
    digest.update(key.value().getBytes(StandardCharsets.US_ASCII));
    return new KeyHash(digest.digest());
  }

  /** Rebuilds a hash read back from a store. */
  public static KeyHash fromBytes(byte[] bytes) {
    return new KeyHash(bytes);
  }
}
