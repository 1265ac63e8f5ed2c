package dev.waymark.adapters.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers tokens already verified, so a device's many uploads with one token pay for the
 * signature check and claim parsing once. Only successful verifications are kept, never past
 * the token's own expiry nor {@link #MAX_AGE}; a refused token is checked again every time.
 */
final class CachingJwtDecoder implements ReactiveJwtDecoder {

  static final Duration MAX_AGE = Duration.ofMinutes(5);
  private static final int MAX_TOKENS = 50_000;

  private final ReactiveJwtDecoder delegate;
  private final Clock clock;
  private final Cache<String, Jwt> verified;

  CachingJwtDecoder(ReactiveJwtDecoder delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
    this.verified = Caffeine.newBuilder()
        .maximumSize(MAX_TOKENS)
        .expireAfter(Expiry.creating((String token, Jwt jwt) -> lifetime(jwt)))
        .build();
  }

  @Override
  public Mono<Jwt> decode(String token) {
    Jwt known = verified.getIfPresent(token);
    if (known != null && (known.getExpiresAt() == null
        || clock.instant().isBefore(known.getExpiresAt()))) {
      return Mono.just(known);
    }
    return delegate.decode(token).doOnNext(jwt -> verified.put(token, jwt));
  }

  private Duration lifetime(Jwt jwt) {
    Instant expiresAt = jwt.getExpiresAt();
    if (expiresAt == null) {
      return MAX_AGE;
    }
    Duration left = Duration.between(clock.instant(), expiresAt);
    return left.compareTo(MAX_AGE) < 0 ? (left.isNegative() ? Duration.ZERO : left) : MAX_AGE;
  }
}
