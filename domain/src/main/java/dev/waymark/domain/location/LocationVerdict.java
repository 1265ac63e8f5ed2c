package dev.waymark.domain.location;

import java.util.List;
import java.util.Objects;

/** The rules' judgement of one candidate: a storable location, or the field errors that stop it. */
public sealed interface LocationVerdict {

  /** The candidate passed every rule. */
  record Accepted(Location location) implements LocationVerdict {
    public Accepted {
      Objects.requireNonNull(location, "location");
    }
  }

  /** The candidate broke at least one rule; each error names its field. */
  record Rejected(List<FieldError> errors) implements LocationVerdict {
    public Rejected {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("a rejection names at least one error");
      }
    }
  }
}
