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
   *
   * <p>Ends sessions that sit inside a transaction for longer than
   * {@code waymark.postgres.idle-in-transaction-timeout}: the service sends a transaction's
   * statements back to back, so such a session belongs to a request whose connection was cut
   * off by the network (or whose process died) and whose claim lock would otherwise keep every
   * retry of its key at 409 until TCP gave up, which can take hours.
   */
  @Bean
  ConnectionFactoryOptionsBuilderCustomizer waymarkSessionSettings(
      @Value("${waymark.postgres.lock-timeout:PT5S}") Duration lockTimeout,
      @Value("${waymark.postgres.idle-in-transaction-timeout:PT10S}")
      Duration idleInTransactionTimeout) {
    return builder -> builder.option(PostgresqlConnectionFactoryProvider.OPTIONS, Map.of(
        "lock_timeout", lockTimeout.toMillis() + "ms",
        "idle_in_transaction_session_timeout", idleInTransactionTimeout.toMillis() + "ms"));
  }
}
