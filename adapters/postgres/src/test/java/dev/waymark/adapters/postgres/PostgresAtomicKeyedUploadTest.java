package dev.waymark.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.ResponseTemplate;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.AtomicKeyedUpload;
import dev.waymark.domain.port.KeyLockedException;
import dev.waymark.domain.port.StorageUnavailableException;
import dev.waymark.domain.port.StoreResult;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * The one-statement keyed upload ({@code waymark_keyed_upload}, V4) against real PostgreSQL:
 * claim, guarded insert and completion commit together or not at all, a held key changes
 * nothing, and a concurrent holder is waited on for at most the lock timeout.
 */
class PostgresAtomicKeyedUploadTest {

  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
  private static final PostgresFixture postgres = PostgresFixture.migrated(LOCK_TIMEOUT);
  private static final RequestFingerprint REQUEST = RequestFingerprint.of("POST /t", "{\"a\":1}");
  private static final ResponseTemplate TEMPLATE = new ResponseTemplate(200, "application/json",
      "{\"processedCount\":".getBytes(StandardCharsets.UTF_8),
      ",\"duplicateCount\":".getBytes(StandardCharsets.UTF_8),
      ",\"rejected\":[]}".getBytes(StandardCharsets.UTF_8));

  private final PostgresAtomicKeyedUpload upload =
      new PostgresAtomicKeyedUpload(postgres.connectionFactory);
  private final PostgresIdempotencyKeyStore keys =
      new PostgresIdempotencyKeyStore(postgres.connectionFactory);
  private final PostgresLocationRepository locations =
      new PostgresLocationRepository(postgres.connectionFactory);
  private final PostgresUnitOfWork unitOfWork = new PostgresUnitOfWork(postgres.connectionFactory);
  private final Principal principal = new Principal("one-step-" + UUID.randomUUID());
  private final KeyHash key = KeyHash.of(principal, new IdempotencyKey("k"));
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  private static Location point(String id) {
    return new Location(id, 48.85, 2.29, 4.5, Instant.parse("2026-12-04T10:00:00Z"), 35.0, 1.5,
        270.0, "gps", 81);
  }

  private AtomicKeyedUpload.Request request(List<Location> points) {
    return new AtomicKeyedUpload.Request(key, REQUEST, principal, points,
        now.minus(Duration.ofHours(24)), now.plusSeconds(60), TEMPLATE, now,
        now.plus(Duration.ofHours(24)));
  }

  private long rowsStored() throws SQLException {
    try (var connection = postgres.database.openJdbc();
        var query = connection.prepareStatement(
            "SELECT count(*) FROM locations WHERE principal = ? AND idempotency_key_hash = ?")) {
      query.setString(1, principal.subject());
      query.setBytes(2, key.bytes());
      var result = query.executeQuery();
      result.next();
      return result.getLong(1);
    }
  }

  @Test
  void aFreshKeyIsClaimedStoredAndCompletedWithTheTemplateFilledIn() throws SQLException {
    locations.store(principal, List.of(point("old")), Optional.empty()).block();

    var completed = (AtomicKeyedUpload.Completed) upload.claimStoreAndComplete(
        request(List.of(point("a"), point("old"), point("b"), point(null)))).block();

    assertThat(completed.result()).isEqualTo(new StoreResult(3, 1));
    assertThat(completed.response()).isEqualTo(TEMPLATE.fill(3, 1));
    assertThat(new String(completed.response().body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"processedCount\":3,\"duplicateCount\":1,\"rejected\":[]}");
    KeyState state = keys.find(key).block();
    assertThat(state).isInstanceOf(KeyState.Completed.class);
    var stored = (KeyState.Completed) state;
    assertThat(stored.response()).isEqualTo(TEMPLATE.fill(3, 1));
    assertThat(stored.expiresAt()).isEqualTo(now.plus(Duration.ofHours(24)));
    assertThat(stored.fingerprint()).isEqualTo(REQUEST);
    assertThat(stored.token()).isEqualTo(completed.token());
    assertThat(rowsStored()).isEqualTo(3);
  }

  @Test
  void aKeyAlreadyHeldChangesNothingAndReportsItsRecord() throws SQLException {
    var first = (AtomicKeyedUpload.Completed)
        upload.claimStoreAndComplete(request(List.of(point("a")))).block();

    AtomicKeyedUpload.Outcome again =
        upload.claimStoreAndComplete(request(List.of(point("b"), point("c")))).block();

    assertThat(again).isEqualTo(new AtomicKeyedUpload.Taken(new KeyState.Completed(REQUEST,
        first.token(), TEMPLATE.fill(1, 0), now.plus(Duration.ofHours(24)))));
    assertThat(rowsStored()).isEqualTo(1);
  }

  @Test
  void anEmptyUploadCompletesItsKeyWithZeroCounts() {
    var completed = (AtomicKeyedUpload.Completed)
        upload.claimStoreAndComplete(request(List.of())).block();
    assertThat(completed.response()).isEqualTo(TEMPLATE.fill(0, 0));
  }

  @Test
  void aFailingInsertLeavesNeitherKeyNorRows() throws SQLException {
    try (var connection = postgres.database.openJdbc()) {
      connection.createStatement().execute("""
          CREATE OR REPLACE FUNCTION one_step_fail() RETURNS trigger AS $$
          BEGIN
            IF NEW.provider = 'fail-one-step' THEN
              RAISE EXCEPTION USING ERRCODE = '53100', MESSAGE = 'injected: disk full';
            END IF;
            RETURN NEW;
          END $$ LANGUAGE plpgsql;
          DROP TRIGGER IF EXISTS one_step_fail ON locations;
          CREATE TRIGGER one_step_fail BEFORE INSERT ON locations
            FOR EACH ROW EXECUTE FUNCTION one_step_fail();""");
    }
    Location failing = new Location("z", 1, 2, 3, Instant.parse("2026-12-04T10:00:00Z"), null,
        null, null, "fail-one-step", null);
    try {
      assertThatThrownBy(() -> upload.claimStoreAndComplete(
          request(List.of(point("a"), failing))).block(Duration.ofSeconds(10)))
          .isInstanceOf(StorageUnavailableException.class);
    } finally {
      try (var connection = postgres.database.openJdbc()) {
        connection.createStatement().execute("DROP TRIGGER one_step_fail ON locations");
      }
    }
    assertThat(keys.find(key).block()).isEqualTo(new KeyState.Absent());
    assertThat(rowsStored()).isZero();
  }

  @Test
  void aHolderStillInItsTransactionIsWaitedOnThenItsCommittedRecordIsReported() {
    Sinks.One<Void> release = Sinks.one();
    var holder = unitOfWork.atomically(() -> keys.claim(key, REQUEST, now.plusSeconds(60))
        .then(release.asMono())).toFuture();
    postgres.awaitUncommittedWrite();
    reactor.core.publisher.Mono.delay(Duration.ofMillis(300))
        .then(reactor.core.publisher.Mono.fromRunnable(release::tryEmitEmpty)).subscribe();

    AtomicKeyedUpload.Outcome seen =
        upload.claimStoreAndComplete(request(List.of(point("a")))).block(Duration.ofSeconds(10));

    holder.join();
    assertThat(seen).isInstanceOf(AtomicKeyedUpload.Taken.class);
    assertThat(((AtomicKeyedUpload.Taken) seen).state())
        .as("read after the holder committed, not from the snapshot before the wait")
        .isInstanceOf(KeyState.InFlight.class);
  }

  @Test
  void aHolderThatOutlastsTheLockTimeoutMakesTheStepFailAsLocked() throws SQLException {
    Sinks.One<Void> release = Sinks.one();
    var holder = unitOfWork.atomically(() -> keys.claim(key, REQUEST, now.plusSeconds(60))
        .then(release.asMono())).toFuture();
    postgres.awaitUncommittedWrite();
    try {
      assertThatThrownBy(() -> upload.claimStoreAndComplete(request(List.of(point("a"))))
          .block(Duration.ofSeconds(10))).isInstanceOf(KeyLockedException.class);
    } finally {
      release.tryEmitEmpty();
      holder.join();
    }
    assertThat(rowsStored()).isZero();
  }
}
