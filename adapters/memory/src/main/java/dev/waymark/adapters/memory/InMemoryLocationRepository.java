package dev.waymark.adapters.memory;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.KeyGuard;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StoreResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Reference location repository held in memory: the simplest implementation that passes the
 * kit. Calls are serialised, so each is atomic.
 */
public class InMemoryLocationRepository implements LocationRepository {

  private final Map<Principal, List<Location>> rows = new java.util.HashMap<>();
  private final Map<Principal, Set<String>> pointIds = new java.util.HashMap<>();
  private final Map<KeyHash, List<java.time.Instant>> rowsByKey = new java.util.HashMap<>();
  private final java.time.Clock clock;

  public InMemoryLocationRepository() {
    this(java.time.Clock.systemUTC());
  }

  /** @param clock what "received at" means for the rows under a key guard */
  public InMemoryLocationRepository(java.time.Clock clock) {
    this.clock = clock;
  }

  @Override
  public Mono<StoreResult> store(
      Principal principal, List<Location> locations, Optional<KeyGuard> guard) {
    return Mono.fromSupplier(() -> {
      synchronized (this) {
        if (guard.isPresent()) {
          long prior = rowsByKey.getOrDefault(guard.get().key(), List.of()).stream()
              .filter(receivedAt -> receivedAt.isAfter(guard.get().since()))
              .count();
          if (prior > 0) {
            return new StoreResult((int) prior, locations.size() - (int) prior);
          }
        }
        Set<String> seen = pointIds.computeIfAbsent(principal, p -> new HashSet<>());
        int stored = 0;
        for (Location location : locations) {
          if (location.pointId() == null || seen.add(location.pointId())) {
            rows.computeIfAbsent(principal, p -> new ArrayList<>()).add(location);
            guard.ifPresent(g -> rowsByKey.computeIfAbsent(g.key(), k -> new ArrayList<>())
                .add(clock.instant()));
            stored++;
          }
        }
        return new StoreResult(stored, locations.size() - stored);
      }
    });
  }

  /** Every location stored for the principal. */
  public synchronized List<Location> storedFor(Principal principal) {
    return List.copyOf(rows.getOrDefault(principal, List.of()));
  }
}
