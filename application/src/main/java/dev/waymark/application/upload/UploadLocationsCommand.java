package dev.waymark.application.upload;

import dev.waymark.domain.Principal;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.location.RejectedItem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An upload whose items have been judged: the accepted locations to store and the rejected
 * items to report. A single upload carries exactly one accepted location.
 */
public record UploadLocationsCommand(
    Principal principal,
    UploadKind kind,
    List<Location> accepted,
    List<RejectedItem> rejected,
    Optional<IdempotentRequest> idempotency) {

  public UploadLocationsCommand {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(kind, "kind");
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
    Objects.requireNonNull(idempotency, "idempotency");
    if (kind == UploadKind.SINGLE && (accepted.size() != 1 || !rejected.isEmpty())) {
      throw new IllegalArgumentException("a single upload carries exactly one valid location");
    }
    if (accepted.isEmpty() && rejected.isEmpty()) {
      throw new IllegalArgumentException("an upload carries at least one item");
    }
  }

  /** How many items the client sent. */
  public int itemCount() {
    return accepted.size() + rejected.size();
  }
}
