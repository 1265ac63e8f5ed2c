package dev.waymark.adapters.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bearer tokens are verified ({@code waymark.security.jwt.*}).
 *
 * @param hmacSecret the HS256 secret, at least 32 bytes of UTF-8; when absent, the standard
 *     {@code spring.security.oauth2.resourceserver.jwt.*} issuer or JWK set configuration applies
 */
@ConfigurationProperties("waymark.security.jwt")
public record JwtProperties(String hmacSecret) {

  /** RFC 7518: an HS256 key must be at least as long as the hash output. */
  public static final int MIN_SECRET_BYTES = 32;
}
