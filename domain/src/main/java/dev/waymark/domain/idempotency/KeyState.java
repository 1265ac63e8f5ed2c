package dev.waymark.domain.idempotency;

import java.time.Instant;
import java.util.Objects;

/** What a key store holds for one key, as the idempotency policy sees it. */
public sealed interface KeyState {

  /** Nothing is stored for the key. */
  record Absent() implements KeyState {}

  /**
   * Another request holds the key in a claim the store cannot show yet (on PostgreSQL: an
   * uncommitted claim that did not finish within the lock wait). Its payload is unknown.
   */
  record Locked() implements KeyState {}

  /** A request claimed the key and has not finished; its claim lapses at {@code leaseExpiresAt}. */
  record InFlight(RequestFingerprint fingerprint, FencingToken token, Instant leaseExpiresAt)
      implements KeyState {
    public InFlight {
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    }
  }

  /** A request was processed; its response is replayed until {@code expiresAt}. */
  record Completed(
      RequestFingerprint fingerprint, FencingToken token, StoredResponse response,
      Instant expiresAt)
      implements KeyState {
    public Completed {
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(response, "response");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }
}
