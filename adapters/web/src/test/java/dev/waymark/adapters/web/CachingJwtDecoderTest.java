package dev.waymark.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

class CachingJwtDecoderTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  final AtomicInteger verifications = new AtomicInteger();

  static Jwt jwt(Instant expiresAt) {
    return Jwt.withTokenValue("t").header("alg", "HS256").subject("device")
        .issuedAt(NOW.minusSeconds(10)).expiresAt(expiresAt).build();
  }

  CachingJwtDecoder decoder(Jwt answer, Clock clock) {
    return new CachingJwtDecoder(token -> {
      verifications.incrementAndGet();
      return token.equals("bad") ? Mono.error(new BadJwtException("bad signature"))
          : Mono.just(answer);
    }, clock);
  }

  @Test
  void aVerifiedTokenIsVerifiedOnce() {
    var decoder = decoder(jwt(NOW.plusSeconds(3600)), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(decoder.decode("good").block().getSubject()).isEqualTo("device");
    assertThat(decoder.decode("good").block().getSubject()).isEqualTo("device");
    assertThat(verifications).hasValue(1);
  }

  @Test
  void aRefusedTokenIsCheckedEveryTime() {
    var decoder = decoder(jwt(NOW.plusSeconds(3600)), Clock.fixed(NOW, ZoneOffset.UTC));
    assertThatThrownBy(() -> decoder.decode("bad").block()).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> decoder.decode("bad").block()).isInstanceOf(BadJwtException.class);
    assertThat(verifications).hasValue(2);
  }

  @Test
  void aRememberedTokenPastItsExpiryIsVerifiedAgain() {
    Instant[] now = {NOW};
    Clock moving = new Clock() {
      @Override
      public Instant instant() {
        return now[0];
      }

      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    var decoder = decoder(jwt(NOW.plusSeconds(60)), moving);
    decoder.decode("good").block();
    now[0] = NOW.plusSeconds(61);
    decoder.decode("good").block();
    assertThat(verifications).hasValue(2);
  }
}
