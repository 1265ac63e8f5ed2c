package dev.waymark.domain.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.domain.idempotency.IdempotencyKeyHeader.Absent;
import dev.waymark.domain.idempotency.IdempotencyKeyHeader.Malformed;
import dev.waymark.domain.idempotency.IdempotencyKeyHeader.Present;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyHeaderTest {

  @Test
  void noHeaderMeansNoKey() {
    assertThat(IdempotencyKeyHeader.parse(List.of())).isEqualTo(new Absent());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "abc|abc",
        "\"abc\"|abc",
        "  abc\t|abc",
        "9b2f6c1e-4a55-4f0e-9a39-2f7e1c0d8a41|9b2f6c1e-4a55-4f0e-9a39-2f7e1c0d8a41"
      })
  void acceptsBareAndQuotedKeys(String header, String key) {
    assertThat(IdempotencyKeyHeader.parse(List.of(header)))
        .isEqualTo(new Present(new IdempotencyKey(key)));
  }

  @Test
  void acceptsEveryVisibleAsciiPunctuationButQuoteAndBackslash() {
    String punctuation = "!#$%&'()*+,-./:;<=>?@[]^_`{|}~";
    assertThat(IdempotencyKeyHeader.parse(List.of(punctuation)))
        .isEqualTo(new Present(new IdempotencyKey(punctuation)));
  }

  @Test
  void bareAndQuotedSpellingsAreTheSameKey() {
    assertThat(IdempotencyKeyHeader.parse(List.of("\"k-1\"")))
        .isEqualTo(IdempotencyKeyHeader.parse(List.of("k-1")));
  }

  @Test
  void acceptsExactly255Characters() {
    assertThat(IdempotencyKeyHeader.parse(List.of("k".repeat(255))))
        .isEqualTo(new Present(new IdempotencyKey("k".repeat(255))));
    assertThat(IdempotencyKeyHeader.parse(List.of("\"" + "k".repeat(255) + "\"")))
        .isInstanceOf(Present.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "   ", "\"\"", "has space", "tab\there", "é", "a\"b", "a\\b", "\"a\\\"b\"",
        "\u0000", "x\u007F"})
  void rejectsEmptyOrForbiddenCharacters(String header) {
    assertThat(IdempotencyKeyHeader.parse(List.of(header))).isInstanceOf(Malformed.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc", "abc\"", "\""})
  void rejectsUnbalancedQuotes(String header) {
    assertThat(IdempotencyKeyHeader.parse(List.of(header))).isInstanceOf(Malformed.class);
  }

  @Test
  void rejects256Characters() {
    assertThat(IdempotencyKeyHeader.parse(List.of("k".repeat(256))))
        .isEqualTo(new Malformed("must be at most 255 characters"));
  }

  @Test
  void rejectsTheHeaderSentTwiceEvenWithEqualValues() {
    assertThat(IdempotencyKeyHeader.parse(List.of("abc", "abc")))
        .isEqualTo(new Malformed("must be sent once, not 2 times"));
  }

  @Test
  void keyConstructorEnforcesTheSameRules() {
    assertThatThrownBy(() -> new IdempotencyKey("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdempotencyKey(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyTextStaysOutOfToString() {
    assertThat(new IdempotencyKey("secret-key").toString()).doesNotContain("secret");
  }
}
