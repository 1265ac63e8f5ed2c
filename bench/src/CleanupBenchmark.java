import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side measure of the expired-key cleanup, run by bench/cleanup-purge (not a test):
 * keyed-upload throughput of a writer without a purge, then the same writer while the cleanup
 * job deletes the expired keys already in the database, and the job's own deletion rate.
 *
 * <p>Usage: CleanupBenchmark BASE_URL HMAC_SECRET THREADS BASELINE_SECONDS OUT_DIR
 */
public class CleanupBenchmark {

  private static final java.util.function.IntFunction<String> FRESH_KEY =
      i -> UUID.randomUUID().toString();

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String secret = args[1];
    int threads = Integer.parseInt(args[2]);
    int baselineSeconds = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    HttpClient client = Load.client();
    String device = Load.jwt(secret, "bench-device-" + UUID.randomUUID(), "locations:write");
    String admin = Load.jwt(secret, "bench-admin", "admin");
    String uploads = base + "/api/v1/locations";

    // Warm-up: the JIT and the pools, not measured.
    Load.run(client, uploads, device, threads, Load.forSeconds(5), FRESH_KEY, "warm-up");
    Load.Phase baseline = Load.run(client, uploads, device, threads,
        Load.forSeconds(baselineSeconds), FRESH_KEY, "writer alone");

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
    Load.Phase during = Load.run(client, uploads, device, threads, jobDone::get, FRESH_KEY,
        "writer during purge");
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
}
