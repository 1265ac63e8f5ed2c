package dev.waymark.bootstrap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On the embedded default, mints a device token and an admin token with the generated secret and
 * prints them with a curl line to try, once the server is listening.
 */
@Component
@ConditionalOnProperty(DatabaseEnvironment.DEMO_MODE)
class DemoTokens implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(DemoTokens.class);
  static final Duration VALIDITY = Duration.ofHours(24);

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    Environment environment = event.getApplicationContext().getEnvironment();
    byte[] secret = environment.getRequiredProperty(DatabaseEnvironment.HMAC_SECRET)
        .getBytes(StandardCharsets.UTF_8);
    String port = environment.getProperty("local.server.port", "8080");
    String device = mint(secret, "demo-device", "locations:write");
    String admin = mint(secret, "demo-admin", "admin");
    log.info("""

        Waymark is running on the embedded default (embedded PostgreSQL on port {}, data is \
        discarded at exit).
        Demo tokens, valid {} h, signed with a secret generated for this run:
          device (scope locations:write): {}
          admin  (scope admin):           {}
        Try:
          curl -i -X POST http://localhost:{}/api/v1/locations \
        -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' \
        -H 'Idempotency-Key: demo-1' \
        -d '{"id":"demo-point-1","latitude":48.8584,"longitude":2.2945,"accuracy":12.5,\
        "timestamp":"{}"}'
        """,
        environment.getProperty("waymark.embedded-postgres.port"), VALIDITY.toHours(), device,
        admin, port, device, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  static String mint(byte[] secret, String subject, String scope) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject(subject)
        .claim("scope", scope)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(VALIDITY)))
        .build();
    SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      token.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the demo token", e);
    }
    return token.serialize();
  }
}
