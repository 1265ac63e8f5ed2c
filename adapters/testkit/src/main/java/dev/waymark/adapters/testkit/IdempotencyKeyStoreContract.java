package dev.waymark.adapters.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.domain.Principal;
import dev.waymark.domain.port.ClaimLostException;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StoreResult;
import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The behaviour every {@link IdempotencyKeyStore} adapter must show. An adapter's test extends
 * this class and supplies the store; nothing here knows the technology behind it.
 */
public abstract class IdempotencyKeyStoreContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  // Stores may keep microseconds only (PostgreSQL): compare instants at that precision.
  protected static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  protected static final Instant LEASE_END = NOW.plusSeconds(600);
  protected static final RequestFingerprint REQUEST = RequestFingerprint.of("POST /t", "{}");
  protected static final RequestFingerprint OTHER_REQUEST = RequestFingerprint.of("POST /t", "[]");
  protected static final StoredResponse RESPONSE =
      new StoredResponse(200, "application/json", "{\"processedCount\":1}".getBytes());

  /** The adapter under test, connected to its real backing store. */
  protected abstract IdempotencyKeyStore store();

  /**
   * Whether the store drops records at their expiry by itself (a TTL, as Redis does) instead of
   * leaving them to {@link IdempotencyKeyStore#deleteExpired}.
   */
  protected boolean expiresRecordsByItself() {
    return false;
  }

  protected static KeyHash newKey() {
    return KeyHash.of(new Principal("contract-" + UUID.randomUUID()), new IdempotencyKey("k"));
  }

  private <T> T await(Mono<T> mono) {
    return mono.block(TIMEOUT);
  }

  private FencingToken claimFresh(KeyHash key) {
    ClaimResult result = await(store().claim(key, REQUEST, LEASE_END));
    assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
    return ((ClaimResult.Claimed) result).token();
  }

  @Test
  void anUnknownKeyIsAbsent() {
    assertThat(await(store().find(newKey()))).isEqualTo(new KeyState.Absent());
  }

  @Test
  void theFirstClaimWinsAndTheRecordIsInFlight() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    assertThat(await(store().find(key)))
        .isEqualTo(new KeyState.InFlight(REQUEST, token, LEASE_END));
  }

  @Test
  void aSecondClaimSeesTheInFlightRecordWhateverItsPayload() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    assertThat(await(store().claim(key, OTHER_REQUEST, LEASE_END.plusSeconds(1))))
        .isEqualTo(new ClaimResult.Taken(new KeyState.InFlight(REQUEST, token, LEASE_END)));
  }

  @Test
  void aCompletedRecordKeepsTheResponseByteForByte() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    Instant expiresAt = NOW.plus(Duration.ofHours(24));
    await(store().complete(key, token, RESPONSE, NOW, expiresAt));
    KeyState expected = new KeyState.Completed(REQUEST, token, RESPONSE, expiresAt);
    assertThat(await(store().find(key))).isEqualTo(expected);
    assertThat(await(store().claim(key, REQUEST, LEASE_END)))
        .isEqualTo(new ClaimResult.Taken(expected));
  }

  @Test
  void largeResponsesAreKeptWhole() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    byte[] body = new byte[768 * 1024];
    new java.util.Random(42).nextBytes(body);
    StoredResponse large = new StoredResponse(200, "application/json", body);
    await(store().complete(key, token, large, NOW, NOW.plusSeconds(60)));
    KeyState stored = await(store().find(key));
    assertThat(((KeyState.Completed) stored).response()).isEqualTo(large);
  }

  @Test
  void completingWithAStaleTokenFailsAndChangesNothing() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    FencingToken stale = new FencingToken(token.value() + 1_000_000);
    assertThatThrownBy(() -> await(store().complete(key, stale, RESPONSE, NOW, LEASE_END)))
        .isInstanceOf(ClaimLostException.class);
    assertThat(await(store().find(key))).isInstanceOf(KeyState.InFlight.class);
  }

  @Test
  void completingTwiceFails() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    await(store().complete(key, token, RESPONSE, NOW, NOW.plusSeconds(60)));
    assertThatThrownBy(() -> await(store().complete(key, token, RESPONSE, NOW, NOW)))
        .isInstanceOf(ClaimLostException.class);
  }

  @Test
  void releasingAClaimMakesTheKeyAbsentAgain() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    await(store().release(key, token));
    assertThat(await(store().find(key))).isEqualTo(new KeyState.Absent());
    claimFresh(key);
  }

  @Test
  void releasingWithAStaleTokenOrACompletedRecordDoesNothing() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    await(store().release(key, new FencingToken(token.value() + 1_000_000)));
    assertThat(await(store().find(key))).isInstanceOf(KeyState.InFlight.class);
    await(store().complete(key, token, RESPONSE, NOW, NOW.plusSeconds(60)));
    await(store().release(key, token));
    assertThat(await(store().find(key))).isInstanceOf(KeyState.Completed.class);
  }

  @Test
  void takingOverWithTheCurrentTokenFencesTheOldClaim() {
    KeyHash key = newKey();
    FencingToken old = claimFresh(key);
    ClaimResult result = await(store().takeOver(key, old, OTHER_REQUEST, LEASE_END));
    assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
    FencingToken newer = ((ClaimResult.Claimed) result).token();
    assertThat(newer).isNotEqualTo(old);
    assertThat(await(store().find(key)))
        .isEqualTo(new KeyState.InFlight(OTHER_REQUEST, newer, LEASE_END));
    assertThatThrownBy(() -> await(store().complete(key, old, RESPONSE, NOW, LEASE_END)))
        .isInstanceOf(ClaimLostException.class);
    await(store().complete(key, newer, RESPONSE, NOW, LEASE_END));
  }

  @Test
  void takingOverACompletedRecordClearsItsResponse() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    await(store().complete(key, token, RESPONSE, NOW, NOW.plusSeconds(60)));
    ClaimResult result = await(store().takeOver(key, token, REQUEST, LEASE_END));
    FencingToken newer = ((ClaimResult.Claimed) result).token();
    assertThat(await(store().find(key)))
        .isEqualTo(new KeyState.InFlight(REQUEST, newer, LEASE_END));
  }

  @Test
  void takingOverWithAStaleTokenReportsWhatIsStored() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    FencingToken stale = new FencingToken(token.value() + 1_000_000);
    assertThat(await(store().takeOver(key, stale, OTHER_REQUEST, LEASE_END)))
        .isEqualTo(new ClaimResult.Taken(new KeyState.InFlight(REQUEST, token, LEASE_END)));
  }

  @Test
  void takingOverAnAbsentKeyReportsAbsent() {
    assertThat(await(store().takeOver(newKey(), new FencingToken(1), REQUEST, LEASE_END)))
        .isEqualTo(new ClaimResult.Taken(new KeyState.Absent()));
  }

  @Test
  void keysAreIndependent() {
    KeyHash first = newKey();
    KeyHash second = newKey();
    claimFresh(first);
    claimFresh(second);
  }

  @Test
  void ofManyParallelClaimsOfOneKeyExactlyOneWins() throws InterruptedException {
    KeyHash key = newKey();
    int contenders = 24;
    CountDownLatch start = new CountDownLatch(1);
    List<ClaimResult> results =
        Flux.fromStream(IntStream.range(0, contenders).boxed())
            .flatMap(
                i -> Mono.fromRunnable(() -> awaitLatch(start))
                    .subscribeOn(Schedulers.boundedElastic())
                    .then(store().claim(key, REQUEST, LEASE_END)),
                contenders)
            .collectList()
            .doOnSubscribe(s -> Schedulers.parallel().schedule(start::countDown, 100,
                java.util.concurrent.TimeUnit.MILLISECONDS))
            .block(TIMEOUT);
    assertThat(results).hasSize(contenders);
    assertThat(results).filteredOn(ClaimResult.Claimed.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ClaimResult.Taken.class::isInstance).hasSize(contenders - 1);
  }

  @Test
  void ofManyParallelTakeOversExactlyOneWins() {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    int contenders = 12;
    List<ClaimResult> results =
        Flux.range(0, contenders)
            .flatMap(i -> store().takeOver(key, token, REQUEST, LEASE_END)
                .subscribeOn(Schedulers.boundedElastic()), contenders)
            .collectList()
            .block(TIMEOUT);
    assertThat(results).filteredOn(ClaimResult.Claimed.class::isInstance).hasSize(1);
  }

  /**
   * Expired records go away: by the store's own TTL where it has one (and then
   * {@code deleteExpired} has nothing to do), otherwise by {@code deleteExpired}, oldest first.
   */
  @Test
  void expiredRecordsAreRemovedOldestFirstAndNothingElseIs() throws InterruptedException {
    if (expiresRecordsByItself()) {
      expireByTtl();
    } else {
      deleteExpiredOldestFirst();
    }
  }

  private void expireByTtl() throws InterruptedException {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    await(store().complete(key, token, RESPONSE, Instant.now(),
        Instant.now().plusMillis(200)));
    assertThat(await(store().find(key))).isInstanceOf(KeyState.Completed.class);
    // The store's own clock decides here (a TTL), so the test has to let real time pass.
    Thread.sleep(400);
    assertThat(await(store().find(key))).isEqualTo(new KeyState.Absent());
    assertThat(await(store().deleteExpired(Instant.now(), 1000))).isZero();
  }

  private void deleteExpiredOldestFirst() {
    // Instants far in the past, so records other tests leave behind are never older.
    Instant base = Instant.parse("2001-01-01T00:00:00Z");
    KeyHash oldest = completedKey(base.plusSeconds(1));
    KeyHash older = completedKey(base.plusSeconds(2));
    KeyHash cutoffItself = completedKey(base.plusSeconds(3));
    KeyHash insideRetention = completedKey(base.plusSeconds(4));
    KeyHash inFlight = newKey();
    await(store().claim(inFlight, REQUEST, base.plusSeconds(1)));

    assertThat(await(store().deleteExpired(base.plusSeconds(3), 2))).isEqualTo(2);
    assertThat(await(store().find(oldest))).isEqualTo(new KeyState.Absent());
    assertThat(await(store().find(older))).isEqualTo(new KeyState.Absent());
    assertThat(await(store().find(cutoffItself))).isInstanceOf(KeyState.Completed.class);

    assertThat(await(store().deleteExpired(base.plusSeconds(3), 2))).isEqualTo(1);
    assertThat(await(store().find(cutoffItself))).isEqualTo(new KeyState.Absent());
    assertThat(await(store().deleteExpired(base.plusSeconds(3), 2))).isZero();
    assertThat(await(store().find(insideRetention))).isInstanceOf(KeyState.Completed.class);
    assertThat(await(store().find(inFlight))).isInstanceOf(KeyState.InFlight.class);
    await(store().release(inFlight, ((KeyState.InFlight) await(store().find(inFlight))).token()));
    await(store().deleteExpired(base.plusSeconds(4), 10));
  }

  private KeyHash completedKey(Instant expiresAt) {
    KeyHash key = newKey();
    FencingToken token = claimFresh(key);
    await(store().complete(key, token, RESPONSE, expiresAt.minusSeconds(1), expiresAt));
    return key;
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
