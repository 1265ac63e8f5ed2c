package dev.waymark.adapters.redis;

import dev.waymark.domain.port.IdempotencyKeyStore;
import io.lettuce.core.ClientOptions;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/** Wires the Redis key store when {@code waymark.idempotency.store=redis}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "waymark.idempotency.store", havingValue = "redis")
class RedisAdapterConfiguration {

  @Bean
  IdempotencyKeyStore redisIdempotencyKeyStore(ReactiveRedisConnectionFactory connections,
      Clock clock) {
    RedisSerializationContext<String, byte[]> serialization = RedisSerializationContext
        .<String, byte[]>newSerializationContext(RedisSerializer.string())
        .value(RedisSerializer.byteArray())
        .build();
    return new RedisIdempotencyKeyStore(new ReactiveRedisTemplate<>(connections, serialization),
        clock);
  }

  /**
   * Opens the shared Redis connection at start, on the main thread: opened lazily, the first
   * keyed upload would connect on an event loop (a blocking call BlockHound caught). If Redis is
   * down at start, the service starts anyway and keyed uploads are refused until it returns.
   */
  @Bean
  ApplicationListener<ApplicationStartedEvent> redisConnectionWarmUp(
      ReactiveRedisConnectionFactory connections) {
    return event -> {
      try {
        connections.getReactiveConnection().close();
      } catch (RuntimeException unavailable) {
        LoggerFactory.getLogger(RedisAdapterConfiguration.class)
            .warn("Redis is not reachable at start; keyed uploads wait for it: {}",
                unavailable.getMessage());
      }
    };
  }

  /**
   * While Redis is unreachable, commands fail at once instead of queueing until the command
   * timeout: a keyed upload is refused (503) right away rather than held.
   */
  @Bean
  LettuceClientConfigurationBuilderCustomizer failFastWhileDisconnected() {
    return builder -> builder.clientOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
  }
}
