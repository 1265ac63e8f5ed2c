package dev.waymark.domain.idempotency;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A response whose body still lacks its two counts (stored, duplicates): {@code head}, the
 * stored count, {@code middle}, the duplicate count, {@code tail}. It lets whoever learns the
 * counts (the database, inside the statement that stores the locations) write the exact bytes
 * the encoder would have written.
 */
public record ResponseTemplate(int status, String contentType, byte[] head, byte[] middle,
    byte[] tail) {

  public ResponseTemplate {
    Objects.requireNonNull(contentType, "contentType");
    head = Objects.requireNonNull(head, "head").clone();
    middle = Objects.requireNonNull(middle, "middle").clone();
    tail = Objects.requireNonNull(tail, "tail").clone();
  }

  @Override
  public byte[] head() {
    return head.clone();
  }

  @Override
  public byte[] middle() {
    return middle.clone();
  }

  @Override
  public byte[] tail() {
    return tail.clone();
  }

  /** The response with its counts written in as decimal integers. */
  public StoredResponse fill(int stored, int duplicates) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(
        head.length + middle.length + tail.length + 20);
    body.writeBytes(head);
    body.writeBytes(Integer.toString(stored).getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(middle);
    body.writeBytes(Integer.toString(duplicates).getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(tail);
    return new StoredResponse(status, contentType, body.toByteArray());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResponseTemplate that && status == that.status
        && contentType.equals(that.contentType) && java.util.Arrays.equals(head, that.head)
        && java.util.Arrays.equals(middle, that.middle) && java.util.Arrays.equals(tail, that.tail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, contentType, java.util.Arrays.hashCode(head),
        java.util.Arrays.hashCode(middle), java.util.Arrays.hashCode(tail));
  }

  @Override
  public String toString() {
    return "ResponseTemplate[status=" + status + ", contentType=" + contentType + "]";
  }
}
