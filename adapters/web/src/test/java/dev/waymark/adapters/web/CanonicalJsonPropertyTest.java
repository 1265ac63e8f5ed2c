package dev.waymark.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.idempotency.RequestFingerprint;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fingerprints over generated JSON documents: the same document written any other valid way
 * (members reordered, whitespace, numbers as 1.50 or 15E-1, characters escaped) fingerprints
 * equal; two different documents never do; and any bytes at all either parse or are refused as
 * a 400 problem naming the body.
 */
class CanonicalJsonPropertyTest {

  /** JSON null in the generated model (jqwik values cannot be Java null in collections). */
  enum JsonNull { NULL }

  static RequestFingerprint fingerprint(String json) {
    return RequestFingerprint.of("POST /api/v1/locations/batch",
        CanonicalJson.of(RequestBodies.parse(json.getBytes(StandardCharsets.UTF_8))));
  }

  @Property(tries = 500)
  void aDocumentWrittenAnotherWayFingerprintsEqual(
      @ForAll("documents") Object document, @ForAll long seed) {
    String plain = write(document, null);
    String variant = write(document, new Random(seed));
    assertThat(fingerprint(variant)).as("%s%nvs%n%s", plain, variant)
        .isEqualTo(fingerprint(plain));
  }

  @Property(tries = 1000)
  void differentDocumentsNeverShareAFingerprint(
      @ForAll("documents") Object one, @ForAll("documents") Object other) {
    Assume.that(!same(one, other));
    assertThat(fingerprint(write(one, null))).isNotEqualTo(fingerprint(write(other, null)));
  }

  @Property(tries = 1000)
  void anyBytesParseOrAreRefusedAs400NamingTheBody(@ForAll byte[] body) {
    assertParsedOrRefused(body);
  }

  @Property(tries = 1000)
  void truncatedDocumentsParseOrAreRefusedAs400(@ForAll("documents") Object document,
      @ForAll("cuts") int cut) {
    String json = write(document, null);
    Assume.that(cut < json.length());
    assertParsedOrRefused(json.substring(0, json.length() - 1 - cut)
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Parsing either yields a document or a 400 problem on the body; nothing else escapes. */
  private static void assertParsedOrRefused(byte[] body) {
    Object outcome;
    try {
      outcome = RequestBodies.parse(body);
    } catch (ApiProblem problem) {
      outcome = problem;
    }
    assertThat(outcome).isInstanceOfAny(tools.jackson.databind.JsonNode.class, ApiProblem.class);
    if (outcome instanceof ApiProblem problem) {
      assertThat(problem.type()).isEqualTo(ProblemType.INVALID_REQUEST);
      assertThat(problem.errors()).extracting(e -> e.field()).containsExactly("body");
    }
  }

  @Property(tries = 1000)
  void numbersOfAnyMagnitudeParseOrAreRefusedAs400(@ForAll("numbers") String number) {
    assertParsedOrRefused(("{\"latitude\":" + number + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> numbers() {
    Arbitrary<String> mantissas = Arbitraries.oneOf(
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(2000),
        Arbitraries.of("0", "1", "-1", "0.0", "-0", "1.5", "00", "01", ".5", "5.", "+1", "--1"));
    Arbitrary<String> exponents = Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.longs().between(-99_999_999_999_999L, 99_999_999_999_999L)
            .map(e -> "e" + e),
        Arbitraries.of("e", "E+", "e-", "E2147483648", "e-2147483649"));
    return Combinators.combine(mantissas, exponents).as(String::concat);
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 20);
  }

  @Provide
  Arbitrary<Object> documents() {
    return value(3);
  }

  private Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf = Arbitraries.oneOf(
        Arbitraries.just(JsonNull.NULL),
        Arbitraries.of(true, false),
        // Integers a double holds exactly, and short decimals: distinct values stay distinct
        // through the ECMAScript number form RFC 8785 uses.
        Arbitraries.longs().between(-(1L << 53), 1L << 53).map(BigDecimal::valueOf),
        Arbitraries.integers().between(-999_999, 999_999).flatMap(unscaled -> Arbitraries
            .integers().between(0, 6).map(scale -> BigDecimal.valueOf(unscaled, scale))),
        text());
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> arrays = value(depth - 1).list().ofMaxSize(4).map(list -> list);
    Arbitrary<Object> objects = Arbitraries.maps(text(), value(depth - 1)).ofMaxSize(4)
        .map(map -> new LinkedHashMap<>(map));
    return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, arrays), Tuple.of(2, objects));
  }

  private static Arbitrary<String> text() {
    // Any character but lone surrogates (not text); emoji as proper pairs.
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(6),
        Arbitraries.strings().withCharRange('\uE000', '\uFFFD').ofMaxLength(3),
        Arbitraries.of("", "a", "A", "é", "e\u0301", "😀", "\"", "\\", "/", "\u2028"));
  }

  /** Structural equality of generated documents; numbers by value (10 equals 10.0). */
  static boolean same(Object one, Object other) {
    if (one instanceof BigDecimal a && other instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    if (one instanceof List<?> a && other instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (one instanceof Map<?, ?> a && other instanceof Map<?, ?> b) {
      return a.keySet().equals(b.keySet())
          && a.keySet().stream().allMatch(key -> same(a.get(key), b.get(key)));
    }
    return Objects.equals(one, other);
  }

  /** Writes the document as JSON: plainly with no {@code random}, else varied at random. */
  static String write(Object value, Random random) {
    StringBuilder out = new StringBuilder();
    write(value, random, out);
    return out.toString();
  }

  private static void write(Object value, Random random, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      List<Map.Entry<?, ?>> members = new ArrayList<>(map.entrySet());
      if (random != null) {
        Collections.shuffle(members, random);
      }
      out.append('{');
      for (int i = 0; i < members.size(); i++) {
        space(random, out);
        if (i > 0) {
          out.append(',');
          space(random, out);
        }
        string((String) members.get(i).getKey(), random, out);
        space(random, out);
        out.append(':');
        space(random, out);
        write(members.get(i).getValue(), random, out);
      }
      space(random, out);
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        space(random, out);
        write(list.get(i), random, out);
      }
      space(random, out);
      out.append(']');
    } else if (value instanceof BigDecimal number) {
      out.append(number(number, random));
    } else if (value instanceof String text) {
      string(text, random, out);
    } else if (value instanceof Boolean bool) {
      out.append(bool);
    } else {
      out.append("null");
    }
  }

  private static String number(BigDecimal number, Random random) {
    int form = random == null ? 0 : random.nextInt(3);
    return switch (form) {
      case 1 -> number.setScale(number.scale() + 1 + random.nextInt(3)).toPlainString();
      case 2 -> number.unscaledValue() + (random.nextBoolean() ? "E" : "e") + -number.scale();
      default -> number.toPlainString();
    };
  }

  private static void string(String text, Random random, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
        // A pair is written whole, both halves escaped or neither.
        char low = text.charAt(++i);
        if (random != null && random.nextInt(4) == 0) {
          out.append(String.format("\\u%04x\\u%04x", (int) c, (int) low));
        } else {
          out.append(c).append(low);
        }
      } else if (c < 0x20 || (random != null && random.nextInt(4) == 0)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static final String[] WHITESPACE = {"", "", " ", "\t", "\n", "\r\n", "  "};

  private static void space(Random random, StringBuilder out) {
    if (random != null) {
      out.append(WHITESPACE[random.nextInt(WHITESPACE.length)]);
    }
  }
}
