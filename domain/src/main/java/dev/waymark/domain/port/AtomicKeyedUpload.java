package dev.waymark.domain.port;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.ResponseTemplate;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.location.Location;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Out-port, optional: a key store and a location repository that share one database do a keyed
 * upload of a fresh key in one atomic step (claim, store under the key guard, complete with the
 * response), one round trip instead of a transaction of five. When the key is already held
 * nothing is changed and the step reports the record that holds it, for the policy to judge.
 */
public interface AtomicKeyedUpload {

  /**
   * Claims {@code request.key()} if no record holds it, stores the locations and completes the
   * record with the template filled in, all or nothing.
   *
   * @return {@link Completed}, or {@link Taken} with the state of the record that holds the key
   *     (nothing was changed; {@link KeyState.Absent} if it went away meanwhile); fails with
   *     {@link KeyLockedException} when the holder's transaction outlasted the lock wait, and
   *     {@link StorageUnavailableException} when storage is unavailable
   */
  Mono<Outcome> claimStoreAndComplete(Request request);

  /** What the step did. */
  sealed interface Outcome {}

  /** One fresh keyed upload. */
  record Request(KeyHash key, RequestFingerprint fingerprint, Principal principal,
      List<Location> locations, Instant guardSince, Instant leaseEnd, ResponseTemplate response,
      Instant completedAt, Instant expiresAt) {

    public Request {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(principal, "principal");
      locations = List.copyOf(locations);
      Objects.requireNonNull(guardSince, "guardSince");
      Objects.requireNonNull(leaseEnd, "leaseEnd");
      Objects.requireNonNull(response, "response");
      Objects.requireNonNull(completedAt, "completedAt");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** The upload was stored: the record's token, the store's counts and the stored response. */
  record Completed(FencingToken token, StoreResult result, StoredResponse response)
      implements Outcome {}

  /** A record held the key; nothing was changed. */
  record Taken(KeyState state) implements Outcome {}
}
