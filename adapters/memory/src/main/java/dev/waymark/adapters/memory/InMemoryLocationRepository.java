package dev.waymark.adapters.memory;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.domain.port.StoreResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/** Reference location repository held in memory; calls are serialised, so each is atomic. */
public class InMemoryLocationRepository implements LocationRepository {

  private final Map<Principal, List<Location>> rows = new java.util.HashMap<>();
  private final Map<Principal, Set<String>> pointIds = new java.util.HashMap<>();

  @Override
  public synchronized Mono<StoreResult> store(
      Principal principal, List<Location> locations, Optional<KeyHash> keyHash) {
    return Mono.fromSupplier(() -> {
      synchronized (this) {
        Set<String> seen = pointIds.computeIfAbsent(principal, p -> new HashSet<>());
        int stored = 0;
        for (Location location : locations) {
          if (location.pointId() == null || seen.add(location.pointId())) {
            rows.computeIfAbsent(principal, p -> new ArrayList<>()).add(location);
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
