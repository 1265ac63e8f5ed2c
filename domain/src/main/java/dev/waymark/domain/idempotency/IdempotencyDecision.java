package dev.waymark.domain.idempotency;

import java.util.Objects;
import java.util.Optional;

/** What to do with a keyed request, as decided by {@link IdempotencyPolicy}. */
public sealed interface IdempotencyDecision {

  /** Why a request is processed although its key exists, or because it does not. */
  enum ProcessReason {
    /** Nothing is stored for the key. */
    NEW_KEY,
    /** The stored response is past its retention window: the key counts as new. */
    EXPIRED,
    /** The previous claim's lease lapsed without completion (its request died). */
    ABANDONED
  }

  /**
   * Process the request. When {@code supersedes} is present the stored record must be taken over
   * atomically (compare-and-set on that token), not inserted.
   */
  record Process(ProcessReason reason, Optional<FencingToken> supersedes)
      implements IdempotencyDecision {
    public Process {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(supersedes, "supersedes");
    }
  }

  /** Answer with the stored response; store nothing. */
  record Replay(KeyState.Completed stored) implements IdempotencyDecision {
    public Replay {
      Objects.requireNonNull(stored, "stored");
    }
  }

  /** The key was used for a different request: refuse (422). */
  record Mismatch() implements IdempotencyDecision {}

  /** The same request is being processed right now: never process it twice (409). */
  record InFlight() implements IdempotencyDecision {}
}
