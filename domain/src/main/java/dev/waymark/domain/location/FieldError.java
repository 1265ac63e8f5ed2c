package dev.waymark.domain.location;

import java.util.Objects;

/** One reason a field of a request or of a location is unacceptable. */
public record FieldError(String field, String message) {

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
