package dev.waymark.application.upload;

import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.port.UnitOfWork;
import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.IdempotencyDecision;
import dev.waymark.domain.idempotency.IdempotencyPolicy;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.KeyLockedException;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StoreResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * Stores uploads, single or batch, with or without an idempotency key.
 *
 * <p>A keyed upload claims its key, stores its locations and completes the key with the exact
 * response inside one {@link UnitOfWork}: all of it commits or none of it does. When the key is
 * already held, the {@link IdempotencyPolicy} decides between replay, mismatch, in flight and
 * taking over an expired or abandoned record (docs/adr/0002-atomic-keyed-upload.md).
 */
public final class UploadLocationsService implements UploadLocationsUseCase {

  /** Claim, find it taken and replaced, claim again: beyond this, contention is pathological. */
  private static final int MAX_CLAIM_ATTEMPTS = 3;

  private final IdempotencyKeyStore keyStore;
  private final LocationRepository locations;
  private final UnitOfWork unitOfWork;
  private final ReceiptEncoder encoder;
  private final IdempotencyPolicy policy;
  private final IdempotencySettings settings;
  private final Clock clock;

  public UploadLocationsService(
      IdempotencyKeyStore keyStore,
      LocationRepository locations,
      UnitOfWork unitOfWork,
      ReceiptEncoder encoder,
      IdempotencyPolicy policy,
      IdempotencySettings settings,
      Clock clock) {
    this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
    this.locations = Objects.requireNonNull(locations, "locations");
    this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Mono<UploadOutcome> upload(UploadLocationsCommand command) {
    Objects.requireNonNull(command, "command");
    return command
        .idempotency()
        .map(request -> keyed(command, request))
        .orElseGet(() -> unkeyed(command));
  }

  private Mono<UploadOutcome> unkeyed(UploadLocationsCommand command) {
    // One statement stores the whole upload, so it is atomic without a unit of work.
    return locations
        .store(command.principal(), command.accepted(), Optional.empty())
        .map(result -> new UploadOutcome.Processed(
            encoder.encode(receipt(command, result)), Optional.empty()));
  }

  private Mono<UploadOutcome> keyed(UploadLocationsCommand command, IdempotentRequest request) {
    KeyHash key = KeyHash.of(command.principal(), request.key());
    return Mono.defer(() -> {
      // The claim this subscription holds, if any: released when the unit of work fails, so a
      // store outside the unit (which a rollback cannot undo) frees the key for the retry.
      AtomicReference<FencingToken> held = new AtomicReference<>();
      Attempt attempt = new Attempt(command, request, key, held);
      return unitOfWork
          .atomically(() -> attempt.claim(MAX_CLAIM_ATTEMPTS))
          .onErrorResume(error -> releaseQuietly(key, held.get()).then(Mono.error(error)))
          // The store could not show who holds the key; the policy says what that means.
          .onErrorResume(KeyLockedException.class, locked -> Mono.just(
              attempt.decided(new KeyState.Locked(), clock.instant())));
    });
  }

  private Mono<Void> releaseQuietly(KeyHash key, FencingToken token) {
    if (token == null) {
      return Mono.empty();
    }
    // The original failure is what the caller must see; a failed release only delays the key
    // until its lease lapses.
    return keyStore.release(key, token).onErrorResume(releaseFailure -> Mono.empty());
  }

  private static UploadReceipt receipt(UploadLocationsCommand command, StoreResult result) {
    return new UploadReceipt(
        command.kind(), result.stored(), result.duplicates(), command.rejected());
  }

  /** One keyed upload's way through claim, decision and processing. */
  private final class Attempt {
    private final UploadLocationsCommand command;
    private final IdempotentRequest request;
    private final KeyHash key;
    private final AtomicReference<FencingToken> held;

    Attempt(UploadLocationsCommand command, IdempotentRequest request, KeyHash key,
        AtomicReference<FencingToken> held) {
      this.command = command;
      this.request = request;
      this.key = key;
      this.held = held;
    }

    Mono<UploadOutcome> claim(int attemptsLeft) {
      Instant now = clock.instant();
      return keyStore
          .claim(key, request.fingerprint(), now.plus(settings.lease()))
          .flatMap(result -> resolve(result, attemptsLeft));
    }

    private Mono<UploadOutcome> resolve(ClaimResult result, int attemptsLeft) {
      if (result instanceof ClaimResult.Claimed claimed) {
        held.set(claimed.token());
        return process(claimed.token());
      }
      Instant now = clock.instant();
      IdempotencyDecision decision =
          policy.decide(((ClaimResult.Taken) result).state(), request.fingerprint(), now);
      if (!(decision instanceof IdempotencyDecision.Process process) || attemptsLeft <= 1) {
        return Mono.just(answer(decision));
      }
      if (process.supersedes().isEmpty()) {
        return claim(attemptsLeft - 1);
      }
      return keyStore
          .takeOver(key, process.supersedes().get(), request.fingerprint(),
              now.plus(settings.lease()))
          .flatMap(next -> resolve(next, attemptsLeft - 1));
    }

    /** The outcome of a decided state that needs no processing. */
    UploadOutcome decided(KeyState state, Instant now) {
      return answer(policy.decide(state, request.fingerprint(), now));
    }

    private UploadOutcome answer(IdempotencyDecision decision) {
      if (decision instanceof IdempotencyDecision.Replay replay) {
        return new UploadOutcome.Replayed(
            replay.stored().response(), replay.stored().expiresAt());
      }
      if (decision instanceof IdempotencyDecision.Mismatch) {
        return new UploadOutcome.KeyMismatch();
      }
      // In flight, or still "process" after every attempt: the key changes hands faster than
      // it can be claimed, so another request is working on it, which is what 409 tells.
      return new UploadOutcome.KeyInFlight(settings.inFlightRetryAfter());
    }

    private Mono<UploadOutcome> process(FencingToken token) {
      return locations
          .store(command.principal(), command.accepted(), Optional.of(key))
          .flatMap(result -> {
            var response = encoder.encode(receipt(command, result));
            Instant completedAt = clock.instant();
            Instant expiresAt = completedAt.plus(settings.retention());
            return keyStore
                .complete(key, token, response, completedAt, expiresAt)
                .thenReturn(new UploadOutcome.Processed(response, Optional.of(expiresAt)));
          });
    }
  }
}
