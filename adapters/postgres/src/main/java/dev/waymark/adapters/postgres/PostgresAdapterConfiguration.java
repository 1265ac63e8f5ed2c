package dev.waymark.adapters.postgres;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Session settings the PostgreSQL adapters rely on, applied to every pooled connection. */
@Configuration(proxyBeanMethods = false)
public class PostgresAdapterConfiguration {

  /**
   * Bounds every lock wait, above all a duplicate upload waiting for the first one's claim to
   * commit: past {@code waymark.postgres.lock-timeout} the duplicate is answered "in flight"
   * instead of holding a connection indefinitely.
   */
  @Bean
  ConnectionFactoryOptionsBuilderCustomizer waymarkSessionSettings(
      @Value("${waymark.postgres.lock-timeout:PT5S}") Duration lockTimeout) {
    return builder -> builder.option(PostgresqlConnectionFactoryProvider.OPTIONS,
        Map.of("lock_timeout", lockTimeout.toMillis() + "ms"));
  }
}
