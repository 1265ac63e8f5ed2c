package dev.waymark.bootstrap;

import org.junit.jupiter.api.Nested;
import org.springframework.test.context.TestPropertySource;

/**
 * The upload API's end-to-end suites again, with {@code waymark.idempotency.store=redis}: keys
 * in a real Redis, locations in PostgreSQL.
 */
class RedisStoreEndToEndTest {

  static final String REDIS_STORE = "waymark.idempotency.store=redis";

  @Nested
  @TestPropertySource(properties = REDIS_STORE)
  class Idempotency extends IdempotencyEndToEndTest {}

  @Nested
  @TestPropertySource(properties = REDIS_STORE)
  class Batches extends BatchUploadEndToEndTest {}

  @Nested
  @TestPropertySource(properties = REDIS_STORE)
  class SingleUploads extends SingleUploadEndToEndTest {}

  @Nested
  @TestPropertySource(properties = REDIS_STORE)
  class Concurrency extends ConcurrencyEndToEndTest {}

  @Nested
  @TestPropertySource(properties = REDIS_STORE)
  class StorageFailures extends StorageFailureEndToEndTest {}

  @Nested
  @TestPropertySource(properties = REDIS_STORE)
  class Security extends SecurityEndToEndTest {}
}
