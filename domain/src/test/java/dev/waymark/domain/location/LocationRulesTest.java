package dev.waymark.domain.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationRulesTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  final LocationRules rules = new LocationRules(Duration.ofHours(1));

  static LocationCandidate valid() {
    return new LocationCandidate(
        "9b2f6c1e-4a55-4f0e-9a39-2f7e1c0d8a41", 48.8584, 2.2945, 12.5, "2026-12-04T10:15:30Z",
        35.2, 1.4, 270.0, "gps", 81.0);
  }

  static LocationCandidate minimal() {
    return new LocationCandidate(
        null, 48.8584, 2.2945, 12.5, "2026-12-04T10:15:30Z", null, null, null, null, null);
  }

  List<FieldError> errorsOf(LocationCandidate candidate) {
    LocationVerdict verdict = rules.judge(candidate, NOW);
    assertThat(verdict).isInstanceOf(LocationVerdict.Rejected.class);
    return ((LocationVerdict.Rejected) verdict).errors();
  }

  Location accepted(LocationCandidate candidate) {
    LocationVerdict verdict = rules.judge(candidate, NOW);
    assertThat(verdict).isInstanceOf(LocationVerdict.Accepted.class);
    return ((LocationVerdict.Accepted) verdict).location();
  }

  @Test
  void acceptsTheContractExampleWithEveryFieldCarriedOver() {
    Location location = accepted(valid());
    assertThat(location)
        .isEqualTo(
            new Location(
                "9b2f6c1e-4a55-4f0e-9a39-2f7e1c0d8a41", 48.8584, 2.2945, 12.5,
                Instant.parse("2026-12-04T10:15:30Z"), 35.2, 1.4, 270.0, "gps", 81));
  }

  @Test
  void acceptsOnlyTheRequiredFields() {
    Location location = accepted(minimal());
    assertThat(location.pointId()).isNull();
    assertThat(location.altitude()).isNull();
    assertThat(location.batteryLevel()).isNull();
  }

  @Test
  void reportsEveryBrokenRuleAtOnce() {
    var candidate =
        new LocationCandidate(
            "", 91.0, -181.0, -1.0, null, null, null, 361.0, "x".repeat(33), 101.0);
    assertThat(errorsOf(candidate))
        .extracting(FieldError::field)
        .containsExactly(
            "id", "latitude", "longitude", "accuracy", "timestamp", "bearing", "provider",
            "batteryLevel");
  }

  @Nested
  class PointId {
    @Test
    void acceptsSixtyFourVisibleAsciiCharacters() {
      assertThat(accepted(withId("!".repeat(32) + "~".repeat(32))).pointId()).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "tab\t", "é", "x\u007F"})
    void rejectsEmptyOrNonVisibleAscii(String id) {
      assertThat(errorsOf(withId(id))).containsExactly(
          new FieldError("id", "must be 1 to 64 visible ASCII characters (0x21-0x7E)"));
    }

    @Test
    void rejectsSixtyFiveCharacters() {
      assertThat(errorsOf(withId("a".repeat(65)))).extracting(FieldError::field)
          .containsExactly("id");
    }

    LocationCandidate withId(String id) {
      var v = valid();
      return new LocationCandidate(id, v.latitude(), v.longitude(), v.accuracy(), v.timestamp(),
          null, null, null, null, null);
    }
  }

  @Nested
  class Coordinates {
    @ParameterizedTest
    @ValueSource(doubles = {-90, 0, 90})
    void latitudeBoundsAreInclusive(double latitude) {
      assertThat(accepted(withCoordinates(latitude, 0.0)).latitude()).isEqualTo(latitude);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-90.0001, 90.0001, Double.POSITIVE_INFINITY})
    void latitudeOutsideRangeIsRejected(double latitude) {
      assertThat(errorsOf(withCoordinates(latitude, 0.0)))
          .containsExactly(new FieldError("latitude", "must be between -90 and 90"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-180, 180})
    void longitudeBoundsAreInclusive(double longitude) {
      assertThat(accepted(withCoordinates(0.0, longitude)).longitude()).isEqualTo(longitude);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-180.0001, 180.0001})
    void longitudeOutsideRangeIsRejected(double longitude) {
      assertThat(errorsOf(withCoordinates(0.0, longitude)))
          .containsExactly(new FieldError("longitude", "must be between -180 and 180"));
    }

    @Test
    void latitudeAndLongitudeAreRequired() {
      assertThat(errorsOf(withCoordinates(null, null)))
          .containsExactly(
              new FieldError("latitude", "is required"),
              new FieldError("longitude", "is required"));
    }

    LocationCandidate withCoordinates(Double latitude, Double longitude) {
      return new LocationCandidate(null, latitude, longitude, 1.0, "2026-12-04T10:15:30Z",
          null, null, null, null, null);
    }
  }

  @Nested
  class Accuracy {
    @Test
    void zeroIsAccepted() {
      assertThat(accepted(withAccuracy(0.0)).accuracy()).isZero();
    }

    @Test
    void isRequired() {
      assertThat(errorsOf(withAccuracy(null)))
          .containsExactly(new FieldError("accuracy", "is required"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.001, Double.POSITIVE_INFINITY})
    void negativeOrInfiniteIsRejected(double accuracy) {
      assertThat(errorsOf(withAccuracy(accuracy))).extracting(FieldError::field)
          .containsExactly("accuracy");
    }

    LocationCandidate withAccuracy(Double accuracy) {
      return new LocationCandidate(null, 1.0, 1.0, accuracy, "2026-12-04T10:15:30Z",
          null, null, null, null, null);
    }
  }

  @Nested
  class Timestamp {
    @ParameterizedTest
    @ValueSource(strings = {"2026-12-04T10:15:30Z", "2026-12-04T12:15:30+02:00",
        "2000-01-01T00:00:00Z", "2026-12-04T13:00:00Z", "2026-12-04T10:15:30.123456789Z"})
    void acceptsInstantsWithOffsetFrom2000UpToTheSkew(String timestamp) {
      assertThat(accepted(withTimestamp(timestamp)).timestamp())
          .isEqualTo(java.time.OffsetDateTime.parse(timestamp).toInstant());
    }

    @Test
    void offsetIsNormalisedToTheSameInstant() {
      assertThat(accepted(withTimestamp("2026-12-04T12:15:30+02:00")).timestamp())
          .isEqualTo(Instant.parse("2026-12-04T10:15:30Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-04T10:15:30", "2026-12-04", "yesterday", "1733300000", ""})
    void rejectsTextThatIsNotAnInstantWithOffset(String timestamp) {
      assertThat(errorsOf(withTimestamp(timestamp))).containsExactly(new FieldError(
          "timestamp", "must be an ISO-8601 instant with offset, e.g. 2026-12-04T10:15:30Z"));
    }

    @Test
    void rejectsBefore2000() {
      assertThat(errorsOf(withTimestamp("1999-12-31T23:59:59Z")))
          .containsExactly(new FieldError("timestamp", "must not be before 2000-01-01T00:00:00Z"));
    }

    @Test
    void rejectsFurtherInTheFutureThanTheSkew() {
      assertThat(errorsOf(withTimestamp("2026-12-04T13:00:00.001Z")))
          .containsExactly(new FieldError("timestamp", "must not be more than PT1H in the future"));
    }

    @Test
    void skewIsConfigurable() {
      var strict = new LocationRules(Duration.ZERO);
      assertThat(strict.judge(withTimestamp("2026-12-04T12:00:01Z"), NOW))
          .isInstanceOf(LocationVerdict.Rejected.class);
      assertThat(strict.judge(withTimestamp("2026-12-04T12:00:00Z"), NOW))
          .isInstanceOf(LocationVerdict.Accepted.class);
    }

    @Test
    void isRequired() {
      assertThat(errorsOf(withTimestamp(null)))
          .containsExactly(new FieldError("timestamp", "is required"));
    }

    LocationCandidate withTimestamp(String timestamp) {
      return new LocationCandidate(null, 1.0, 1.0, 1.0, timestamp, null, null, null, null, null);
    }
  }

  @Nested
  class OptionalFields {
    @Test
    void altitudeMayBeNegative() {
      assertThat(accepted(with(-430.5, null, null, null, null)).altitude()).isEqualTo(-430.5);
    }

    @Test
    void altitudeMustBeFinite() {
      assertThat(errorsOf(with(Double.NEGATIVE_INFINITY, null, null, null, null)))
          .extracting(FieldError::field).containsExactly("altitude");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, -0.5})
    void negativeSpeedMeansUnknown(double speed) {
      assertThat(accepted(with(null, speed, null, null, null)).speed()).isNull();
    }

    @Test
    void speedIsKeptWhenKnown() {
      assertThat(accepted(with(null, 0.0, null, null, null)).speed()).isZero();
    }

    @Test
    void infiniteSpeedIsRejected() {
      assertThat(errorsOf(with(null, Double.POSITIVE_INFINITY, null, null, null)))
          .extracting(FieldError::field).containsExactly("speed");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 360})
    void bearingBoundsAreInclusive(double bearing) {
      assertThat(accepted(with(null, null, bearing, null, null)).bearing()).isEqualTo(bearing);
    }

    @Test
    void negativeBearingMeansUnknown() {
      assertThat(accepted(with(null, null, -1.0, null, null)).bearing()).isNull();
    }

    @Test
    void bearingAbove360IsRejected() {
      assertThat(errorsOf(with(null, null, 360.5, null, null))).containsExactly(
          new FieldError("bearing", "must be between 0 and 360, or negative for unknown"));
    }

    @Test
    void providerMayHaveThirtyTwoCharactersCountedAsCharactersNotBytes() {
      String provider = "é".repeat(32);
      assertThat(accepted(with(null, null, null, provider, null)).provider()).isEqualTo(provider);
      assertThat(errorsOf(with(null, null, null, "é".repeat(33), null)))
          .containsExactly(new FieldError("provider", "must be at most 32 characters"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 100, 42.0})
    void batteryLevelIsAnIntegerFrom0To100(double level) {
      assertThat(accepted(with(null, null, null, null, level)).batteryLevel())
          .isEqualTo((int) level);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, 101, 50.5})
    void batteryLevelOutsideOrFractionalIsRejected(double level) {
      assertThat(errorsOf(with(null, null, null, null, level)))
          .containsExactly(new FieldError("batteryLevel", "must be an integer between 0 and 100"));
    }

    LocationCandidate with(
        Double altitude, Double speed, Double bearing, String provider, Double battery) {
      return new LocationCandidate(null, 1.0, 1.0, 1.0, "2026-12-04T10:15:30Z", altitude, speed,
          bearing, provider, battery);
    }
  }
}
