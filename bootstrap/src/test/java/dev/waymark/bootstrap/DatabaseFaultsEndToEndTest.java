package dev.waymark.bootstrap;

import org.junit.jupiter.api.Nested;

/** {@link DatabaseFaults} with each key store. */
class DatabaseFaultsEndToEndTest {

  @Nested
  class WithPostgresKeys extends DatabaseFaults {
    @Override
    String store() {
      return "postgres";
    }
  }

  @Nested
  class WithRedisKeys extends DatabaseFaults {
    @Override
    String store() {
      return "redis";
    }
  }
}
