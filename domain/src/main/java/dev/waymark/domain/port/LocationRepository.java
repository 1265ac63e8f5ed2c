package dev.waymark.domain.port;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.KeyHash;
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
   * @param keyHash the idempotency key the locations arrived under, kept on every row as a
   *     second guard and for tracing; empty for unkeyed uploads
   */
  Mono<StoreResult> store(Principal principal, List<Location> locations, Optional<KeyHash> keyHash);
}
