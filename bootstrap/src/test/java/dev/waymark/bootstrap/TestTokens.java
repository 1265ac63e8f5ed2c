package dev.waymark.bootstrap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Mints bearer tokens for tests, good ones and every kind of bad one. */
final class TestTokens {

  static final String SECRET = "waymark-test-secret-with-more-than-32-bytes-of-entropy";

  private TestTokens() {}

  static String device(String subject) {
    return signed(SECRET, subject, "locations:write", Instant.now().plusSeconds(600), null);
  }

  static String admin(String subject) {
    return signed(SECRET, subject, "admin", Instant.now().plusSeconds(600), null);
  }

  static String withScope(String subject, String scope) {
    return signed(SECRET, subject, scope, Instant.now().plusSeconds(600), null);
  }

  static String expired(String subject) {
    return signed(SECRET, subject, "locations:write", Instant.now().minus(Duration.ofHours(1)),
        null);
  }

  static String notYetValid(String subject) {
    return signed(SECRET, subject, "locations:write", Instant.now().plus(Duration.ofHours(2)),
        Instant.now().plus(Duration.ofHours(1)));
  }

  static String wrongSecret(String subject) {
    return signed("another-secret-that-is-also-longer-than-32-bytes!!", subject,
        "locations:write", Instant.now().plusSeconds(600), null);
  }

  static String unsigned(String subject) {
    return new PlainJWT(new PlainHeader(), claims(subject, "locations:write",
        Instant.now().plusSeconds(600), null)).serialize();
  }

  static String signed(String secret, String subject, String scope, Instant expiry,
      Instant notBefore) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
        claims(subject, scope, expiry, notBefore));
    try {
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static JWTClaimsSet claims(String subject, String scope, Instant expiry,
      Instant notBefore) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .subject(subject)
        .claim("scope", scope)
        .issueTime(new Date())
        .expirationTime(Date.from(expiry));
    if (notBefore != null) {
      claims.notBeforeTime(Date.from(notBefore));
    }
    return claims.build();
  }
}
