package dev.waymark.domain.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.IdempotencyKeyHeader;
import dev.waymark.domain.location.FieldError;
import dev.waymark.domain.location.LocationCandidate;
import dev.waymark.domain.location.LocationRules;
import dev.waymark.domain.location.LocationVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and adversarial input for the two parsers a device reaches: the Idempotency-Key header
 * and the location rules. Neither ever throws; every refusal names what is wrong.
 */
class DomainInputPropertyTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final LocationRules RULES = new LocationRules(Duration.ofHours(1));
  static final Set<String> FIELDS = Set.of("id", "latitude", "longitude", "accuracy",
      "timestamp", "altitude", "speed", "bearing", "provider", "batteryLevel");

  @Property(tries = 2000)
  void anyHeaderValueIsAKeyOrMalformedWithAReason(@ForAll("headerValues") String value) {
    IdempotencyKeyHeader.Parsed parsed = IdempotencyKeyHeader.parse(List.of(value));
    assertThat(parsed).isInstanceOfAny(IdempotencyKeyHeader.Present.class,
        IdempotencyKeyHeader.Malformed.class);
    if (parsed instanceof IdempotencyKeyHeader.Malformed malformed) {
      assertThat(malformed.reason()).isNotBlank();
    } else {
      String key = ((IdempotencyKeyHeader.Present) parsed).key().value();
      assertThat(key).hasSizeBetween(1, 255);
      assertThat(key.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E && c != '"' && c != '\\');
    }
  }

  @Property(tries = 1000)
  void aKeyIsTheSameKeyBareQuotedOrPadded(@ForAll("keys") String key) {
    IdempotencyKey expected = new IdempotencyKey(key);
    for (String form : List.of(key, "\"" + key + "\"", " " + key + "\t", "\t\"" + key + "\" ")) {
      assertThat(IdempotencyKeyHeader.parse(List.of(form)))
          .isEqualTo(new IdempotencyKeyHeader.Present(expected));
    }
  }

  @Property(tries = 500)
  void aHeaderSentMoreThanOnceIsMalformedEvenWithEqualValues(
      @ForAll("keys") String key, @ForAll @Size(min = 1, max = 4) List<Boolean> more) {
    List<String> values = new java.util.ArrayList<>(List.of(key));
    more.forEach(ignored -> values.add(key));
    assertThat(IdempotencyKeyHeader.parse(values))
        .isInstanceOf(IdempotencyKeyHeader.Malformed.class);
  }

  @Property(tries = 3000)
  void anyCandidateIsAcceptedOrRejectedNamingEveryFaultyField(
      @ForAll("candidates") LocationCandidate candidate) {
    LocationVerdict verdict = RULES.judge(candidate, NOW);
    if (verdict instanceof LocationVerdict.Rejected rejected) {
      assertThat(rejected.errors()).isNotEmpty();
      assertThat(rejected.errors()).extracting(FieldError::field).allMatch(FIELDS::contains);
      assertThat(rejected.errors()).extracting(FieldError::message).allMatch(m -> !m.isBlank());
    } else {
      var location = ((LocationVerdict.Accepted) verdict).location();
      assertThat(location.latitude()).isBetween(-90.0, 90.0);
      assertThat(location.longitude()).isBetween(-180.0, 180.0);
      assertThat(location.accuracy()).isGreaterThanOrEqualTo(0.0);
      assertThat(location.timestamp()).isBeforeOrEqualTo(NOW.plus(Duration.ofHours(1)));
    }
  }

  @Property(tries = 1000)
  void aCandidateWithOneBrokenFieldIsRejectedForThatFieldAlone(
      @ForAll("validCandidates") LocationCandidate valid, @ForAll("latitudesOutOfRange") double bad) {
    assertThat(RULES.judge(valid, NOW)).isInstanceOf(LocationVerdict.Accepted.class);
    LocationCandidate broken = new LocationCandidate(valid.pointId(), bad, valid.longitude(),
        valid.accuracy(), valid.timestamp(), valid.altitude(), valid.speed(), valid.bearing(),
        valid.provider(), valid.batteryLevel());
    LocationVerdict verdict = RULES.judge(broken, NOW);
    assertThat(verdict).isInstanceOf(LocationVerdict.Rejected.class);
    assertThat(((LocationVerdict.Rejected) verdict).errors()).extracting(FieldError::field)
        .containsExactly("latitude");
  }

  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
        keys().map(k -> "\"" + k),
        keys().map(k -> k + "\""),
        keys().map(k -> "\"\"" + k + "\"\""),
        Arbitraries.of("", " ", "\"\"", "\"", "\t", "a b", "a\u0000b", "é", "\\", "😀",
            "k".repeat(255), "k".repeat(256)));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().withCharRange('!', '~').excludeChars('"', '\\')
        .ofMinLength(1).ofMaxLength(255);
  }

  @Provide
  Arbitrary<Double> latitudesOutOfRange() {
    return Arbitraries.oneOf(Arbitraries.doubles().between(90, false, 1e300, true),
        Arbitraries.doubles().between(-1e300, true, -90, false),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
  }

  /** Every field missing, in range, just out of range, or absurd. */
  @Provide
  Arbitrary<LocationCandidate> candidates() {
    Arbitrary<Double> anyNumber = Arbitraries.oneOf(
        Arbitraries.doubles(),
        Arbitraries.doubles().between(-200, 400),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
            -1.0, 0.0, 90.0, -90.0, 180.0, -180.0, 360.0, 100.0, 100.5, Double.MAX_VALUE,
            Double.MIN_VALUE)).injectNull(0.15);
    Arbitrary<String> timestamps = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.of("2026-12-04T10:15:30Z", "2026-12-04T10:15:30+02:00",
            "2026-12-04T10:15:30.123456789Z", "1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z",
            "2026-12-04T13:00:01Z", "2026-12-04", "2026-13-04T10:15:30Z", "2026-12-04T10:15:30",
            "+999999999-12-31T23:59:59Z", "not a time")).injectNull(0.1);
    Arbitrary<String> ids = Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(80),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64))
        .injectNull(0.3);
    Arbitrary<String> providers = Arbitraries.strings().all().ofMaxLength(40).injectNull(0.3);
    return Combinators.combine(ids, anyNumber, anyNumber, anyNumber, timestamps, anyNumber,
        anyNumber, anyNumber).flatAs((id, lat, lon, acc, time, alt, speed, bearing) ->
        Combinators.combine(providers, anyNumber).as((provider, battery) ->
            new LocationCandidate(id, lat, lon, acc, time, alt, speed, bearing, provider,
                battery)));
  }

  @Provide
  Arbitrary<LocationCandidate> validCandidates() {
    return Combinators.combine(
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64)
            .injectNull(0.3),
        Arbitraries.doubles().between(-90, 90),
        Arbitraries.doubles().between(-180, 180),
        Arbitraries.doubles().between(0, 10_000),
        Arbitraries.longs().between(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(),
            NOW.getEpochSecond()).map(s -> Instant.ofEpochSecond(s).toString()),
        Arbitraries.integers().between(0, 100).map(Integer::doubleValue).injectNull(0.3))
        .as((id, lat, lon, acc, time, battery) -> new LocationCandidate(id, lat, lon, acc, time,
            null, null, null, "gps", battery));
  }
}
