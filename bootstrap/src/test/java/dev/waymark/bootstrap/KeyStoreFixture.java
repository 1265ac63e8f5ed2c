package dev.waymark.bootstrap;

import dev.waymark.adapters.postgres.TestPostgres;
import dev.waymark.domain.idempotency.KeyHash;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Test access to the configured key store's records, so one end-to-end suite can run against
 * either store: whether a record exists, and bending one as time or a crash would.
 */
interface KeyStoreFixture {

  boolean exists(KeyHash key);

  /** {@code COMPLETED} or {@code IN_FLIGHT}, or empty when there is no record. */
  java.util.Optional<String> state(KeyHash key);

  /** The record stays but its retention is over, as if the cleanup had not run yet. */
  void expire(KeyHash key);

  /** A completed record turned back into an unfinished claim whose lease ends in {@code lease}. */
  void reopenAsInFlight(KeyHash key, Duration lease);

  static KeyStoreFixture of(ApplicationContext context, TestPostgres.Database database) {
    String store = context.getEnvironment().getProperty("waymark.idempotency.store", "postgres");
    return "redis".equals(store)
        ? new Redis(context.getBean(ReactiveRedisConnectionFactory.class))
        : new Postgres(database);
  }

  /** Rows of {@code idempotency_keys}, through JDBC. */
  record Postgres(TestPostgres.Database database) implements KeyStoreFixture {
    @Override
    public boolean exists(KeyHash key) {
      return update("SELECT 1 FROM idempotency_keys WHERE key_hash = ?", key, true) > 0;
    }

    @Override
    public java.util.Optional<String> state(KeyHash key) {
      try (Connection connection = database.openJdbc();
          var statement = connection.prepareStatement(
              "SELECT state FROM idempotency_keys WHERE key_hash = ?")) {
        statement.setBytes(1, key.bytes());
        var result = statement.executeQuery();
        return result.next() ? java.util.Optional.of(result.getString(1))
            : java.util.Optional.empty();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void expire(KeyHash key) {
      update("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"
          + " WHERE key_hash = ?", key, false);
    }

    @Override
    public void reopenAsInFlight(KeyHash key, Duration lease) {
      update("UPDATE idempotency_keys SET state = 'IN_FLIGHT', completed_at = NULL,"
          + " response_status = NULL, response_content_type = NULL, response_body = NULL,"
          + " expires_at = now() + make_interval(secs => " + lease.toMillis() / 1000.0 + ")"
          + " WHERE key_hash = ?", key, false);
    }

    private int update(String sql, KeyHash key, boolean query) {
      try (Connection connection = database.openJdbc();
          var statement = connection.prepareStatement(sql)) {
        statement.setBytes(1, key.bytes());
        if (query) {
          return statement.executeQuery().next() ? 1 : 0;
        }
        int updated = statement.executeUpdate();
        if (updated != 1) {
          throw new AssertionError("no record to change for " + key);
        }
        return updated;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Records in Redis. The value starts {@code token:state:expiresAtMillis:...}: the fixture
   * rewrites the state and expiry fields and leaves the Redis TTL long enough to still find it.
   */
  final class Redis implements KeyStoreFixture {
    private final ReactiveRedisTemplate<String, byte[]> redis;

    Redis(ReactiveRedisConnectionFactory connections) {
      this.redis = new ReactiveRedisTemplate<>(connections, RedisSerializationContext
          .<String, byte[]>newSerializationContext(RedisSerializer.string())
          .value(RedisSerializer.byteArray()).build());
    }

    static String redisKey(KeyHash key) {
      return "waymark:idem:{" + HexFormat.of().formatHex(key.bytes()) + "}";
    }

    @Override
    public boolean exists(KeyHash key) {
      return Boolean.TRUE.equals(redis.hasKey(redisKey(key)).block());
    }

    @Override
    public java.util.Optional<String> state(KeyHash key) {
      byte[] value = redis.opsForValue().get(redisKey(key)).block();
      if (value == null) {
        return java.util.Optional.empty();
      }
      char state = new String(value, StandardCharsets.ISO_8859_1).split(":", 3)[1].charAt(0);
      return java.util.Optional.of(state == 'C' ? "COMPLETED" : "IN_FLIGHT");
    }

    @Override
    public void expire(KeyHash key) {
      rewrite(key, null, Instant.now().minusSeconds(1));
    }

    @Override
    public void reopenAsInFlight(KeyHash key, Duration lease) {
      rewrite(key, 'F', Instant.now().plus(lease));
    }

    private void rewrite(KeyHash key, Character state, Instant expiresAt) {
      byte[] value = redis.opsForValue().get(redisKey(key)).block();
      if (value == null) {
        throw new AssertionError("no record to change for " + key);
      }
      String text = new String(value, StandardCharsets.ISO_8859_1);
      String[] head = text.split(":", 4);
      String rewritten = head[0] + ":" + (state == null ? head[1] : state.toString()) + ":"
          + expiresAt.toEpochMilli() + ":" + head[3];
      redis.opsForValue().set(redisKey(key), rewritten.getBytes(StandardCharsets.ISO_8859_1),
          Duration.ofMinutes(10)).block();
    }
  }
}
