package dev.waymark.domain.location;

import java.util.List;

/** A batch item that was not stored, with its position in the batch and why. */
public record RejectedItem(int index, List<FieldError> errors) {

  public RejectedItem {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
    errors = List.copyOf(errors);
  }
}
