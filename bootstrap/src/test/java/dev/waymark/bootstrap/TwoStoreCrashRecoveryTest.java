package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.application.port.ReceiptEncoder;
import dev.waymark.application.port.UnitOfWork;
import dev.waymark.application.upload.IdempotencySettings;
import dev.waymark.application.upload.IdempotentRequest;
import dev.waymark.application.upload.UploadKind;
import dev.waymark.application.upload.UploadLocationsCommand;
import dev.waymark.application.upload.UploadLocationsService;
import dev.waymark.application.upload.UploadOutcome;
import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.IdempotencyPolicy;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.LocationRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Mono;

/**
 * Exactly-once across two stores (keys in Redis, locations in PostgreSQL, no shared
 * transaction): the process is killed at each step of a keyed upload, and a restarted process
 * retries with the same key. Nothing is stored twice and the retry answers what the first
 * attempt would have.
 */
@TestPropertySource(properties = RedisStoreEndToEndTest.REDIS_STORE)
class TwoStoreCrashRecoveryTest extends EndToEndTest {

  static final Duration LEASE = Duration.ofSeconds(60);
  static final RequestFingerprint FINGERPRINT = RequestFingerprint.of("POST /t", "{\"n\":3}");

  @Autowired IdempotencyKeyStore keyStore;
  @Autowired LocationRepository locations;
  @Autowired UnitOfWork unitOfWork;
  @Autowired ReceiptEncoder encoder;

  final MovableClock clock = new MovableClock();
  Principal principal;
  KeyHash key;

  @BeforeEach
  void newDevice() {
    principal = new Principal(device);
    key = KeyHash.of(principal, new IdempotencyKey("crash-key"));
  }

  enum Step { AFTER_CLAIM, AFTER_INSERT_BEFORE_COMPLETE, AFTER_COMPLETE }

  @Test
  void killedAfterTheClaimTheRetryIsToldToWaitThenProcessedOnceTheLeaseLapses() {
    crashAt(Step.AFTER_CLAIM);
    assertThat(stored()).isZero();
    assertThat(freshProcess().upload(command()).block())
        .isInstanceOf(UploadOutcome.KeyInFlight.class);
    clock.advance(LEASE);
    UploadOutcome retry = freshProcess().upload(command()).block();
    assertThat(bodyOf(retry)).isEqualTo(
        "{\"processedCount\":3,\"duplicateCount\":0,\"rejected\":[]}");
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void killedBetweenTheInsertAndTheCompletionTheRetryStoresNothingAndAnswersTheSame() {
    crashAt(Step.AFTER_INSERT_BEFORE_COMPLETE);
    assertThat(stored()).as("the locations committed before the crash").isEqualTo(3);
    clock.advance(LEASE);
    UploadOutcome retry = freshProcess().upload(command()).block();
    assertThat(retry).isInstanceOf(UploadOutcome.Processed.class);
    assertThat(bodyOf(retry)).isEqualTo(
        "{\"processedCount\":3,\"duplicateCount\":0,\"rejected\":[]}");
    assertThat(stored()).as("the key on the rows kept the retry from storing again")
        .isEqualTo(3);
    assertThat(freshProcess().upload(command()).block())
        .isInstanceOf(UploadOutcome.Replayed.class);
  }

  @Test
  void killedBeforeTheCompletionAndTheLeaseGoneFromRedisTheKeyOnTheRowsStillGuards() {
    crashAt(Step.AFTER_INSERT_BEFORE_COMPLETE);
    // Redis dropped the unfinished claim at the end of its lease (PX): the key looks new.
    keyStore.release(key, currentToken()).block();
    assertThat(keyStore.find(key).block()).isEqualTo(new KeyState.Absent());
    UploadOutcome retry = freshProcess().upload(command()).block();
    assertThat(bodyOf(retry)).isEqualTo(
        "{\"processedCount\":3,\"duplicateCount\":0,\"rejected\":[]}");
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void killedAfterTheCompletionTheRetryIsReplayed() {
    crashAt(Step.AFTER_COMPLETE);
    UploadOutcome retry = freshProcess().upload(command()).block();
    assertThat(retry).isInstanceOf(UploadOutcome.Replayed.class);
    assertThat(bodyOf(retry)).isEqualTo(
        "{\"processedCount\":3,\"duplicateCount\":0,\"rejected\":[]}");
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void aRequestWhoseClaimWasTakenOverCannotOverwriteTheNewerResult() {
    var first = (ClaimResult.Claimed) keyStore.claim(key, FINGERPRINT,
        Instant.now().plus(LEASE)).block();
    clock.advance(LEASE);
    UploadOutcome newer = freshProcess().upload(command()).block();
    assertThat(newer).isInstanceOf(UploadOutcome.Processed.class);
    StoredResponse late = new StoredResponse(200, "application/json", "{\"late\":1}".getBytes());
    assertThatThrownBy(() -> keyStore.complete(key, first.token(), late, Instant.now(),
        Instant.now().plusSeconds(60)).block())
        .isInstanceOf(dev.waymark.domain.port.ClaimLostException.class);
    assertThat(((KeyState.Completed) keyStore.find(key).block()).response())
        .isEqualTo(((UploadOutcome.Processed) newer).response());
  }

  /** Runs the upload in a process that dies at {@code step}: no release, no answer. */
  private void crashAt(Step step) {
    ProcessDeath death = new ProcessDeath(step);
    UploadLocationsService doomed = service(death.keyStore(keyStore), death.locations(locations));
    assertThatThrownBy(() -> doomed.upload(command()).block())
        .isInstanceOf(Killed.class);
  }

  private UploadLocationsService freshProcess() {
    return service(keyStore, locations);
  }

  private UploadLocationsService service(IdempotencyKeyStore keys, LocationRepository rows) {
    return new UploadLocationsService(keys, rows, unitOfWork, encoder, new IdempotencyPolicy(),
        new IdempotencySettings(Duration.ofHours(24), LEASE, Duration.ofSeconds(1),
            Duration.ofSeconds(30), IdempotencySettings.KeyStoreConsistency.SEPARATE_STORE),
        clock);
  }

  private UploadLocationsCommand command() {
    Location point = new Location(null, 1, 2, 3, Instant.parse("2026-12-04T10:00:00Z"), null,
        null, null, null, null);
    return new UploadLocationsCommand(principal, UploadKind.BATCH, List.of(point, point, point),
        List.of(), Optional.of(new IdempotentRequest(new IdempotencyKey("crash-key"),
            FINGERPRINT)));
  }

  private FencingToken currentToken() {
    return ((KeyState.InFlight) keyStore.find(key).block()).token();
  }

  private static String bodyOf(UploadOutcome outcome) {
    StoredResponse response = outcome instanceof UploadOutcome.Processed processed
        ? processed.response() : ((UploadOutcome.Replayed) outcome).response();
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static final class Killed extends RuntimeException {
    Killed(Step step) {
      super("process killed " + step);
    }
  }

  /**
   * The ports as a process sees them that is killed at one step: the step's own work happens
   * (or not, for "before"), then every call, release included, fails as a dead process would
   * make no more calls.
   */
  static final class ProcessDeath {
    private final Step step;
    private volatile boolean dead;

    ProcessDeath(Step step) {
      this.step = step;
    }

    private <T> Mono<T> die() {
      dead = true;
      return Mono.error(new Killed(step));
    }

    private <T> Mono<T> guarded(Mono<T> call) {
      return Mono.defer(() -> dead ? Mono.<T>error(new Killed(step)) : call);
    }

    IdempotencyKeyStore keyStore(IdempotencyKeyStore real) {
      return new IdempotencyKeyStore() {
        @Override
        public Mono<ClaimResult> claim(KeyHash key, RequestFingerprint fingerprint,
            Instant leaseEnd) {
          return guarded(real.claim(key, fingerprint, leaseEnd)
              .flatMap(result -> step == Step.AFTER_CLAIM ? die() : Mono.just(result)));
        }

        @Override
        public Mono<ClaimResult> takeOver(KeyHash key, FencingToken expected,
            RequestFingerprint fingerprint, Instant leaseEnd) {
          return guarded(real.takeOver(key, expected, fingerprint, leaseEnd));
        }

        @Override
        public Mono<Void> complete(KeyHash key, FencingToken token, StoredResponse response,
            Instant completedAt, Instant expiresAt) {
          if (step == Step.AFTER_INSERT_BEFORE_COMPLETE) {
            return guarded(die());
          }
          return guarded(real.complete(key, token, response, completedAt, expiresAt)
              .then(Mono.defer(() -> step == Step.AFTER_COMPLETE ? die() : Mono.empty())));
        }

        @Override
        public Mono<Void> release(KeyHash key, FencingToken token) {
          return guarded(real.release(key, token));
        }

        @Override
        public Mono<KeyState> find(KeyHash key) {
          return guarded(real.find(key));
        }

        @Override
        public Mono<Integer> deleteExpired(Instant cutoff, int limit) {
          return guarded(real.deleteExpired(cutoff, limit));
        }
      };
    }

    LocationRepository locations(LocationRepository real) {
      return (principal, locations, guard) -> guarded(real.store(principal, locations, guard));
    }
  }

  /** Real time plus an offset: what the service believes "now" is after waiting. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration duration) {
      offset = offset.plus(duration);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
