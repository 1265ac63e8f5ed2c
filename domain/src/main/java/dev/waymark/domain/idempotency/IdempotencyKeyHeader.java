package dev.waymark.domain.idempotency;

import java.util.List;
import java.util.Objects;

/**
 * Reads the {@code Idempotency-Key} request header: absent, one key (bare or as an RFC 8941
 * quoted string without escapes), or malformed.
 */
public final class IdempotencyKeyHeader {

  private IdempotencyKeyHeader() {}

  /** What the header said. */
  public sealed interface Parsed {}

  /** No header: the request is processed without idempotency. */
  public record Absent() implements Parsed {}

  /** One well-formed key. */
  public record Present(IdempotencyKey key) implements Parsed {}

  /** The header is there but is not one valid key; {@code reason} says why. */
  public record Malformed(String reason) implements Parsed {}

  /**
   * Parses every value the request carried for the header, in order.
   *
   * @param values the header's values; empty when the header was not sent
   */
  public static Parsed parse(List<String> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      return new Absent();
    }
    if (values.size() > 1) {
      return new Malformed("must be sent once, not " + values.size() + " times");
    }
    String value = stripOptionalWhitespace(values.get(0));
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    } else if (value.startsWith("\"") || value.endsWith("\"")) {
      return new Malformed("has unbalanced quotes");
    }
    String problem = IdempotencyKey.problemWith(value);
    return problem == null ? new Present(new IdempotencyKey(value)) : new Malformed(problem);
  }

  /** HTTP field values exclude leading and trailing spaces and tabs (RFC 9110, 5.5). */
  private static String stripOptionalWhitespace(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
