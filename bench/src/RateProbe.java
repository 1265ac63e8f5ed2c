import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load at a fixed rate (keyed single uploads, fresh key each), for bench/run's "p99 at
 * half of peak": requests leave on schedule whether or not earlier ones came back, and latency
 * counts from the scheduled instant, so a stall shows up in the percentiles (no coordinated
 * omission).
 *
 * <p>Usage: RateProbe URL TOKEN RATE_PER_SECOND SECONDS
 */
public class RateProbe {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = args[1];
    double rate = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    HttpClient client = Load.client();
    // Warm-up at the same rate, discarded: the client opens its connections here, not in the
    // measured window.
    probe(client, url, token, rate, Math.min(5, seconds));
    System.out.println(probe(client, url, token, rate, seconds));
  }

  static String probe(HttpClient client, String url, String token, double rate, int seconds)
      throws Exception {
    long total = Math.round(rate * seconds);
    long intervalNanos = Math.round(1e9 / rate);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch((int) total);
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long scheduled = start + i * intervalNanos;
      long wait = scheduled - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      HttpRequest request = HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .header("Idempotency-Key", UUID.randomUUID().toString())
          .POST(HttpRequest.BodyPublishers.ofString(Load.POINT)).build();
      client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() == 200) {
              latencies.add(System.nanoTime() - scheduled);
            } else {
              errors.incrementAndGet();
            }
            done.countDown();
          });
    }
    done.await(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return String.format("rate=%.0f achieved=%.0f p50=%.2f p99=%.2f errors=%d", rate,
        sorted.size() / elapsed, Load.percentile(sorted, 0.50), Load.percentile(sorted, 0.99),
        errors.get());
  }
}
