package dev.waymark.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.idempotency.RequestFingerprint;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Equal parsed payloads fingerprint equal; different ones do not (RFC 8785 canonical form). */
class CanonicalJsonTest {

  static String canonical(String json) {
    return CanonicalJson.of(RequestBodies.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  static RequestFingerprint fingerprint(String operation, String json) {
    return RequestFingerprint.of(operation, canonical(json));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"a\":1,\"b\":2}|{ \"b\" : 2 ,\t \"a\" : 1 }",
    "{\"n\":10}|{\"n\":10.0}",
    "{\"n\":10}|{\"n\":1e1}",
    "{\"n\":0.5}|{\"n\":5E-1}",
    "{\"n\":-0}|{\"n\":0}",
    "{\"s\":\"\\u00e9\"}|{\"s\":\"é\"}",
    "{\"s\":\"\\/\"}|{\"s\":\"/\"}",
    "{\"o\":{\"y\":[1,{\"q\":true,\"p\":null}],\"x\":\"v\"}}|{\"o\":{\"x\":\"v\",\"y\":[1.00,{\"p\":null,\"q\":true}]}}"
  })
  void equalParsedPayloadsHaveEqualFingerprints(String one, String other) {
    assertThat(fingerprint("POST /a", one)).isEqualTo(fingerprint("POST /a", other));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"a\":1}|{\"a\":2}",
    "{\"a\":1}|{\"a\":\"1\"}",
    "{\"a\":[1,2]}|{\"a\":[2,1]}",
    "{\"a\":null}|{}",
    "{\"a\":true}|{\"a\":1}",
    "{\"n\":1e400}|{\"n\":1e401}",
    "{\"a\":\"x\"}|{\"A\":\"x\"}"
  })
  void differentPayloadsHaveDifferentFingerprints(String one, String other) {
    assertThat(fingerprint("POST /a", one)).isNotEqualTo(fingerprint("POST /a", other));
  }

  @Test
  void theSamePayloadOnAnotherEndpointHasAnotherFingerprint() {
    assertThat(fingerprint("POST /a", "{}")).isNotEqualTo(fingerprint("POST /b", "{}"));
  }

  @Test
  void writesTheRfc8785Form() {
    assertThat(canonical("{ \"b\": [1.50, \"\\n\\u0001\"], \"a\": 1e21, \"c\": 1E-7 }"))
        .isEqualTo("{\"a\":1e+21,\"b\":[1.5,\"\\n\\u0001\"],\"c\":1e-7}");
  }

  @Test
  void membersAreSortedByUtf16CodeUnits() {
    assertThat(canonical("{\"\\ud83d\\ude00\":1,\"\\ufb33\":2,\"a\":3}"))
        .isEqualTo("{\"a\":3,\"\ud83d\ude00\":1,\"\ufb33\":2}");
  }
}
