package dev.waymark.adapters.postgres;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.ResponseTemplate;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.port.AtomicKeyedUpload;
import dev.waymark.domain.port.StoreResult;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A fresh keyed upload in one statement: the {@code waymark_keyed_upload} function (V4) runs
 * the key store's claim, the repository's guarded insert and the completion in the statement's
 * own transaction, or reports the record holding the key, in the same round trip. Only with the
 * PostgreSQL key store, whose records live beside the locations.
 */
@Component
@ConditionalOnProperty(name = "waymark.idempotency.store", havingValue = "postgres",
    matchIfMissing = true)
class PostgresAtomicKeyedUpload implements AtomicKeyedUpload {

  // Named as the key store's columns, so a held key's record is read the same way.
  private static final String UPLOAD = """
      SELECT out_claimed AS claimed, out_stored AS stored, out_fingerprint AS fingerprint,
             out_token AS fencing_token, out_state AS state, out_expires_at AS expires_at,
             out_status AS response_status, out_content_type AS response_content_type,
             out_body AS response_body
        FROM waymark_keyed_upload($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                  $15, $16, $17, $18, $19, $20, $21, $22)""";

  private final DatabaseClient database;

  PostgresAtomicKeyedUpload(ConnectionFactory connectionFactory) {
    this.database = DatabaseClient.create(connectionFactory);
  }

  @Override
  public Mono<Outcome> claimStoreAndComplete(Request request) {
    int size = request.locations().size();
    ResponseTemplate response = request.response();
    DatabaseClient.GenericExecuteSpec statement = database.sql(UPLOAD)
        .bind(0, request.key().bytes())
        .bind(1, request.fingerprint().bytes())
        .bind(2, utc(request.leaseEnd()))
        .bind(3, request.principal().subject());
    statement = new LocationColumns(request.locations()).bind(statement, 4)
        .bind(14, utc(request.guardSince()))
        .bind(15, utc(request.completedAt()))
        .bind(16, utc(request.expiresAt()))
        .bind(17, (short) response.status())
        .bind(18, response.contentType())
        .bind(19, response.head())
        .bind(20, response.middle())
        .bind(21, response.tail());
    return statement
        .map(row -> {
          if (!row.get("claimed", Boolean.class)) {
            return (Outcome) new Taken(PostgresIdempotencyKeyStore.toState(row));
          }
          int stored = row.get("stored", Integer.class);
          return new Completed(
              new FencingToken(row.get("fencing_token", Long.class)),
              new StoreResult(stored, size - stored),
              new StoredResponse(response.status(), response.contentType(),
                  PostgresIdempotencyKeyStore.bytes(row, "response_body")));
        })
        .one()
        // The holder went away between the claim's conflict and the read.
        .defaultIfEmpty(new Taken(new KeyState.Absent()))
        .onErrorMap(StorageErrors::translate);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
