package dev.waymark.adapters.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.waymark.adapters.testkit.DockerEngine;
import org.testcontainers.containers.GenericContainer;

/**
 * The real Redis tests run against, found once per JVM: {@code WAYMARK_TEST_REDIS_URL}
 * (redis://host:port), else a Testcontainers Redis where Docker answers, else the server on
 * 127.0.0.1:6379 if it answers PING, else a {@code redis-server} started from the PATH. With
 * none, it throws: tests that need Redis fail, they are never skipped. Also starts private
 * servers for tests that stop and restart Redis.
 */
public final class TestRedis {

  private static Endpoint shared;

  private TestRedis() {}

  /** Where a Redis server listens. */
  public record Endpoint(String host, int port, String origin) {
    public String url() {
      return "redis://" + host + ":" + port;
    }
  }

  public static synchronized Endpoint shared() {
    if (shared == null) {
      List<String> tried = new ArrayList<>();
      shared = configured(tried)
          .or(() -> container(tried))
          .or(() -> local(tried))
          .or(() -> {
            try {
              Process process = startServer(freePort());
              Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
              return Optional.of(new Endpoint("127.0.0.1", portOf(process), "redis-server"));
            } catch (IOException | RuntimeException e) {
              tried.add("redis-server from the PATH (" + e + ")");
              return Optional.empty();
            }
          })
          .orElseThrow(() -> new IllegalStateException("No Redis for the tests. Tried: "
              + String.join("; ", tried) + ". Set WAYMARK_TEST_REDIS_URL or install redis-server."));
    }
    return shared;
  }

  /** A private redis-server on {@code port} (0: any free port); the caller stops it. */
  public static Process startServer(int port) throws IOException {
    int chosen = port == 0 ? freePort() : port;
    Path dir = Files.createTempDirectory("waymark-test-redis");
    Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(chosen),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    PORTS.put(process, chosen);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (answersPing("127.0.0.1", chosen)) {
        return process;
      }
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: see " + dir.resolve("redis.log"));
      }
      sleep(50);
    }
    process.destroy();
    throw new IOException("redis-server did not answer on port " + chosen);
  }

  private static final java.util.Map<Process, Integer> PORTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static int portOf(Process server) {
    return PORTS.get(server);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Optional<Endpoint> configured(List<String> tried) {
    String url = System.getenv("WAYMARK_TEST_REDIS_URL");
    if (url == null || url.isBlank()) {
      tried.add("no configured server (WAYMARK_TEST_REDIS_URL unset)");
      return Optional.empty();
    }
    var uri = java.net.URI.create(url);
    return Optional.of(new Endpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(),
        "configuration"));
  }

  @SuppressWarnings("resource")
  private static Optional<Endpoint> container(List<String> tried) {
    if (!DockerEngine.available()) {
      tried.add("Testcontainers (no Docker engine answered)");
      return Optional.empty();
    }
    GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
    redis.start();
    Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
    return Optional.of(new Endpoint(redis.getHost(), redis.getMappedPort(6379),
        "Testcontainers"));
  }

  private static Optional<Endpoint> local(List<String> tried) {
    if (answersPing("127.0.0.1", 6379)) {
      return Optional.of(new Endpoint("127.0.0.1", 6379, "this machine's server"));
    }
    tried.add("127.0.0.1:6379 (no answer)");
    return Optional.empty();
  }

  static boolean answersPing(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[7];
      int read = socket.getInputStream().read(reply);
      return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
