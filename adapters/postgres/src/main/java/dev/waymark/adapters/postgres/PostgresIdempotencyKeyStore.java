package dev.waymark.adapters.postgres;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.port.ClaimLostException;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The key store on PostgreSQL. Claims are {@code INSERT ... ON CONFLICT DO NOTHING} on the key
 * hash; takeover, completion and release are compare-and-set on the fencing token.
 *
 * <p>Inside a {@link PostgresUnitOfWork} a claim stays uncommitted until the upload commits, so a
 * concurrent duplicate's claim waits on the primary key and then sees the committed record; the
 * wait is bounded by the session's {@code lock_timeout}, after which the claim fails with
 * {@link dev.waymark.domain.port.KeyLockedException} (the transaction is then void anyway).
 */
@Component
@ConditionalOnProperty(name = "waymark.idempotency.store", havingValue = "postgres",
    matchIfMissing = true)
class PostgresIdempotencyKeyStore implements IdempotencyKeyStore {

  private static final String CLAIM = """
      INSERT INTO idempotency_keys (key_hash, fingerprint, state, created_at, expires_at)
      VALUES ($1, $2, 'IN_FLIGHT', now(), $3)
      ON CONFLICT (key_hash) DO NOTHING
      RETURNING fencing_token""";

  private static final String TAKE_OVER = """
      UPDATE idempotency_keys
         SET fingerprint = $3, fencing_token = nextval('idempotency_fencing_token_seq'),
             state = 'IN_FLIGHT', created_at = now(), expires_at = $4, completed_at = NULL,
             response_status = NULL, response_content_type = NULL, response_body = NULL
       WHERE key_hash = $1 AND fencing_token = $2
      RETURNING fencing_token""";

  private static final String COMPLETE = """
      UPDATE idempotency_keys
         SET state = 'COMPLETED', completed_at = $3, expires_at = $4, response_status = $5,
             response_content_type = $6, response_body = $7
       WHERE key_hash = $1 AND fencing_token = $2 AND state = 'IN_FLIGHT'""";

  private static final String RELEASE = """
      DELETE FROM idempotency_keys
       WHERE key_hash = $1 AND fencing_token = $2 AND state = 'IN_FLIGHT'""";

  private static final String FIND = """
      SELECT fingerprint, fencing_token, state, expires_at, response_status,
             response_content_type, response_body
        FROM idempotency_keys
       WHERE key_hash = $1""";

  // SKIP LOCKED: a record an upload is taking over right now is left to it, never waited on.
  private static final String DELETE_EXPIRED = """
      DELETE FROM idempotency_keys
       WHERE key_hash IN (SELECT key_hash FROM idempotency_keys
                           WHERE state = 'COMPLETED' AND expires_at <= $1
                           ORDER BY expires_at
                           LIMIT $2
                             FOR UPDATE SKIP LOCKED)""";

  private final DatabaseClient database;

  PostgresIdempotencyKeyStore(ConnectionFactory connectionFactory) {
    this.database = DatabaseClient.create(connectionFactory);
  }

  @Override
  public Mono<ClaimResult> claim(KeyHash key, RequestFingerprint fingerprint, Instant leaseEnd) {
    return claimedOrTaken(key, database.sql(CLAIM)
        .bind(0, key.bytes())
        .bind(1, fingerprint.bytes())
        .bind(2, utc(leaseEnd)));
  }

  @Override
  public Mono<ClaimResult> takeOver(
      KeyHash key, FencingToken expected, RequestFingerprint fingerprint, Instant leaseEnd) {
    return claimedOrTaken(key, database.sql(TAKE_OVER)
        .bind(0, key.bytes())
        .bind(1, expected.value())
        .bind(2, fingerprint.bytes())
        .bind(3, utc(leaseEnd)));
  }

  /**
   * A claiming statement returns the new fencing token, or no row when the key is held: then
   * the record that holds it (read in a new statement, so it sees what committed meanwhile).
   */
  private Mono<ClaimResult> claimedOrTaken(KeyHash key, DatabaseClient.GenericExecuteSpec claim) {
    return claim
        .map(row -> (ClaimResult) new ClaimResult.Claimed(
            new FencingToken(row.get(0, Long.class))))
        .one()
        .switchIfEmpty(Mono.defer(() -> find(key).map(ClaimResult.Taken::new)))
        .onErrorMap(StorageErrors::translate);
  }

  @Override
  public Mono<Void> complete(KeyHash key, FencingToken token, StoredResponse response,
      Instant completedAt, Instant expiresAt) {
    return database.sql(COMPLETE)
        .bind(0, key.bytes())
        .bind(1, token.value())
        .bind(2, utc(completedAt))
        .bind(3, utc(expiresAt))
        .bind(4, (short) response.status())
        .bind(5, response.contentType())
        .bind(6, response.body())
        .fetch()
        .rowsUpdated()
        .onErrorMap(StorageErrors::translate)
        .flatMap(updated -> updated == 1
            ? Mono.<Void>empty()
            : Mono.error(new ClaimLostException(
                "the claim on " + key + " was taken over or released before completion")));
  }

  @Override
  public Mono<Void> release(KeyHash key, FencingToken token) {
    return database.sql(RELEASE)
        .bind(0, key.bytes())
        .bind(1, token.value())
        .fetch()
        .rowsUpdated()
        .onErrorMap(StorageErrors::translate)
        .then();
  }

  @Override
  public Mono<KeyState> find(KeyHash key) {
    return database.sql(FIND)
        .bind(0, key.bytes())
        .map(PostgresIdempotencyKeyStore::toState)
        .one()
        .defaultIfEmpty(new KeyState.Absent())
        .onErrorMap(StorageErrors::translate);
  }

  @Override
  public Mono<Integer> deleteExpired(Instant cutoff, int limit) {
    return database.sql(DELETE_EXPIRED)
        .bind(0, utc(cutoff))
        .bind(1, limit)
        .fetch()
        .rowsUpdated()
        .map(Long::intValue)
        .onErrorMap(StorageErrors::translate);
  }

  /** A record's row (the FIND columns) as the state the policy judges. */
  static KeyState toState(Readable row) {
    RequestFingerprint fingerprint = RequestFingerprint.fromBytes(bytes(row, "fingerprint"));
    FencingToken token = new FencingToken(row.get("fencing_token", Long.class));
    Instant expiresAt = row.get("expires_at", OffsetDateTime.class).toInstant();
    if ("IN_FLIGHT".equals(row.get("state", String.class))) {
      return new KeyState.InFlight(fingerprint, token, expiresAt);
    }
    StoredResponse response = new StoredResponse(
        row.get("response_status", Short.class),
        row.get("response_content_type", String.class),
        bytes(row, "response_body"));
    return new KeyState.Completed(fingerprint, token, response, expiresAt);
  }

  static byte[] bytes(Readable row, String column) {
    ByteBuffer buffer = row.get(column, ByteBuffer.class);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
