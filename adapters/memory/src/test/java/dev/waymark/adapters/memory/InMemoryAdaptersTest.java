package dev.waymark.adapters.memory;

import dev.waymark.domain.Principal;
import dev.waymark.domain.location.Location;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.adapters.testkit.IdempotencyKeyStoreContract;
import dev.waymark.domain.port.LocationRepository;
import dev.waymark.adapters.testkit.LocationRepositoryContract;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The in-memory reference adapters pass the same contracts as the real ones. */
class InMemoryAdaptersTest {

  @Nested
  class KeyStore extends IdempotencyKeyStoreContract {
    private final InMemoryIdempotencyKeyStore store = new InMemoryIdempotencyKeyStore();

    @Override
    protected IdempotencyKeyStore store() {
      return store;
    }
  }

  @Nested
  class Locations extends LocationRepositoryContract {
    private final InMemoryLocationRepository repository = new InMemoryLocationRepository();

    @Override
    protected LocationRepository repository() {
      return repository;
    }

    @Override
    protected List<Location> storedFor(Principal principal) {
      return repository.storedFor(principal);
    }
  }
}
