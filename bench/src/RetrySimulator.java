import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mobile retry simulator (issue 6): N devices record points and upload them in batches over a
 * link that loses requests and responses at random. A device retries the same batch with the
 * same Idempotency-Key (exponential backoff with full jitter, at least the Retry-After it was
 * given) until it is answered 200; some "crash" instead and, as real apps do after a restart,
 * re-batch their pending points under a new key. Runs for a bounded time, then drains every
 * device's pending points, and writes what each device believes it uploaded (and everything it
 * ever generated) for bench/retry-sim to reconcile with the database.
 *
 * <p>Usage: RetrySimulator BASE_URL SECRET RUN_ID DEVICES SECONDS OUT_DIR
 */
public class RetrySimulator {

  static final double DROP_REQUEST = 0.10;   // lost before reaching the service
  static final double DROP_RESPONSE = 0.10;  // processed, the answer lost on the way back
  static final double CUT_MID_FLIGHT = 0.05; // the client gives up after a few milliseconds
  static final double CRASH = 0.02;          // the app dies with a batch in flight
  static final int MAX_BATCH = 100;
  static final Pattern PROCESSED = Pattern.compile("\"processedCount\":(\\d+)");
  static final Pattern DUPLICATES = Pattern.compile("\"duplicateCount\":(\\d+)");

  final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  final URI batchUri;
  final String secret;
  final String runId;
  final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  final List<String> acknowledged = new ArrayList<>(); // device,pointId
  final List<String> generated = new ArrayList<>();    // device,pointId
  final List<String> answers = new ArrayList<>();      // device,key,processed,duplicates,size

  RetrySimulator(String baseUrl, String secret, String runId) {
    this.batchUri = URI.create(baseUrl + "/api/v1/locations/batch");
    this.secret = secret;
    this.runId = runId;
  }

  public static void main(String[] args) throws Exception {
    RetrySimulator simulator = new RetrySimulator(args[0], args[1], args[2]);
    int devices = Integer.parseInt(args[3]);
    Duration duration = Duration.ofSeconds(Long.parseLong(args[4]));
    Path out = Path.of(args[5]);
    Instant stopRecording = Instant.now().plus(duration);
    List<Thread> threads = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      Device device = simulator.new Device("sim-" + simulator.runId + "-" + d, stopRecording);
      Thread thread = new Thread(device::run, device.name);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Files.createDirectories(out);
    write(out.resolve("acknowledged.csv"), simulator.acknowledged);
    write(out.resolve("generated.csv"), simulator.generated);
    write(out.resolve("answers.csv"), simulator.answers);
    Map<String, Long> summary = new TreeMap<>();
    simulator.counters.forEach((name, value) -> summary.put(name, value.get()));
    StringBuilder json = new StringBuilder("{");
    summary.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
        .append('"').append(name).append("\":").append(value));
    Files.writeString(out.resolve("simulator.json"), json.append("}\n").toString());
    summary.forEach((name, value) -> System.out.printf("%-28s %d%n", name, value));
  }

  static void write(Path file, List<String> lines) throws IOException {
    synchronized (lines) {
      try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file))) {
        lines.forEach(writer::println);
      }
    }
  }

  void count(String name) {
    counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
  }

  /** One phone: records points, uploads them, retries, sometimes crashes. */
  final class Device {
    final String name;
    final String token;
    final Instant stopRecording;
    final List<String> pending = new ArrayList<>();
    int nextPoint;
    int nextKey;

    Device(String name, Instant stopRecording) {
      this.name = name;
      this.stopRecording = stopRecording;
      try {
        this.token = Load.jwt(secret, name, "locations:write");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void run() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Instant drainDeadline = stopRecording.plusSeconds(120);
      while (true) {
        boolean recording = Instant.now().isBefore(stopRecording);
        if (recording) {
          record(1 + random.nextInt(30));
        } else if (pending.isEmpty()) {
          return;
        }
        if (Instant.now().isAfter(drainDeadline)) {
          count("devices-gave-up-draining");
          return;
        }
        List<String> batch = new ArrayList<>(pending.subList(0, Math.min(MAX_BATCH,
            pending.size())));
        String key = name + "-k" + nextKey++;
        uploadUntilAnswered(key, batch, random);
        sleep(random.nextInt(50, 400)); // the app's upload interval
      }
    }

    void record(int points) {
      for (int i = 0; i < points; i++) {
        String id = "p" + nextPoint++;
        pending.add(id);
        synchronized (generated) {
          generated.add(name + "," + id);
        }
      }
    }

    /** One batch under one key, until a 200 or a crash (then the points stay pending). */
    void uploadUntilAnswered(String key, List<String> batch, ThreadLocalRandom random) {
      String body = body(batch);
      for (int attempt = 0; ; attempt++) {
        if (random.nextDouble() < CRASH) {
          // The app dies; after its restart it re-batches what is pending under a new key.
          count("crashes-rebatched-under-new-key");
          return;
        }
        count("attempts");
        long waitMillis = backoff(attempt, random);
        if (random.nextDouble() < DROP_REQUEST) {
          count("requests-dropped-by-the-link");
          sleep(waitMillis);
          continue;
        }
        HttpResponse<String> response;
        try {
          boolean cut = random.nextDouble() < CUT_MID_FLIGHT;
          HttpRequest request = HttpRequest.newBuilder(batchUri)
              .timeout(cut ? Duration.ofMillis(1 + random.nextInt(30)) : Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build();
          response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
          count("requests-cut-mid-flight");
          sleep(waitMillis);
          continue;
        } catch (IOException e) {
          count("connection-errors");
          sleep(waitMillis);
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (random.nextDouble() < DROP_RESPONSE) {
          count("responses-dropped-by-the-link");
          sleep(waitMillis);
          continue;
        }
        int status = response.statusCode();
        count("answered-" + status);
        if (status == 200) {
          boolean replayed = response.headers().firstValue("Idempotent-Replayed").isPresent();
          count(replayed ? "batches-acknowledged-by-replay" : "batches-acknowledged-first-time");
          long processed = number(PROCESSED, response.body());
          long duplicates = number(DUPLICATES, response.body());
          if (processed + duplicates != batch.size()) {
            count("answers-with-wrong-counts");
          }
          synchronized (answers) {
            answers.add(name + "," + key + "," + processed + "," + duplicates + ","
                + batch.size());
          }
          synchronized (acknowledged) {
            batch.forEach(id -> acknowledged.add(name + "," + id));
          }
          pending.removeAll(batch);
          return;
        }
        if (status == 409 || status == 503) {
          long retryAfter = response.headers().firstValue("Retry-After")
              .map(Long::parseLong).orElse(0L) * 1000;
          sleep(Math.max(waitMillis, retryAfter));
          continue;
        }
        // Anything else for an unchanged batch is a service fault: record it and give up the key
        // (the points stay pending and go again under a new key).
        count("unexpected-" + status);
        return;
      }
    }

    /** Exponential backoff with full jitter: 50 ms doubling up to 2 s. */
    long backoff(int attempt, ThreadLocalRandom random) {
      long cap = Math.min(2_000, 50L << Math.min(attempt, 6));
      return random.nextLong(cap + 1);
    }

    String body(List<String> batch) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      StringBuilder json = new StringBuilder("{\"locations\":[");
      for (int i = 0; i < batch.size(); i++) {
        json.append(i > 0 ? "," : "").append("{\"id\":\"").append(batch.get(i))
            .append("\",\"latitude\":").append(48 + random.nextDouble())
            .append(",\"longitude\":").append(2 + random.nextDouble())
            .append(",\"accuracy\":5.0,\"timestamp\":\"").append(Instant.now().minusSeconds(1))
            .append("\",\"provider\":\"gps\"}");
      }
      return json.append("]}").toString();
    }
  }

  static long number(Pattern pattern, String body) {
    Matcher matcher = pattern.matcher(body);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
