package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * A fuzz run over the upload endpoints: mutated and malformed JSON, huge numbers, deep nesting,
 * wrong content types, repeated and oversized headers, bodies just over the limit. Every answer
 * is a 2xx or a problem+json 4xx that says what is wrong, never a 5xx, and the service stays up.
 * Seeded, so a failure names the input that caused it and reruns the same way.
 */
class HttpFuzzEndToEndTest extends EndToEndTest {

  static final long SEED = 20261204L;
  static final int MAX_BODY = 1024 * 1024;
  static final String[] PATHS = {"/api/v1/locations", "/api/v1/locations/batch"};

  final List<String> answered = new ArrayList<>();

  @AfterEach
  void serviceStaysUp() {
    var statuses = new java.util.TreeMap<String, Integer>();
    answered.forEach(answer -> statuses.merge(answer.substring(0, 3), 1, Integer::sum));
    System.out.println("[fuzz] " + answered.size() + " inputs answered by status: " + statuses);
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    single("after-fuzz-" + System.nanoTime(), location("after-fuzz-" + System.nanoTime(), 1))
        .expectStatus().isOk();
  }

  @Test
  void mutatedBodiesAreAnsweredWith2xxOr4xxProblems() {
    Random random = new Random(SEED);
    String valid = batch(location("f-1", 1), location("f-2", 2), location(null, 3));
    for (int i = 0; i < 400; i++) {
      String path = PATHS[random.nextInt(PATHS.length)];
      byte[] body = mutate(path.endsWith("batch") ? valid : location("s-" + i, 4), random);
      String key = random.nextInt(3) == 0 ? null : "fuzz-" + i;
      check("body #" + i + ": " + preview(body), send(path, key, body, headers -> { }));
    }
  }

  @Test
  void hugeNumbersAndDeepNestingAre400() {
    String[] bodies = {
      "{\"id\":\"n1\",\"latitude\":1e999999,\"longitude\":2,\"accuracy\":3,"
          + "\"timestamp\":\"2026-12-04T10:15:30Z\"}",
      "{\"id\":\"n2\",\"latitude\":" + "9".repeat(5000) + ",\"longitude\":2,\"accuracy\":3,"
          + "\"timestamp\":\"2026-12-04T10:15:30Z\"}",
      "{\"id\":\"n3\",\"latitude\":1e-999999999999,\"longitude\":2,\"accuracy\":3,"
          + "\"timestamp\":\"2026-12-04T10:15:30Z\"}",
      "[".repeat(100_000) + "]".repeat(100_000),
      "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
      "{\"locations\":[" + "[".repeat(3000) + "]".repeat(3000) + "]}",
      "{\"id\":\"" + "x".repeat(600_000) + "\",\"latitude\":1}",
    };
    for (String path : PATHS) {
      for (String body : bodies) {
        var result = send(path, null, body.getBytes(StandardCharsets.UTF_8), headers -> { });
        check(path + " " + preview(body.getBytes(StandardCharsets.UTF_8)), result);
        assertThat(result.getStatus().value()).as(preview(body.getBytes())).isEqualTo(400);
      }
    }
  }

  @Test
  void wrongContentTypesAre415() {
    String[] types = {"text/plain", "application/xml", "application/json;charset=ISO-8859-1",
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/jsonx", "*/*", "application/*", "application/vnd.api+json"};
    for (String path : PATHS) {
      for (String type : types) {
        var result = send(path, "ct-" + type.hashCode(), location("ct", 1).getBytes(),
            headers -> headers.set(HttpHeaders.CONTENT_TYPE, type));
        check(path + " as " + type, result);
        assertThat(result.getStatus().value()).as(type).isEqualTo(415);
      }
      for (String malformed : new String[] {"json", "application/", "/json", ";", "a/b/c",
          "application/json; charset=", "\u00ff/\u00ff"}) {
        String answer = raw(path, "Content-Type: " + malformed, location("raw", 1));
        answered.add(answer.substring("HTTP/1.1 ".length()) + " for Content-Type " + malformed);
        assertThat(answer).as("Content-Type %s", malformed)
            .matches("(?s)HTTP/1.1 (400|415) .*application/problem\\+json.*");
      }
    }
  }

  /** A request written byte for byte, for headers a well-behaved client refuses to send. */
  String raw(String path, String header, String body) {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
        + "Authorization: Bearer " + deviceToken + "\r\n" + header + "\r\n"
        + "Content-Length: " + payload.length + "\r\nConnection: close\r\n\r\n" + body;
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void repeatedAndOversizedHeadersAre4xx() {
    for (int copies = 2; copies <= 5; copies++) {
      int n = copies;
      var result = send(PATHS[1], null, batch(location("rep", 1)).getBytes(), headers -> {
        for (int i = 0; i < n; i++) {
          headers.add("Idempotency-Key", i % 2 == 0 ? "same" : "other");
        }
      });
      check(copies + " Idempotency-Key headers", result);
      assertThat(result.getStatus().value()).isEqualTo(400);
    }
    for (int length : new int[] {256, 4_000, 7_000, 20_000}) {
      var result = send(PATHS[0], "k".repeat(length), location("long", 1).getBytes(),
          headers -> { });
      check("key of " + length + " characters", result);
      assertThat(result.getStatus().value()).as("key of %d", length).isIn(400, 431);
    }
    var longToken = send(PATHS[0], null, location("tok", 1).getBytes(),
        headers -> headers.setBearerAuth(deviceToken + "x".repeat(20_000)));
    assertThat(longToken.getStatus().value()).isIn(401, 431);
    var manyHeaders = send(PATHS[0], null, location("many", 1).getBytes(), headers -> {
      for (int i = 0; i < 500; i++) {
        headers.add("X-Filler-" + i, "v".repeat(40));
      }
    });
    assertThat(manyHeaders.getStatus().value()).isIn(200, 431);
    answered.add(longToken.getStatus() + " " + manyHeaders.getStatus());
  }

  @Test
  void bodiesJustOverTheLimitAre413AndJustUnderAreRead() {
    for (String path : PATHS) {
      byte[] over = padded(MAX_BODY + 1);
      var result = send(path, "over-" + path.length(), over, headers -> { });
      check(path + " " + over.length + " bytes", result);
      assertThat(result.getStatus().value()).isEqualTo(413);

      byte[] under = padded(MAX_BODY);
      var read = send(path, "under-" + path.length(), under, headers -> { });
      check(path + " " + under.length + " bytes", read);
      assertThat(read.getStatus().value()).as("read, then judged as JSON").isEqualTo(400);
    }
  }

  /** A JSON object of exactly {@code size} bytes whose only member is padding. */
  static byte[] padded(int size) {
    String head = "{\"padding\":\"";
    String tail = "\"}";
    return (head + "p".repeat(size - head.length() - tail.length()) + tail)
        .getBytes(StandardCharsets.UTF_8);
  }

  EntityExchangeResult<byte[]> send(String path, String key, byte[] body,
      Consumer<HttpHeaders> extra) {
    return http.post().uri(path)
        .headers(headers -> {
          headers.setBearerAuth(deviceToken);
          headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
          if (key != null) {
            headers.set("Idempotency-Key", key);
          }
          extra.accept(headers);
        })
        .bodyValue(body)
        .exchange()
        .expectBody().returnResult();
  }

  void check(String input, EntityExchangeResult<byte[]> result) {
    int status = result.getStatus().value();
    String body = result.getResponseBody() == null ? ""
        : new String(result.getResponseBody(), StandardCharsets.UTF_8);
    answered.add(status + " " + input);
    assertThat(status).as("%s answered %d: %s", input, status, body).isBetween(200, 499);
    if (status >= 400 && status != 431) {
      assertThat(result.getResponseHeaders().getContentType()).as(input)
          .hasToString("application/problem+json");
      assertThat(body).as(input).contains("\"status\":" + status).contains("\"detail\":\"");
    }
  }

  /** One to three random edits of a valid body: the inputs a broken client or proxy makes. */
  static byte[] mutate(String valid, Random random) {
    StringBuilder text = new StringBuilder(valid);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && text.length() > 1; e++) {
      int at = random.nextInt(text.length());
      switch (random.nextInt(9)) {
        case 0 -> text.deleteCharAt(at);
        case 1 -> text.insert(at, "{}[],:\"\\ 0-eE.tfn".charAt(random.nextInt(17)));
        case 2 -> text.insert(at, (char) random.nextInt(0x20));
        case 3 -> text.replace(at, Math.min(text.length(), at + 1 + random.nextInt(10)), "");
        case 4 -> text.insert(at, text.substring(at, Math.min(text.length(), at + 20)));
        case 5 -> text.insert(at, "1e" + random.nextInt(400));
        case 6 -> text.insert(at, "\"\\ud800\"");
        case 7 -> text.setLength(at);
        default -> text.insert(at, "-".repeat(1 + random.nextInt(3)));
      }
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(10) == 0 && bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80)); // bad UTF-8
    }
    return bytes;
  }

  static String preview(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
    return text + (body.length > 160 ? "... (" + body.length + " bytes)" : "");
  }
}
