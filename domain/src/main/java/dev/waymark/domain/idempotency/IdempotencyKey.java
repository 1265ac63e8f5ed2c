package dev.waymark.domain.idempotency;

import java.util.Objects;

/**
 * A client's Idempotency-Key: 1 to 255 characters from 0x21-0x7E other than {@code "} and
 * {@code \}. Its text is never stored; only {@link KeyHash} is.
 */
public record IdempotencyKey(String value) {

  public static final int MAX_LENGTH = 255;

  public IdempotencyKey {
    Objects.requireNonNull(value, "value");
    String problem = problemWith(value);
    if (problem != null) {
      throw new IllegalArgumentException("invalid Idempotency-Key: " + problem);
    }
  }

  /** Why {@code value} is not a key, or {@code null} when it is one. */
  static String problemWith(String value) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "must be at most 255 characters";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
        return "must contain only visible ASCII characters (0x21-0x7E) other than '\"' and '\\'";
      }
    }
    return null;
  }

  @Override
  public String toString() {
    // Keys can be guessable identifiers chosen by clients: keep them out of logs.
    return "IdempotencyKey[" + value.length() + " chars]";
  }
}
