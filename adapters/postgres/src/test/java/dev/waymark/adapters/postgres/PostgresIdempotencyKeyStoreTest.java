package dev.waymark.adapters.postgres;

import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.adapters.testkit.IdempotencyKeyStoreContract;
import java.time.Duration;

/** The PostgreSQL key store passes the key-store contract on a real server. */
class PostgresIdempotencyKeyStoreTest extends IdempotencyKeyStoreContract {

  private static final PostgresFixture postgres = PostgresFixture.migrated(Duration.ofSeconds(5));
  private final PostgresIdempotencyKeyStore store =
      new PostgresIdempotencyKeyStore(postgres.connectionFactory);

  @Override
  protected IdempotencyKeyStore store() {
    return store;
  }
}
