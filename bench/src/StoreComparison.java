import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * One key store's figures for bench/store-compare: keyed first-request throughput (a fresh key
 * per request) and replay throughput and latency (a fixed set of keys sent again and again).
 *
 * <p>Usage: StoreComparison STORE_NAME BASE_URL HMAC_SECRET THREADS SECONDS OUT_DIR
 */
public class StoreComparison {

  public static void main(String[] args) throws Exception {
    String store = args[0];
    String uploads = args[1] + "/api/v1/locations";
    String secret = args[2];
    int threads = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    Path out = Path.of(args[5]);
    HttpClient client = Load.client();
    String device = Load.jwt(secret, "bench-" + store + "-" + UUID.randomUUID(),
        "locations:write");
    IntFunction<String> fresh = i -> UUID.randomUUID().toString();

    Load.run(client, uploads, device, threads, Load.forSeconds(5), fresh, "warm-up");
    Load.Phase keyed = Load.run(client, uploads, device, threads, Load.forSeconds(seconds),
        fresh, "keyed first requests");
    // 256 keys, stored once each, then replayed round-robin by every thread.
    String prefix = "replay-" + UUID.randomUUID() + "-";
    java.util.concurrent.atomic.AtomicInteger seeded = new java.util.concurrent.atomic.AtomicInteger();
    Load.run(client, uploads, device, 1, () -> seeded.get() >= 256, i -> {
      seeded.incrementAndGet();
      return prefix + i;
    }, "seed replays");
    Load.run(client, uploads, device, threads, Load.forSeconds(3), i -> prefix + (i % 256),
        "replay warm-up");
    Load.Phase replay = Load.run(client, uploads, device, threads, Load.forSeconds(seconds),
        i -> prefix + (i % 256), "replays");

    String row = String.format("| %s | %,.0f | %.1f / %.1f | %d | %,.0f | %.1f / %.1f | %d |",
        store, keyed.perSecond(), keyed.p50Ms(), keyed.p99Ms(), keyed.errors(),
        replay.perSecond(), replay.p50Ms(), replay.p99Ms(), replay.errors());
    System.out.println(row);
    Files.createDirectories(out);
    Files.writeString(out.resolve("store-" + store + ".md"), row + "\n");
    Files.writeString(out.resolve("store-" + store + ".json"), String.format(
        "{\"store\":\"%s\",\"keyedRps\":%.1f,\"keyedP50Ms\":%.2f,\"keyedP99Ms\":%.2f,"
            + "\"replayRps\":%.1f,\"replayP50Ms\":%.2f,\"replayP99Ms\":%.2f,\"threads\":%d,"
            + "\"seconds\":%d}%n", store, keyed.perSecond(), keyed.p50Ms(), keyed.p99Ms(),
        replay.perSecond(), replay.p50Ms(), replay.p99Ms(), threads, seconds));
  }
}
