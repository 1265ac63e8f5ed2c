package dev.waymark.adapters.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.Principal;
import dev.waymark.domain.port.ClaimLostException;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.KeyGuard;
import dev.waymark.domain.port.StoreResult;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.location.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LocationRepository} adapter must show. An adapter's test extends
 * this class, supplies the repository, and reads back what it stored for a principal.
 */
public abstract class LocationRepositoryContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The adapter under test, connected to its real backing store. */
  protected abstract LocationRepository repository();

  /** Every location stored for the principal, in any order (read by the adapter's own means). */
  protected abstract List<Location> storedFor(Principal principal);

  protected static Principal newPrincipal() {
    return new Principal("device-" + UUID.randomUUID());
  }

  protected static Location point(String pointId) {
    return new Location(pointId, 48.8584, 2.2945, 12.5, Instant.parse("2026-12-04T10:15:30Z"),
        35.2, 1.4, 270.0, "gps", 81);
  }

  private StoreResult store(Principal principal, List<Location> locations) {
    return repository().store(principal, locations, Optional.empty()).block(TIMEOUT);
  }

  @Test
  void storesEveryFieldAsGiven() {
    Principal principal = newPrincipal();
    Location full = point("p-1");
    Location sparse = new Location(null, -90, 180, 0, Instant.parse("2000-01-01T00:00:00Z"),
        null, null, null, null, null);
    assertThat(store(principal, List.of(full, sparse))).isEqualTo(new StoreResult(2, 0));
    assertThat(storedFor(principal)).containsExactlyInAnyOrder(full, sparse);
  }

  @Test
  void keepsSubMillisecondTimestampsToTheMicrosecond() {
    Principal principal = newPrincipal();
    Location precise = new Location("t", 1, 1, 1, Instant.parse("2026-12-04T10:15:30.123456Z"),
        null, null, null, null, null);
    store(principal, List.of(precise));
    assertThat(storedFor(principal)).containsExactly(precise);
  }

  @Test
  void aPointIdAlreadyStoredForThePrincipalIsADuplicate() {
    Principal principal = newPrincipal();
    store(principal, List.of(point("p-1")));
    assertThat(store(principal, List.of(point("p-1"), point("p-2"))))
        .isEqualTo(new StoreResult(1, 1));
    assertThat(storedFor(principal)).extracting(Location::pointId)
        .containsExactlyInAnyOrder("p-1", "p-2");
  }

  @Test
  void aPointIdRepeatedInOneCallIsStoredOnce() {
    Principal principal = newPrincipal();
    assertThat(store(principal, List.of(point("p-1"), point("p-1"), point("p-1"))))
        .isEqualTo(new StoreResult(1, 2));
    assertThat(storedFor(principal)).hasSize(1);
  }

  @Test
  void pointIdsAreScopedPerPrincipal() {
    Principal first = newPrincipal();
    Principal second = newPrincipal();
    store(first, List.of(point("shared")));
    assertThat(store(second, List.of(point("shared")))).isEqualTo(new StoreResult(1, 0));
  }

  @Test
  void locationsWithoutPointIdAreNeverDeduplicated() {
    Principal principal = newPrincipal();
    store(principal, List.of(point(null), point(null)));
    assertThat(store(principal, List.of(point(null)))).isEqualTo(new StoreResult(1, 0));
    assertThat(storedFor(principal)).hasSize(3);
  }

  @Test
  void anEmptyCallStoresNothing() {
    Principal principal = newPrincipal();
    assertThat(store(principal, List.of())).isEqualTo(new StoreResult(0, 0));
    assertThat(storedFor(principal)).isEmpty();
  }

  @Test
  void aThousandLocationsAreStoredInOneCall() {
    Principal principal = newPrincipal();
    List<Location> batch = new ArrayList<>();
    IntStream.range(0, 1000).forEach(i -> batch.add(point(i % 2 == 0 ? "id-" + i : null)));
    assertThat(store(principal, batch)).isEqualTo(new StoreResult(1000, 0));
    assertThat(storedFor(principal)).hasSize(1000);
  }

  @Test
  void aRetryUnderTheSameKeyStoresNothingAndReportsWhatTheFirstAttemptStored() {
    Principal principal = newPrincipal();
    store(principal, List.of(point("known")));
    KeyGuard guard = new KeyGuard(KeyHash.of(principal, new IdempotencyKey("k")),
        Instant.now().minusSeconds(3600));
    List<Location> upload = List.of(point(null), point(null), point("known"), point("new"));
    assertThat(repository().store(principal, upload, Optional.of(guard)).block(TIMEOUT))
        .isEqualTo(new StoreResult(3, 1));
    assertThat(repository().store(principal, upload, Optional.of(guard)).block(TIMEOUT))
        .as("the second attempt finds the first one's rows").isEqualTo(new StoreResult(3, 1));
    assertThat(storedFor(principal)).hasSize(4);
  }

  @Test
  void rowsOfAnEarlierLifeOfTheKeyDoNotCount() {
    Principal principal = newPrincipal();
    KeyHash key = KeyHash.of(principal, new IdempotencyKey("reused"));
    repository().store(principal, List.of(point(null)),
        Optional.of(new KeyGuard(key, Instant.now().minusSeconds(3600)))).block(TIMEOUT);
    KeyGuard laterLife = new KeyGuard(key, Instant.now().plusSeconds(1));
    assertThat(repository().store(principal, List.of(point(null)), Optional.of(laterLife))
        .block(TIMEOUT)).isEqualTo(new StoreResult(1, 0));
    assertThat(storedFor(principal)).hasSize(2);
  }
}
