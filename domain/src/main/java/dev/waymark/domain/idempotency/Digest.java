package dev.waymark.domain.idempotency;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** Value semantics over a fixed-size digest: equality by content, bytes defensively copied. */
abstract class Digest {

  static final int LENGTH = 32;

  private final byte[] bytes;

  Digest(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a digest has " + LENGTH + " bytes, got " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  /** The digest's bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other != null
        && other.getClass() == getClass()
        && Arrays.equals(bytes, ((Digest) other).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    // A prefix is enough to tell digests apart in logs without printing a full secret-derived value.
    return getClass().getSimpleName() + "[" + HexFormat.of().formatHex(bytes, 0, 6) + "…]";
  }
}
