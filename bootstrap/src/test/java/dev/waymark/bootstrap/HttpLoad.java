package dev.waymark.bootstrap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A plain JDK HTTP client for the fault tests' load: many threads, each blocking on its own
 * request (off the event loops), each answer timed.
 */
final class HttpLoad {

  /** One answer, with when its request was sent and answered. */
  record Answer(int status, String body, Optional<String> retryAfter, Optional<String> contentType,
      Instant sent, Instant answered) {
    Duration took() {
      return Duration.between(sent, answered);
    }
  }

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .build();
  private final URI base;

  HttpLoad(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  Answer post(String path, String token, String key, String body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return send(request.build());
  }

  Answer get(String path, Duration timeout) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    Instant sent = Instant.now();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(),
        response.headers().firstValue("Retry-After"),
        response.headers().firstValue("Content-Type"), sent, Instant.now());
  }
}
