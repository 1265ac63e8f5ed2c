package dev.waymark.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.KeyGuard;
import dev.waymark.domain.port.KeyLockedException;
import dev.waymark.domain.port.StorageUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What the PostgreSQL adapters promise together inside a {@link PostgresUnitOfWork}: a keyed
 * upload commits whole or not at all, and a concurrent claim of the same key waits for the
 * first one's outcome, for at most the lock timeout.
 */
class PostgresAtomicityTest {

  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
  private static final PostgresFixture postgres = PostgresFixture.migrated(LOCK_TIMEOUT);
  private static final RequestFingerprint REQUEST = RequestFingerprint.of("POST /t", "{}");
  private static final StoredResponse RESPONSE =
      new StoredResponse(200, "application/json", "{\"processedCount\":1}".getBytes());

  private final PostgresUnitOfWork unitOfWork = new PostgresUnitOfWork(postgres.connectionFactory);
  private final PostgresIdempotencyKeyStore keys =
      new PostgresIdempotencyKeyStore(postgres.connectionFactory);
  private final PostgresLocationRepository locations =
      new PostgresLocationRepository(postgres.connectionFactory);
  private final Principal principal = new Principal("atomic-" + UUID.randomUUID());
  private final KeyHash key = KeyHash.of(principal, new IdempotencyKey("k"));
  private final Instant leaseEnd = Instant.now().plusSeconds(60);

  private static Location point(String id) {
    return new Location(id, 1, 2, 3, Instant.parse("2026-12-04T10:00:00Z"), null, null, null,
        null, null);
  }

  private Mono<FencingToken> claimAndStore() {
    return keys.claim(key, REQUEST, leaseEnd)
        .map(result -> ((ClaimResult.Claimed) result).token())
        .flatMap(token -> locations.store(principal, List.of(point("a"), point("b")),
            Optional.of(new KeyGuard(key, Instant.now().minusSeconds(3600))))
            .thenReturn(token));
  }

  private long rowsStored() throws SQLException {
    try (var connection = postgres.database.openJdbc();
        var query = connection.prepareStatement(
            "SELECT count(*) FROM locations WHERE principal = ?")) {
      query.setString(1, principal.subject());
      var result = query.executeQuery();
      result.next();
      return result.getLong(1);
    }
  }

  @Test
  void aFailureAfterClaimAndInsertLeavesNeitherKeyNorRows() throws SQLException {
    Mono<Object> failing = unitOfWork.atomically(() -> claimAndStore()
        .then(Mono.error(new IllegalStateException("crash before completion"))));
    assertThatThrownBy(() -> failing.block(Duration.ofSeconds(10)))
        .hasMessageContaining("crash before completion");
    assertThat(keys.find(key).block()).isEqualTo(new KeyState.Absent());
    assertThat(rowsStored()).isZero();
  }

  @Test
  void claimInsertAndCompletionCommitTogether() throws SQLException {
    unitOfWork.atomically(() -> claimAndStore()
            .flatMap(token -> keys.complete(key, token, RESPONSE, Instant.now(), leaseEnd)))
        .block(Duration.ofSeconds(10));
    assertThat(keys.find(key).block()).isInstanceOf(KeyState.Completed.class);
    assertThat(rowsStored()).isEqualTo(2);
    try (var connection = postgres.database.openJdbc();
        var query = connection.prepareStatement(
            "SELECT count(*) FROM locations WHERE idempotency_key_hash = ?")) {
      query.setBytes(1, key.bytes());
      var result = query.executeQuery();
      result.next();
      assertThat(result.getLong(1)).as("rows carry the key hash").isEqualTo(2);
    }
  }

  @Test
  void aConcurrentClaimWaitsForTheFirstToCommitThenSeesItsResponse() {
    Sinks.One<Void> release = Sinks.one();
    Mono<Void> first = unitOfWork.atomically(() -> claimAndStore()
        .flatMap(token -> release.asMono()
            .then(keys.complete(key, token, RESPONSE, Instant.now(), leaseEnd))));
    var firstDone = first.toFuture();
    postgres.awaitUncommittedWrite();

    var second = keys.claim(key, REQUEST, leaseEnd).toFuture();
    Mono.delay(Duration.ofMillis(300)).then(Mono.fromRunnable(release::tryEmitEmpty)).subscribe();
    ClaimResult seen = second.join();
    firstDone.join();
    assertThat(seen).isInstanceOf(ClaimResult.Taken.class);
    assertThat(((ClaimResult.Taken) seen).state()).isInstanceOf(KeyState.Completed.class);
  }

  @Test
  void aConcurrentClaimThatWaitsLongerThanTheLockTimeoutFailsAsLocked() {
    Sinks.One<Void> release = Sinks.one();
    var firstDone = unitOfWork.atomically(() -> claimAndStore().then(release.asMono()))
        .toFuture();
    postgres.awaitUncommittedWrite();
    Mono<ClaimResult> second = unitOfWork.atomically(() -> keys.claim(key, REQUEST, leaseEnd));
    assertThatThrownBy(() -> second.block(Duration.ofSeconds(10)))
        .isInstanceOf(KeyLockedException.class);
    release.tryEmitEmpty();
    firstDone.join();
    assertThat(keys.find(key).block()).isInstanceOf(KeyState.InFlight.class);
  }

  @Test
  void anUnreachableDatabaseIsReportedAsUnavailable() {
    var nowhere = io.r2dbc.spi.ConnectionFactories.get(
        "r2dbc:postgresql://postgres@127.0.0.1:1/none?connectTimeout=PT2S");
    var store = new PostgresIdempotencyKeyStore(nowhere);
    assertThatThrownBy(() -> store.find(key).block(Duration.ofSeconds(10)))
        .isInstanceOf(StorageUnavailableException.class);
  }
}
