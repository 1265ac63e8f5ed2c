package dev.waymark.domain.idempotency;

import dev.waymark.domain.idempotency.IdempotencyDecision.InFlight;
import dev.waymark.domain.idempotency.IdempotencyDecision.Mismatch;
import dev.waymark.domain.idempotency.IdempotencyDecision.Process;
import dev.waymark.domain.idempotency.IdempotencyDecision.ProcessReason;
import dev.waymark.domain.idempotency.IdempotencyDecision.Replay;
import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency policy as a plain function: given what the store holds for (principal, key),
 * the incoming request's fingerprint and the current instant, decide what happens.
 *
 * <p>Expiry is judged here, when a key is read, so an expired key counts as new whether or not
 * the cleanup job has deleted it yet. A different payload is refused before in-flight is
 * considered: a client reusing a key for another request learns so at once.
 */
public final class IdempotencyPolicy {

  /** Decides the fate of a request whose key is in {@code state} at {@code now}. */
  public IdempotencyDecision decide(KeyState state, RequestFingerprint incoming, Instant now) {
    if (state instanceof KeyState.Absent) {
      return new Process(ProcessReason.NEW_KEY, Optional.empty());
    }
    if (state instanceof KeyState.Locked) {
      return new InFlight();
    }
    if (state instanceof KeyState.InFlight inFlight) {
      if (!now.isBefore(inFlight.leaseExpiresAt())) {
        return new Process(ProcessReason.ABANDONED, Optional.of(inFlight.token()));
      }
      return inFlight.fingerprint().equals(incoming) ? new InFlight() : new Mismatch();
    }
    KeyState.Completed completed = (KeyState.Completed) state;
    if (!now.isBefore(completed.expiresAt())) {
      return new Process(ProcessReason.EXPIRED, Optional.of(completed.token()));
    }
    return completed.fingerprint().equals(incoming) ? new Replay(completed) : new Mismatch();
  }
}
