package dev.waymark.bootstrap;

/** A database is configured but nothing says how bearer tokens are verified. */
class MissingJwtConfigurationException extends IllegalStateException {

  MissingJwtConfigurationException() {
    super("A database is configured (spring.r2dbc.url) but no JWT verification is:"
        + " set waymark.security.jwt.hmac-secret (WAYMARK_SECURITY_JWT_HMAC_SECRET, at least 32"
        + " bytes) or spring.security.oauth2.resourceserver.jwt.issuer-uri / jwk-set-uri."
        + " Outside the embedded default there is no built-in secret.");
  }
}
