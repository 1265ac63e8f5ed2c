package dev.waymark.application.upload;

import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.port.UnitOfWork;
import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.IdempotencyDecision;
import dev.waymark.domain.idempotency.IdempotencyPolicy;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.port.AtomicKeyedUpload;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.KeyGuard;
import dev.waymark.domain.port.KeyLockedException;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StorageUnavailableException;
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
 * response. When the key store shares the locations' {@link UnitOfWork}, all three commit
 * together or not at all (docs/adr/0002-atomic-keyed-upload.md). When it does not (Redis), the
 * locations commit first under a {@link KeyGuard}, then the claim is completed with its fencing
 * token (docs/adr/0007-redis-key-store.md). When the key is already held, the
 * {@link IdempotencyPolicy} decides between replay, mismatch, in flight and taking over an
 * expired or abandoned record. Where the stores offer an {@link AtomicKeyedUpload}, a fresh key
 * takes those steps in one (docs/adr/0010-one-statement-keyed-upload.md). Every upload is
 * bounded by the request timeout and, once started, runs to its end (docs/adr/0009).
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
  private final Optional<AtomicKeyedUpload> atomicUpload;

  public UploadLocationsService(
      IdempotencyKeyStore keyStore,
      LocationRepository locations,
      UnitOfWork unitOfWork,
      ReceiptEncoder encoder,
      IdempotencyPolicy policy,
      IdempotencySettings settings,
      Clock clock) {
    this(keyStore, locations, unitOfWork, encoder, policy, settings, clock, Optional.empty());
  }

  /**
   * With {@code atomicUpload}, a fresh key in the shared-transaction mode is claimed, stored and
   * completed in one step; everything else (replays, conflicts, take-overs) takes the steps.
   */
  public UploadLocationsService(
      IdempotencyKeyStore keyStore,
      LocationRepository locations,
      UnitOfWork unitOfWork,
      ReceiptEncoder encoder,
      IdempotencyPolicy policy,
      IdempotencySettings settings,
      Clock clock,
      Optional<AtomicKeyedUpload> atomicUpload) {
    this.atomicUpload = Objects.requireNonNull(atomicUpload, "atomicUpload");
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
    Mono<UploadOutcome> work = command
        .idempotency()
        .map(request -> keyed(command, request))
        .orElseGet(() -> unkeyed(command));
    // Once started, an upload runs to its end even if its caller goes away (a phone losing its
    // radio, the timeout below): a transaction cancelled half-way is not rolled back reliably
    // by the reactive driver (a storm of hang-ups committed bare claims), and a claim left
    // unfinished costs the retry a lease. Finished, the retry is simply replayed.
    return Mono.<UploadOutcome>fromFuture(work::toFuture, true)
        // The caller is answered at the timeout; the lease outlasts it, so no other request
        // takes the key over while this one may still write.
        .timeout(settings.requestTimeout(), Mono.error(() -> new StorageUnavailableException(
            "the upload did not finish within " + settings.requestTimeout(), null)));
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
      Attempt attempt = new Attempt(command, request, key, held, clock.instant());
      Mono<UploadOutcome> upload = atomicUpload.isPresent() && sharedTransaction()
          ? attempt.inOneStep(atomicUpload.get())
          : attempt.inSteps();
      return upload
          .onErrorResume(error -> releaseQuietly(key, held.get()).then(Mono.error(error)))
          // The store could not show who holds the key; the policy says what that means.
          .onErrorResume(KeyLockedException.class, locked -> Mono.just(
              attempt.decided(new KeyState.Locked(), clock.instant())));
    });
  }

  private boolean sharedTransaction() {
    return settings.keyStore() == IdempotencySettings.KeyStoreConsistency.SHARED_TRANSACTION;
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
    private final Instant started;

    Attempt(UploadLocationsCommand command, IdempotentRequest request, KeyHash key,
        AtomicReference<FencingToken> held, Instant started) {
      this.command = command;
      this.request = request;
      this.key = key;
      this.held = held;
      this.started = started;
    }

    /**
     * Which rows already stored under the key are this request's: after an expired record, none
     * (that life of the key completed and is over); otherwise those younger than one retention,
     * which an earlier attempt of this request may have committed before it died: a completed
     * older life ended at least one retention before any new claim.
     */
    private KeyGuard guard(IdempotencyDecision.ProcessReason reason) {
      return new KeyGuard(key, reason == IdempotencyDecision.ProcessReason.EXPIRED
          ? started
          : started.minus(settings.retention()));
    }

    /** Claim, decide, store and complete as separate steps (in one unit of work if shared). */
    Mono<UploadOutcome> inSteps() {
      return sharedTransaction()
          ? unitOfWork.atomically(() -> claim(MAX_CLAIM_ATTEMPTS))
          : claim(MAX_CLAIM_ATTEMPTS);
    }

    /**
     * A fresh key in one atomic step; the record of a key already held is judged by the policy,
     * and only a record that went away or lapsed meanwhile takes the steps.
     */
    Mono<UploadOutcome> inOneStep(AtomicKeyedUpload port) {
      Instant expiresAt = started.plus(settings.retention());
      var step = new AtomicKeyedUpload.Request(key, request.fingerprint(), command.principal(),
          command.accepted(), guard(IdempotencyDecision.ProcessReason.NEW_KEY).since(),
          started.plus(settings.lease()), encoder.template(command.kind(), command.rejected()),
          started, expiresAt);
      return port.claimStoreAndComplete(step).flatMap(outcome ->
          outcome instanceof AtomicKeyedUpload.Completed completed
              ? Mono.just(new UploadOutcome.Processed(completed.response(),
                  Optional.of(expiresAt)))
              : afterTaken(((AtomicKeyedUpload.Taken) outcome).state()));
    }

    private Mono<UploadOutcome> afterTaken(KeyState state) {
      IdempotencyDecision decision = policy.decide(state, request.fingerprint(), clock.instant());
      return decision instanceof IdempotencyDecision.Process
          ? inSteps()
          : Mono.just(answer(decision));
    }

    Mono<UploadOutcome> claim(int attemptsLeft) {
      Instant now = clock.instant();
      return keyStore
          .claim(key, request.fingerprint(), now.plus(settings.lease()))
          .flatMap(result -> resolve(result, IdempotencyDecision.ProcessReason.NEW_KEY,
              attemptsLeft));
    }

    private Mono<UploadOutcome> resolve(ClaimResult result,
        IdempotencyDecision.ProcessReason reason, int attemptsLeft) {
      if (result instanceof ClaimResult.Claimed claimed) {
        held.set(claimed.token());
        return process(claimed.token(), reason);
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
          .flatMap(next -> resolve(next, process.reason(), attemptsLeft - 1));
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

    private Mono<UploadOutcome> process(FencingToken token,
        IdempotencyDecision.ProcessReason reason) {
      // With a separate key store the locations commit on their own before the completion:
      // the store is one statement, atomic without a unit of work around it.
      return locations
          .store(command.principal(), command.accepted(), Optional.of(guard(reason)))
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
