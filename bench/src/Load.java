import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A closed-loop HTTP load generator for the benchmarks: N threads, each one request at a time. */
final class Load {

  static final String POINT = "{\"latitude\":48.8584,\"longitude\":2.2945,\"accuracy\":12.5,"
      + "\"timestamp\":\"2026-12-04T10:15:30Z\"}";

  private Load() {}

  /** Throughput and latency of one phase; latencies of 2xx answers only. */
  record Phase(String name, long requests, long errors, double seconds, double p50Ms,
      double p99Ms) {
    double perSecond() {
      return requests / seconds;
    }
  }

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * Sends uploads from {@code threads} threads until {@code stop} says so; request {@code i} of a
   * thread carries the Idempotency-Key {@code keyOf.apply(i)} (null: none).
   */
  static Phase run(HttpClient client, String url, String token, int threads,
      BooleanSupplier stop, IntFunction<String> keyOf, String name) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> workers = new ArrayList<>();
    Instant start = Instant.now();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        List<Long> latencies = new ArrayList<>();
        long errors = 0;
        for (int i = 0; !stop.getAsBoolean(); i++) {
          HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(POINT));
          String key = keyOf.apply(i);
          if (key != null) {
            request.header("Idempotency-Key", key);
          }
          long begin = System.nanoTime();
          int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding())
              .statusCode();
          if (status / 100 == 2) {
            latencies.add(System.nanoTime() - begin);
          } else {
            errors++;
          }
        }
        long[] out = new long[latencies.size() + 1];
        out[0] = errors;
        for (int i = 0; i < latencies.size(); i++) {
          out[i + 1] = latencies.get(i);
        }
        return out;
      }));
    }
    List<Long> all = new ArrayList<>();
    long errors = 0;
    for (var worker : workers) {
      long[] result = worker.get();
      errors += result[0];
      for (int i = 1; i < result.length; i++) {
        all.add(result[i]);
      }
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    pool.shutdown();
    Collections.sort(all);
    return new Phase(name, all.size(), errors, seconds, percentile(all, 0.50),
        percentile(all, 0.99));
  }

  static BooleanSupplier forSeconds(int seconds) {
    Instant end = Instant.now().plusSeconds(seconds);
    return () -> Instant.now().isAfter(end);
  }

  static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
  }

  /** An HS256 JWT, as the service's demo tokens are. */
  static String jwt(String secret, String subject, String scope) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    long now = Instant.now().getEpochSecond();
    String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
    String claims = url.encodeToString(("{\"sub\":\"" + subject + "\",\"scope\":\"" + scope
        + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}").getBytes());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = url.encodeToString(mac.doFinal((header + "." + claims).getBytes()));
    return header + "." + claims + "." + signature;
  }
}
