package dev.waymark.domain.port;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * Out-port: stores idempotency records, one per {@link KeyHash}.
 *
 * <p>Every operation is atomic on its own. The store does not judge expiry or payloads: it
 * reports what it holds and the {@code IdempotencyPolicy} decides. Implementations must pass
 * {@code IdempotencyKeyStoreContract} from {@code adapters/testkit}.
 */
public interface IdempotencyKeyStore {

  /**
   * Claims a key nobody holds: inserts an in-flight record if and only if none exists (never
   * check-then-insert). Of any number of concurrent claims of one key, exactly one gets
   * {@link ClaimResult.Claimed}; the others get {@link ClaimResult.Taken} with the current state.
   */
  Mono<ClaimResult> claim(KeyHash key, RequestFingerprint fingerprint, Instant leaseExpiresAt);

  /**
   * Replaces a record the policy judged expired or abandoned, if it still carries
   * {@code expected} (compare-and-set); otherwise answers {@link ClaimResult.Taken} with what is
   * stored now, {@link KeyState.Absent} included. May fail with {@link KeyLockedException} as
   * {@link #claim} does.
   */
  Mono<ClaimResult> takeOver(
      KeyHash key, FencingToken expected, RequestFingerprint fingerprint, Instant leaseExpiresAt);

  /**
   * Stores the response of a claim still held under {@code token}; the record is then replayed
   * until {@code expiresAt}. Fails with {@link ClaimLostException} if the claim was taken over or
   * released.
   */
  Mono<Void> complete(
      KeyHash key, FencingToken token, StoredResponse response, Instant completedAt,
      Instant expiresAt);

  /**
   * Drops an in-flight claim still held under {@code token}, so a retry of a failed request is
   * processed. Does nothing when the claim is no longer held.
   */
  Mono<Void> release(KeyHash key, FencingToken token);

  /** What is stored for the key now; {@link KeyState.Absent} when nothing is. */
  Mono<KeyState> find(KeyHash key);

  /**
   * Deletes up to {@code limit} completed records whose retention ended at or before
   * {@code cutoff}, oldest first, atomically, and tells how many it deleted. Records still inside
   * their retention and in-flight claims are never deleted. A store that expires records by
   * itself (a TTL) deletes nothing and answers 0.
   */
  Mono<Integer> deleteExpired(Instant cutoff, int limit);
}
