package dev.waymark.domain.port;

import dev.waymark.domain.Principal;
import dev.waymark.domain.location.Location;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Out-port: stores locations, deduplicated per principal by their point id.
 *
 * <p>All locations of one call are stored together or not at all. A location whose point id is
 * already stored for the principal, or repeats an earlier one of the same call, is not stored
 * and counts as a duplicate; locations without a point id are always stored. Implementations
 * must pass {@code LocationRepositoryContract} from {@code adapters/testkit}.
 */
public interface LocationRepository {

  /**
   * Stores the locations in one atomic step.
   *
   * @param guard for a keyed upload, its key (kept on every row) and since when rows under that
   *     key count: if any exist, an earlier attempt of this request already stored them, so
   *     nothing is stored and the result reports those rows as stored and the other locations as
   *     duplicates, the answer that attempt computed. Empty for unkeyed uploads.
   */
  Mono<StoreResult> store(Principal principal, List<Location> locations, Optional<KeyGuard> guard);
}
