package dev.waymark.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.adapters.testkit.IdempotencyKeyStoreContract;
import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/** The Redis key store passes the key-store contract on a real Redis. */
class RedisIdempotencyKeyStoreTest extends IdempotencyKeyStoreContract {

  private static final LettuceConnectionFactory connections = connect(TestRedis.shared().port());
  private static final ReactiveRedisTemplate<String, byte[]> template = template(connections);
  private final RedisIdempotencyKeyStore store =
      new RedisIdempotencyKeyStore(template, Clock.systemUTC());

  static LettuceConnectionFactory connect(int port) {
    LettuceConnectionFactory factory = new LettuceConnectionFactory(
        TestRedis.shared().host(), port);
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  static ReactiveRedisTemplate<String, byte[]> template(LettuceConnectionFactory factory) {
    return new ReactiveRedisTemplate<>(factory, RedisSerializationContext
        .<String, byte[]>newSerializationContext(RedisSerializer.string())
        .value(RedisSerializer.byteArray()).build());
  }

  @AfterAll
  static void disconnect() {
    connections.destroy();
  }

  @Override
  protected IdempotencyKeyStore store() {
    return store;
  }

  @Override
  protected boolean expiresRecordsByItself() {
    return true;
  }

  @Test
  void recordsLiveInOneHashSlotKeyedByTheHashOnly() {
    KeyHash hash = KeyHash.of(new Principal("p"), new IdempotencyKey("visible-key"));
    String key = RedisIdempotencyKeyStore.redisKey(hash);
    assertThat(key).startsWith("waymark:idem:{").endsWith("}").doesNotContain("visible-key")
        .hasSize("waymark:idem:{}".length() + 64);
  }

  @Test
  void theRecordsTtlIsItsExpiry() {
    KeyHash key = newKey();
    store.claim(key, REQUEST, java.time.Instant.now().plusSeconds(90)).block();
    Duration ttl = template.getExpire(RedisIdempotencyKeyStore.redisKey(key)).block();
    assertThat(ttl).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(90));
  }

  @Test
  void anUnreachableRedisIsReportedAsUnavailable() throws Exception {
    LettuceConnectionFactory nowhere = connect(TestRedis.freePort());
    try {
      var unreachable = new RedisIdempotencyKeyStore(template(nowhere), Clock.systemUTC());
      assertThatThrownBy(() -> unreachable.find(newKey()).block(Duration.ofSeconds(30)))
          .isInstanceOf(StorageUnavailableException.class);
    } finally {
      nowhere.destroy();
    }
  }
}
