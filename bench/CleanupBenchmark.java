import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Side-by-side measure of the expired-key cleanup, run by bench/cleanup-purge (not a test):
 * keyed-upload throughput of a writer without a purge, then the same writer while the cleanup
 * job deletes the expired keys already in the database, and the job's own deletion rate.
 *
 * <p>Usage: java bench/CleanupBenchmark.java BASE_URL HMAC_SECRET THREADS BASELINE_SECONDS OUT_DIR
 */
public class CleanupBenchmark {

  record Phase(String name, long requests, long errors, double seconds, double p50Ms,
      double p99Ms) {
    double perSecond() {
      return requests / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String secret = args[1];
    int threads = Integer.parseInt(args[2]);
    int baselineSeconds = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String device = jwt(secret, "bench-device-" + UUID.randomUUID(), "locations:write");
    String admin = jwt(secret, "bench-admin", "admin");

    // Warm-up: the JIT and the pools, not measured.
    Instant warmEnd = Instant.now().plusSeconds(5);
    write(client, base, device, threads, () -> Instant.now().isAfter(warmEnd), "warm-up");

    Instant baselineEnd = Instant.now().plusSeconds(baselineSeconds);
    Phase baseline = write(client, base, device, threads,
        () -> Instant.now().isAfter(baselineEnd), "writer alone");

    HttpResponse<String> started = client.send(HttpRequest.newBuilder(
            URI.create(base + "/api/v1/admin/idempotency-keys/cleanup"))
        .header("Authorization", "Bearer " + admin)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (started.statusCode() != 202) {
      throw new IllegalStateException("cleanup did not start: " + started.statusCode() + " "
          + started.body());
    }
    String execution = base + started.headers().firstValue("Location").orElseThrow();
    AtomicBoolean jobDone = new AtomicBoolean();
    Thread poller = new Thread(() -> {
      while (!jobDone.get()) {
        try {
          String body = get(client, execution, admin);
          if (!body.contains("\"endTime\":null")) {
            jobDone.set(true);
          } else {
            Thread.sleep(100);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    poller.start();
    Phase during = write(client, base, device, threads, jobDone::get, "writer during purge");
    poller.join();
    String job = get(client, execution, admin);
    long deleted = Long.parseLong(field(job, "deletedCount"));
    Instant jobStart = Instant.parse(field(job, "startTime"));
    Instant jobEnd = Instant.parse(field(job, "endTime"));
    double jobSeconds = Duration.between(jobStart, jobEnd).toMillis() / 1000.0;

    String table = String.format("""
        | measure | value |
        |---|---|
        | cleanup status | %s |
        | expired keys deleted | %,d |
        | cleanup duration | %.2f s |
        | deletion rate | %,.0f keys/s |
        | writer alone: keyed uploads/s (p50 / p99 ms) | %,.0f (%.1f / %.1f), %d errors |
        | writer during purge: keyed uploads/s (p50 / p99 ms) | %,.0f (%.1f / %.1f), %d errors |
        | during ÷ alone throughput | %.2f |
        """, field(job, "status"), deleted, jobSeconds, deleted / jobSeconds,
        baseline.perSecond(), baseline.p50Ms(), baseline.p99Ms(), baseline.errors(),
        during.perSecond(), during.p50Ms(), during.p99Ms(), during.errors(),
        during.perSecond() / baseline.perSecond());
    System.out.println(table);
    Files.createDirectories(out);
    Files.writeString(out.resolve("cleanup.md"), table);
    Files.writeString(out.resolve("cleanup.json"), String.format(
        "{\"deletedKeys\":%d,\"cleanupSeconds\":%.3f,\"keysPerSecond\":%.1f,"
            + "\"writerAloneRps\":%.1f,\"writerDuringPurgeRps\":%.1f,\"ratio\":%.3f,"
            + "\"threads\":%d,\"baselineSeconds\":%d}%n",
        deleted, jobSeconds, deleted / jobSeconds, baseline.perSecond(), during.perSecond(),
        during.perSecond() / baseline.perSecond(), threads, baselineSeconds));
  }

  /** Keyed single uploads, each with a fresh key, from {@code threads} threads until told to stop. */
  static Phase write(HttpClient client, String base, String token, int threads,
      BooleanSupplier stop, String name) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> workers = new ArrayList<>();
    long[] errors = new long[threads];
    Instant start = Instant.now();
    for (int t = 0; t < threads; t++) {
      int worker = t;
      workers.add(pool.submit(() -> {
        List<Long> latencies = new ArrayList<>();
        while (!stop.getAsBoolean()) {
          String body = "{\"latitude\":48.8584,\"longitude\":2.2945,\"accuracy\":12.5,"
              + "\"timestamp\":\"2026-12-04T10:15:30Z\"}";
          long begin = System.nanoTime();
          HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                  URI.create(base + "/api/v1/locations"))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", UUID.randomUUID().toString())
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            latencies.add(System.nanoTime() - begin);
          } else {
            errors[worker]++;
          }
        }
        return latencies;
      }));
    }
    List<Long> all = new ArrayList<>();
    for (var worker : workers) {
      all.addAll(worker.get());
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    pool.shutdown();
    Collections.sort(all);
    long errorCount = 0;
    for (long e : errors) {
      errorCount += e;
    }
    return new Phase(name, all.size(), errorCount, seconds, percentile(all, 0.50),
        percentile(all, 0.99));
  }

  static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
  }

  static String get(HttpClient client, String url, String token) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
    if (!matcher.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return matcher.group(1);
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
