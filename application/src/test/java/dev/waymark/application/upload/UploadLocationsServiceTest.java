package dev.waymark.application.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.port.UnitOfWork;
import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.IdempotencyPolicy;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.ResponseTemplate;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.port.AtomicKeyedUpload;
import dev.waymark.domain.location.FieldError;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.location.RejectedItem;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.KeyGuard;
import dev.waymark.domain.port.KeyLockedException;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StoreResult;
import dev.waymark.domain.port.StorageUnavailableException;
import dev.waymark.adapters.memory.InMemoryIdempotencyKeyStore;
import dev.waymark.adapters.memory.InMemoryLocationRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class UploadLocationsServiceTest {

  static final Duration TTL = Duration.ofHours(24);
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Principal DEVICE = new Principal("device-1");
  static final Location POINT = new Location("p-1", 1, 2, 3,
      Instant.parse("2026-12-04T10:00:00Z"), null, null, null, null, null);
  static final RequestFingerprint SAME = RequestFingerprint.of("POST /x", "{\"a\":1}");
  static final RequestFingerprint DIFFERENT = RequestFingerprint.of("POST /x", "{\"a\":2}");

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
  final InMemoryIdempotencyKeyStore keyStore = new InMemoryIdempotencyKeyStore();
  final InMemoryLocationRepository repository = new InMemoryLocationRepository(clock);
  final FailingRepository failing = new FailingRepository(repository);
  final UploadLocationsService service = new UploadLocationsService(keyStore, failing,
      new DirectUnitOfWork(), new TextEncoder(), new IdempotencyPolicy(),
      settings(Duration.ofSeconds(1)), clock);

  static IdempotencySettings settings(Duration retryAfter) {
    return new IdempotencySettings(TTL, LEASE, retryAfter, Duration.ofSeconds(10),
        IdempotencySettings.KeyStoreConsistency.SHARED_TRANSACTION);
  }

  UploadOutcome upload(String key, RequestFingerprint fingerprint, Location... locations) {
    return service.upload(command(key, fingerprint, List.of(locations), List.of()))
        .block(Duration.ofSeconds(10));
  }

  static UploadLocationsCommand command(String key, RequestFingerprint fingerprint,
      List<Location> accepted, List<RejectedItem> rejected) {
    Optional<IdempotentRequest> idempotency = key == null ? Optional.empty()
        : Optional.of(new IdempotentRequest(new IdempotencyKey(key), fingerprint));
    return new UploadLocationsCommand(DEVICE, UploadKind.BATCH, accepted, rejected, idempotency);
  }

  static Location unnamedPoint() {
    return new Location(null, 1, 2, 3, Instant.parse("2026-12-04T10:00:00Z"), null, null, null,
        null, null);
  }

  static String body(StoredResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void unkeyedUploadsAreProcessedEveryTime() {
    var first = upload(null, null, unnamedPoint());
    var second = upload(null, null, unnamedPoint());
    assertThat(first).isInstanceOf(UploadOutcome.Processed.class);
    assertThat(((UploadOutcome.Processed) second).keyExpiresAt()).isEmpty();
    assertThat(repository.storedFor(DEVICE)).hasSize(2);
  }

  @Test
  void firstKeyedUploadIsProcessedAndItsKeyHoldsForTheRetentionWindow() {
    var outcome = (UploadOutcome.Processed) upload("k", SAME, POINT);
    assertThat(body(outcome.response())).isEqualTo("BATCH processed=1 duplicates=0 rejected=0");
    assertThat(outcome.keyExpiresAt()).contains(clock.instant().plus(TTL));
    KeyState stored = keyStore.find(KeyHash.of(DEVICE, new IdempotencyKey("k"))).block();
    assertThat(stored).isEqualTo(new KeyState.Completed(SAME,
        ((KeyState.Completed) stored).token(), outcome.response(),
        clock.instant().plus(TTL)));
  }

  @Test
  void aRepeatIsReplayedWithTheStoredResponseAndTheSameExpiryAndStoresNothing() {
    var first = (UploadOutcome.Processed) upload("k", SAME, unnamedPoint());
    clock.advance(Duration.ofHours(23));
    var again = upload("k", SAME, unnamedPoint());
    assertThat(again).isEqualTo(
        new UploadOutcome.Replayed(first.response(), first.keyExpiresAt().orElseThrow()));
    assertThat(repository.storedFor(DEVICE)).hasSize(1);
  }

  @Test
  void theSameKeyWithAnotherPayloadIsAMismatchAndStoresNothing() {
    upload("k", SAME, unnamedPoint());
    assertThat(upload("k", DIFFERENT, unnamedPoint())).isEqualTo(new UploadOutcome.KeyMismatch());
    assertThat(repository.storedFor(DEVICE)).hasSize(1);
  }

  @Test
  void aKeyPastItsRetentionIsProcessedAsNew() {
    upload("k", SAME, unnamedPoint());
    clock.advance(TTL);
    var outcome = upload("k", DIFFERENT, unnamedPoint());
    assertThat(outcome).isInstanceOf(UploadOutcome.Processed.class);
    assertThat(((UploadOutcome.Processed) outcome).keyExpiresAt())
        .contains(clock.instant().plus(TTL));
    assertThat(repository.storedFor(DEVICE)).hasSize(2);
  }

  @Test
  void aDuplicateOfAnUnfinishedRequestIsToldToRetryLater() {
    KeyHash key = KeyHash.of(DEVICE, new IdempotencyKey("k"));
    keyStore.claim(key, SAME, clock.instant().plus(LEASE)).block();
    assertThat(upload("k", SAME, unnamedPoint()))
        .isEqualTo(new UploadOutcome.KeyInFlight(Duration.ofSeconds(1)));
    assertThat(upload("k", DIFFERENT, unnamedPoint())).isEqualTo(new UploadOutcome.KeyMismatch());
    assertThat(repository.storedFor(DEVICE)).isEmpty();
  }

  @Test
  void aKeyLockedByAnInvisibleClaimIsInFlightAndStoresNothing() {
    var lockedStore = new InMemoryIdempotencyKeyStore() {
      @Override
      public Mono<ClaimResult> claim(KeyHash key, RequestFingerprint fingerprint,
          Instant leaseEnd) {
        return Mono.error(new KeyLockedException("held by another transaction", null));
      }
    };
    var lockedService = new UploadLocationsService(lockedStore, repository,
        new DirectUnitOfWork(), new TextEncoder(), new IdempotencyPolicy(),
        settings(Duration.ofSeconds(2)), clock);
    assertThat(lockedService.upload(command("k", SAME, List.of(unnamedPoint()), List.of()))
        .block()).isEqualTo(new UploadOutcome.KeyInFlight(Duration.ofSeconds(2)));
    assertThat(repository.storedFor(DEVICE)).isEmpty();
  }

  @Test
  void anAbandonedClaimIsTakenOverOnceItsLeaseLapses() {
    KeyHash key = KeyHash.of(DEVICE, new IdempotencyKey("k"));
    var abandoned = (ClaimResult.Claimed) keyStore.claim(key, SAME, clock.instant().plus(LEASE))
        .block();
    clock.advance(LEASE);
    assertThat(upload("k", SAME, unnamedPoint())).isInstanceOf(UploadOutcome.Processed.class);
    assertThatThrownBy(() -> keyStore.complete(key, abandoned.token(),
        new StoredResponse(200, "text/plain", new byte[0]), clock.instant(), clock.instant())
        .block())
        .isInstanceOf(dev.waymark.domain.port.ClaimLostException.class);
  }

  @Test
  void aStorageFailureLeavesNoKeyBehindSoTheRetryIsProcessed() {
    failing.failNext = true;
    assertThatThrownBy(() -> upload("k", SAME, unnamedPoint()))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(keyStore.find(KeyHash.of(DEVICE, new IdempotencyKey("k"))).block())
        .isEqualTo(new KeyState.Absent());
    assertThat(upload("k", SAME, unnamedPoint())).isInstanceOf(UploadOutcome.Processed.class);
    assertThat(repository.storedFor(DEVICE)).hasSize(1);
  }

  @Test
  void keysAreScopedPerPrincipal() {
    upload("k", SAME, unnamedPoint());
    var other = new UploadLocationsCommand(new Principal("device-2"), UploadKind.BATCH,
        List.of(unnamedPoint()), List.of(),
        Optional.of(new IdempotentRequest(new IdempotencyKey("k"), DIFFERENT)));
    assertThat(service.upload(other).block()).isInstanceOf(UploadOutcome.Processed.class);
  }

  @Test
  void theReceiptCountsStoredDuplicateAndRejectedItems() {
    upload(null, null, POINT);
    var rejected = List.of(new RejectedItem(2, List.of(new FieldError("latitude", "bad"))));
    var outcome = (UploadOutcome.Processed) service.upload(
        command(null, null, List.of(POINT, unnamedPoint()), rejected)).block();
    assertThat(body(outcome.response())).isEqualTo("BATCH processed=1 duplicates=1 rejected=1");
  }

  @Test
  void manyParallelDuplicatesProcessOnce() {
    List<UploadOutcome> outcomes = Flux.range(0, 64)
        .flatMap(i -> service.upload(command("storm", SAME, List.of(unnamedPoint()), List.of()))
            .subscribeOn(Schedulers.parallel()), 64)
        .collectList()
        .block(Duration.ofSeconds(20));
    assertThat(outcomes).filteredOn(UploadOutcome.Processed.class::isInstance).hasSize(1);
    assertThat(outcomes).allMatch(o -> o instanceof UploadOutcome.Processed
        || o instanceof UploadOutcome.Replayed || o instanceof UploadOutcome.KeyInFlight);
    assertThat(repository.storedFor(DEVICE)).hasSize(1);
  }

  /** Runs the work as is: each in-memory operation is atomic on its own. */
  static final class DirectUnitOfWork implements UnitOfWork {
    @Override
    public <T> Mono<T> atomically(Supplier<Mono<T>> work) {
      return Mono.defer(work);
    }
  }

  /** A readable stand-in for the web adapter's JSON encoder. */
  static final class TextEncoder implements ReceiptEncoder {
    @Override
    public StoredResponse encode(UploadReceipt receipt) {
      String text = receipt.kind() + " processed=" + receipt.processedCount()
          + " duplicates=" + receipt.duplicateCount() + " rejected=" + receipt.rejected().size();
      return new StoredResponse(200, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ResponseTemplate template(UploadKind kind, List<RejectedItem> rejected) {
      return new ResponseTemplate(200, "text/plain",
          (kind + " processed=").getBytes(StandardCharsets.UTF_8),
          " duplicates=".getBytes(StandardCharsets.UTF_8),
          (" rejected=" + rejected.size()).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The one-step port over the in-memory stores (claim, store, complete, or nothing when the
   * key is held), or a scripted failure; counts its calls.
   */
  final class InMemoryAtomicUpload implements AtomicKeyedUpload {
    int calls;
    RuntimeException failure;

    @Override
    public Mono<Outcome> claimStoreAndComplete(Request request) {
      calls++;
      if (failure != null) {
        return Mono.error(failure);
      }
      return keyStore.claim(request.key(), request.fingerprint(), request.leaseEnd())
          .flatMap(claim -> {
            if (!(claim instanceof ClaimResult.Claimed claimed)) {
              return Mono.just((Outcome) new Taken(((ClaimResult.Taken) claim).state()));
            }
            return repository.store(request.principal(), request.locations(),
                    Optional.of(new KeyGuard(request.key(), request.guardSince())))
                .flatMap(result -> {
                  StoredResponse response =
                      request.response().fill(result.stored(), result.duplicates());
                  return keyStore.complete(request.key(), claimed.token(), response,
                          request.completedAt(), request.expiresAt())
                      .thenReturn((Outcome) new Completed(claimed.token(), result, response));
                });
          });
    }
  }

  final InMemoryAtomicUpload oneStep = new InMemoryAtomicUpload();
  final UploadLocationsService oneStepService = new UploadLocationsService(keyStore, failing,
      new DirectUnitOfWork(), new TextEncoder(), new IdempotencyPolicy(),
      settings(Duration.ofSeconds(1)), clock, Optional.of(oneStep));

  UploadOutcome oneStepUpload(String key, RequestFingerprint fingerprint, Location... points) {
    return oneStepService.upload(command(key, fingerprint, List.of(points), List.of()))
        .block(Duration.ofSeconds(10));
  }

  @Test
  void aFreshKeyIsClaimedStoredAndCompletedInOneStepWithTheEncodersBytes() {
    UploadOutcome outcome = oneStepUpload("one", SAME, POINT);

    assertThat(oneStep.calls).isEqualTo(1);
    assertThat(outcome).isInstanceOf(UploadOutcome.Processed.class);
    var processed = (UploadOutcome.Processed) outcome;
    assertThat(processed.response()).isEqualTo(new TextEncoder().encode(
        new UploadReceipt(UploadKind.BATCH, 1, 0, List.of())));
    assertThat(processed.keyExpiresAt()).hasValue(clock.instant().plus(TTL));
    assertThat(oneStepUpload("one", SAME, POINT)).isInstanceOf(UploadOutcome.Replayed.class);
    assertThat(repository.storedFor(DEVICE)).hasSize(1);
  }

  @Test
  void aKeyHeldByAnotherPayloadIsAMismatchAfterTheOneStepFindsItTaken() {
    oneStepUpload("held", SAME, POINT);
    assertThat(oneStepUpload("held", DIFFERENT, POINT))
        .isInstanceOf(UploadOutcome.KeyMismatch.class);
    assertThat(oneStep.calls).isEqualTo(2);
  }

  @Test
  void aKeyWhoseRecordLapsedIsTakenOverByTheSteps() {
    oneStepUpload("lapsed", SAME, POINT);
    clock.advance(TTL.plusSeconds(1));
    Location other = new Location("p-2", 1, 2, 3, Instant.parse("2026-12-04T10:00:00Z"), null,
        null, null, null, null);

    UploadOutcome outcome = oneStepUpload("lapsed", SAME, other);

    assertThat(outcome).isInstanceOf(UploadOutcome.Processed.class);
    assertThat(body(((UploadOutcome.Processed) outcome).response())).contains("processed=1");
    assertThat(repository.storedFor(DEVICE)).hasSize(2);
  }

  @Test
  void aLockWaitThatOutlastsItsTimeoutInTheOneStepIsInFlight() {
    oneStep.failure = new KeyLockedException("lock_timeout", null);
    assertThat(oneStepUpload("locked", SAME, POINT))
        .isInstanceOf(UploadOutcome.KeyInFlight.class);
    assertThat(repository.storedFor(DEVICE)).isEmpty();
  }

  @Test
  void aSeparateKeyStoreNeverUsesTheOneStep() {
    var separate = new UploadLocationsService(keyStore, failing, new DirectUnitOfWork(),
        new TextEncoder(), new IdempotencyPolicy(), new IdempotencySettings(TTL, LEASE,
            Duration.ofSeconds(1), Duration.ofSeconds(10),
            IdempotencySettings.KeyStoreConsistency.SEPARATE_STORE),
        clock, Optional.of(oneStep));
    assertThat(separate.upload(command("separate", SAME, List.of(POINT), List.of()))
        .block(Duration.ofSeconds(10))).isInstanceOf(UploadOutcome.Processed.class);
    assertThat(oneStep.calls).isZero();
  }

  @Test
  void anUploadWhoseCallerGoesAwayStillFinishesSoTheRetryIsReplayed() {
    var gate = reactor.core.publisher.Sinks.<Boolean>one();
    LocationRepository slow = (principal, locations, guard) ->
        gate.asMono().then(repository.store(principal, locations, guard));
    var service = new UploadLocationsService(keyStore, slow, new DirectUnitOfWork(),
        new TextEncoder(), new IdempotencyPolicy(), settings(Duration.ofSeconds(1)), clock);

    var caller = service.upload(command("k", SAME, List.of(POINT), List.of())).subscribe();
    caller.dispose(); // the phone hangs up while its locations are being stored
    gate.tryEmitValue(true);

    assertThat(repository.storedFor(DEVICE).size()).as("the upload went on without its caller")
        .isEqualTo(1);
    assertThat(keyStore.find(KeyHash.of(DEVICE, new IdempotencyKey("k"))).block())
        .as("and completed its key").isInstanceOf(KeyState.Completed.class);
    assertThat(upload("k", SAME, POINT)).isInstanceOf(UploadOutcome.Replayed.class);
  }

  @Test
  void aCallerIsAnsweredAtTheRequestTimeoutWhileItsUploadMayStillFinish() {
    var gate = reactor.core.publisher.Sinks.<Boolean>one();
    LocationRepository stuck = (principal, locations, guard) ->
        gate.asMono().then(repository.store(principal, locations, guard));
    var settings = new IdempotencySettings(TTL, LEASE, Duration.ofSeconds(1),
        Duration.ofMillis(50), IdempotencySettings.KeyStoreConsistency.SHARED_TRANSACTION);
    var service = new UploadLocationsService(keyStore, stuck, new DirectUnitOfWork(),
        new TextEncoder(), new IdempotencyPolicy(), settings, clock);

    assertThatThrownBy(() -> service.upload(command("late", SAME, List.of(POINT), List.of()))
        .block(Duration.ofSeconds(5)))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("did not finish within");
    gate.tryEmitValue(true);
    assertThat(repository.storedFor(DEVICE).size()).isEqualTo(1);
    assertThat(upload("late", SAME, POINT)).isInstanceOf(UploadOutcome.Replayed.class);
  }

  /** Fails its next call like a database that went away, storing nothing. */
  static final class FailingRepository implements LocationRepository {
    private final LocationRepository delegate;
    volatile boolean failNext;

    FailingRepository(LocationRepository delegate) {
      this.delegate = delegate;
    }

    @Override
    public Mono<StoreResult> store(Principal principal, List<Location> locations,
        Optional<KeyGuard> keyHash) {
      if (failNext) {
        failNext = false;
        return Mono.error(new StorageUnavailableException("injected", null));
      }
      return delegate.store(principal, locations, keyHash);
    }
  }

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
