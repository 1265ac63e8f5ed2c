package dev.waymark.domain.idempotency;

import java.util.Arrays;
import java.util.Objects;

/** The response of a processed request, kept byte for byte so a replay is identical. */
public record StoredResponse(int status, String contentType, byte[] body) {

  public StoredResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    Objects.requireNonNull(contentType, "contentType");
    body = Objects.requireNonNull(body, "body").clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredResponse that
        && status == that.status
        && contentType.equals(that.contentType)
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status + contentType.hashCode()) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "StoredResponse[status=" + status + ", contentType=" + contentType + ", "
        + body.length + " bytes]";
  }
}
