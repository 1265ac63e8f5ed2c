package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.adapters.postgres.TestPostgres;
import dev.waymark.adapters.redis.TestRedis;
import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database failing under the service, through a {@link TcpProxy} between the two: stopped
 * and restarted under load, slow, black-holed, and requests cancelled at random points. Each
 * fault ends with the same audit: every upload ever answered 200 is stored exactly once, no
 * pooled connection leaked, no session left idle in a transaction. Run once per key store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseFaults {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** Longer than any request may take, short enough that a test can outwait it. */
  static final Duration LEASE = Duration.ofSeconds(4);
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
  static final Pattern PROCESSED = Pattern.compile("\"processedCount\":(\\d+)");
  static final Pattern DUPLICATES = Pattern.compile("\"duplicateCount\":(\\d+)");

  final TestPostgres.Database database = EndToEndTest.DATABASE;
  TcpProxy proxy;
  ConfigurableApplicationContext service;
  HttpLoad http;
  String applicationName;
  String device;
  String token;

  /** {@code postgres} or {@code redis}. */
  abstract String store();

  @BeforeAll
  void startService() {
    proxy = TcpProxy.to(database.host(), database.port());
    applicationName = "waymark-faults-" + store();
    service = new SpringApplicationBuilder(WaymarkApplication.class).run("--server.port=0",
        "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + proxy.port() + "/"
            + database.name() + "?applicationName=" + applicationName,
        "--spring.r2dbc.username=" + database.user(),
        "--spring.r2dbc.password=" + database.password(),
        "--spring.datasource.url=" + database.jdbcUrl(),
        "--spring.datasource.username=" + database.user(),
        "--spring.datasource.password=" + database.password(),
        "--waymark.security.jwt.hmac-secret=" + TestTokens.SECRET,
        "--waymark.cleanup.enabled=false",
        "--waymark.idempotency.store=" + store(),
        "--waymark.idempotency.request-timeout=" + REQUEST_TIMEOUT,
        "--waymark.idempotency.lease=" + LEASE,
        "--waymark.postgres.lock-timeout=PT1S",
        "--waymark.postgres.idle-in-transaction-timeout=PT2S",
        "--spring.data.redis.host=" + TestRedis.shared().host(),
        "--spring.data.redis.port=" + TestRedis.shared().port());
    http = new HttpLoad(Integer.parseInt(
        service.getEnvironment().getProperty("local.server.port")));
  }

  @AfterAll
  void stopService() {
    service.close();
    proxy.close();
  }

  @BeforeEach
  void newDevice() {
    device = "faults-" + store() + "-" + System.nanoTime();
    token = TestTokens.device(device);
  }

  @AfterEach
  void healNetwork() {
    proxy.restore();
  }

  @Test
  void aDatabaseOutageUnderLoadIsAnswered503PromptlyAndTheServiceRecoversByItself()
      throws Exception {
    Ledger ledger = new Ledger();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService devices = Executors.newFixedThreadPool(8);
    List<Future<?>> work = new ArrayList<>();
    for (int d = 0; d < 8; d++) {
      int deviceNumber = d;
      work.add(devices.submit(() -> uploadUntilStopped(deviceNumber, ledger, running)));
    }
    awaitTrue(Duration.ofSeconds(20), () -> ledger.acknowledged.size() >= 20);

    Instant cut = Instant.now();
    proxy.cut();
    Thread.sleep(5_000);
    boolean livenessUpDuringOutage =
        http.get("/actuator/health/liveness", CLIENT_TIMEOUT).status() == 200;
    int readinessDuringOutage =
        http.get("/actuator/health/readiness", CLIENT_TIMEOUT).status();
    Instant restored = Instant.now();
    proxy.restore();
    awaitTrue(Duration.ofSeconds(30), () -> ledger.firstOkAfter(restored).isPresent());
    Thread.sleep(2_000);
    running.set(false);
    for (Future<?> device : work) {
      device.get();
    }
    devices.shutdown();

    // Answers wholly inside the outage (a second of grace for requests already running).
    List<HttpLoad.Answer> duringOutage = ledger.answers.stream()
        .filter(a -> a.sent().isAfter(cut.plusSeconds(1)) && a.answered().isBefore(restored))
        .toList();
    assertThat(duringOutage).as("requests answered during the outage").hasSizeGreaterThan(10);
    assertThat(duringOutage).allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.retryAfter()).isPresent();
      assertThat(answer.contentType()).hasValue("application/problem+json");
      assertThat(answer.took()).as("no request hangs")
          .isLessThan(REQUEST_TIMEOUT.plusSeconds(2));
    });
    assertThat(ledger.answers).allSatisfy(answer -> assertThat(answer.status())
        .as("only 200, 503 or (a retry racing its own lost attempt) 409")
        .isIn(200, 409, 503));
    assertThat(livenessUpDuringOutage).as("liveness stays UP while the database is down").isTrue();
    assertThat(readinessDuringOutage).as("readiness reports the database down").isEqualTo(503);
    Duration recovery = Duration.between(restored, ledger.firstOkAfter(restored).orElseThrow());
    assertThat(recovery).as("recovers by itself").isLessThan(Duration.ofSeconds(15));
    System.out.printf("[faults/%s] outage: %d requests answered 503 in %.1f s (slowest %d ms);"
            + " first 200 %d ms after the database returned; %d uploads acknowledged%n",
        store(), duringOutage.size(), Duration.between(cut, restored).toMillis() / 1000.0,
        duringOutage.stream().mapToLong(a -> a.took().toMillis()).max().orElse(0),
        recovery.toMillis(), ledger.acknowledged.size());

    auditExactlyOnce(ledger);
    auditNoLeaks();
  }

  @Test
  void aSlowDatabaseOnlySlowsUploadsAndABlackHoledOneFailsThemWithinTheTimeout()
      throws Exception {
    String completedKey = "done-before";
    assertThat(upload(completedKey, points("done", 1)).status()).isEqualTo(200);

    proxy.delay(Duration.ofMillis(100));
    HttpLoad.Answer slow = upload("slow", points("slow", 2));
    assertThat(slow.status()).as("a slow database still stores").isEqualTo(200);

    proxy.blackHole();
    HttpLoad.Answer held = upload("held", points("held", 2));
    assertThat(held.status()).isEqualTo(503);
    assertThat(held.retryAfter()).isPresent();
    assertThat(held.took()).as("failed within the request timeout, not held by the network")
        .isLessThan(REQUEST_TIMEOUT.plusSeconds(2));
    HttpLoad.Answer liveness = http.get("/actuator/health/liveness", CLIENT_TIMEOUT);
    assertThat(liveness.status()).as("the service itself stays healthy").isEqualTo(200);
    HttpLoad.Answer invalid = upload("bad", "{\"locations\":[]}");
    assertThat(invalid.status()).as("requests that need no database are answered")
        .isEqualTo(400);
    HttpLoad.Answer replay = upload(completedKey, points("done", 1));
    if (store().equals("redis")) {
      // Replays are read from Redis alone: they proceed while PostgreSQL is unreachable.
      assertThat(replay.status()).isEqualTo(200);
      assertThat(replay.took()).isLessThan(Duration.ofSeconds(1));
    } else {
      assertThat(replay.status()).isEqualTo(503);
    }
    System.out.printf("[faults/%s] slow database: keyed upload %d ms at +100 ms per packet;"
            + " black-holed: 503 after %d ms, liveness %d, 400 in %d ms, replay %d in %d ms%n",
        store(), slow.took().toMillis(), held.took().toMillis(), liveness.status(),
        invalid.took().toMillis(), replay.status(), replay.took().toMillis());

    proxy.heal();
    awaitTrue(Duration.ofSeconds(20), () -> upload("after", points("after", 2)).status() == 200);
    List<Future<HttpLoad.Answer>> burst = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    for (int i = 0; i < 40; i++) {
      String key = "burst-" + i;
      burst.add(clients.submit(() -> upload(key, points(key, 2))));
    }
    for (Future<HttpLoad.Answer> answer : burst) {
      assertThat(answer.get().status()).as("no connection lost to the black hole").isEqualTo(200);
    }
    clients.shutdown();
    awaitTrue(Duration.ofSeconds(20), () -> upload("held", points("held", 2)).status() == 200);
    assertThat(storedPoints()).isEqualTo(1 + 2 + 2 + 2 + 40 * 2);
    auditNoLeaks();
  }

  @Test
  void connectionsBlackHoledMidLifeDoNotStopUploadsOnFreshOnes() throws Exception {
    int before = proxy.openConnections();
    for (int i = 0; i < 10; i++) {
      assertThat(upload("warm-" + i, points("warm-" + i, 1)).status()).isEqualTo(200);
    }
    assertThat(proxy.openConnections()).as("healthy connections are reused, not replaced")
        .isLessThanOrEqualTo(Math.max(before, 2));
    int frozen = proxy.openConnections();
    proxy.blackHoleOpenConnections();
    int failed = 0;
    int stored = 0;
    for (int i = 0; i < 10; i++) {
      String key = "after-freeze-" + i;
      HttpLoad.Answer answer = upload(key, points(key, 1));
      while (answer.status() != 200) {
        if (answer.status() == 409) {
          // The Redis claim of the request stuck on a black-holed connection holds the key
          // until its lease ends; then the retry takes it over.
          assertThat(store()).isEqualTo("redis");
          Thread.sleep(500);
          answer = upload(key, points(key, 1));
          continue;
        }
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.took()).isLessThan(REQUEST_TIMEOUT.plusSeconds(2));
        failed++;
        assertThat(failed).as("each black-holed connection fails at most one request")
            .isLessThanOrEqualTo(frozen);
        answer = upload(key, points(key, 1));
      }
      stored++;
    }
    System.out.printf("[faults/%s] %d open connections black-holed: %d uploads failed within"
        + " the timeout, then fresh connections served all %d%n", store(), frozen, failed,
        stored);
    proxy.heal();
    assertThat(storedPoints()).isEqualTo(10 + stored);
    auditNoLeaks();
  }

  @Test
  void aStormOfCancelledRequestsLeaksNothingAndLeavesEveryKeyWholeOrAbsent() throws Exception {
    // A little latency spreads each request over claim, insert and completion, so the
    // cancellations land at every step.
    proxy.delay(Duration.ofMillis(3));
    int requests = 300;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<?>> storm = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String key = "storm-" + i;
      storm.add(clients.submit(() -> {
        sendAndHangUp(key, points(key, 3), ThreadLocalRandom.current().nextInt(0, 150));
        return null;
      }));
    }
    for (Future<?> request : storm) {
      request.get();
    }
    clients.shutdown();
    proxy.heal();
    auditNoLeaks();

    int complete = 0;
    int absent = 0;
    for (int i = 0; i < requests; i++) {
      String key = "storm-" + i;
      long rows = storedPoints(key + "-");
      Optional<String> state = keyState(key);
      assertThat(state).as("no claim is left unfinished: %s", key)
          .satisfiesAnyOf(s -> assertThat(s).isEmpty(), s -> assertThat(s).hasValue("COMPLETED"));
      if (state.isEmpty()) {
        absent++;
        assertThat(rows).as("an absent key has no locations: %s", key).isZero();
      } else {
        complete++;
        assertThat(rows).as("a complete key has all its locations: %s", key).isEqualTo(3);
      }
    }
    System.out.printf("[faults/%s] %d requests hung up after 0-150 ms: %d keys complete with"
        + " their locations, %d absent with none%n", store(), requests, complete, absent);
    assertThat(complete).as("uploads whose caller hung up still finish").isPositive();

    // Every phone retries: each key ends stored exactly once with the right counts.
    for (int i = 0; i < requests; i++) {
      String key = "storm-" + i;
      HttpLoad.Answer retry = upload(key, points(key, 3));
      assertThat(retry.status()).as(key).isEqualTo(200);
      assertThat(count(PROCESSED, retry.body())).as(key).isEqualTo(3);
      assertThat(storedPoints(key + "-")).as(key).isEqualTo(3);
    }
    auditNoLeaks();
  }

  // ---------------------------------------------------------------------------------------

  /** What the simulated devices were told: every answer, and the first 200 of each key. */
  static final class Ledger {
    final List<HttpLoad.Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, HttpLoad.Answer> acknowledged = new ConcurrentHashMap<>();

    Optional<Instant> firstOkAfter(Instant instant) {
      synchronized (answers) {
        return answers.stream().filter(a -> a.status() == 200 && a.sent().isAfter(instant))
            .map(HttpLoad.Answer::answered).min(Instant::compareTo);
      }
    }
  }

  private Void uploadUntilStopped(int deviceNumber, Ledger ledger, AtomicBoolean running)
      throws Exception {
    AtomicInteger sequence = new AtomicInteger();
    while (running.get()) {
      String key = "load-" + deviceNumber + "-" + sequence.incrementAndGet();
      String body = points(key, 5);
      while (true) {
        HttpLoad.Answer answer = upload(key, body);
        ledger.answers.add(answer);
        if (answer.status() == 200) {
          ledger.acknowledged.put(key, answer);
          break;
        }
        Thread.sleep(100);
      }
    }
    return null;
  }

  private void auditExactlyOnce(Ledger ledger) {
    long processed = 0;
    for (var entry : ledger.acknowledged.entrySet()) {
      String key = entry.getKey();
      String body = entry.getValue().body();
      assertThat(storedPoints(key + "-")).as("acknowledged %s stored exactly once", key)
          .isEqualTo(5);
      assertThat(count(PROCESSED, body) + count(DUPLICATES, body)).isEqualTo(5);
      processed += count(PROCESSED, body);
    }
    assertThat(storedPoints()).as("nothing stored that no one was told about")
        .isEqualTo(5L * ledger.acknowledged.size());
    assertThat(processed).as("every point counted as processed exactly once")
        .isEqualTo(storedPoints());
  }

  /** No connection is still borrowed from the pool, no session idles inside a transaction. */
  private void auditNoLeaks() throws Exception {
    ConnectionPool pool = (ConnectionPool) service.getBean(ConnectionFactory.class);
    System.out.printf("[faults/%s] audit: %d connections borrowed, %d sessions idle in"
        + " transaction%n", store(), pool.getMetrics().orElseThrow().acquiredSize(),
        sessionsIdleInTransaction());
    awaitTrue(Duration.ofSeconds(15),
        () -> pool.getMetrics().orElseThrow().acquiredSize() == 0);
    awaitTrue(Duration.ofSeconds(15), () -> sessionsIdleInTransaction() == 0);
  }

  private long sessionsIdleInTransaction() {
    return query("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
        + " AND state LIKE 'idle in transaction%'", applicationName);
  }

  private String describeKey(String key) {
    try (Connection connection = database.openJdbc();
        var statement = connection.prepareStatement("SELECT state, created_at, expires_at,"
            + " fencing_token, now() FROM idempotency_keys WHERE key_hash = ?")) {
      statement.setBytes(1, KeyHash.of(new Principal(device), new IdempotencyKey(key)).bytes());
      ResultSet result = statement.executeQuery();
      return result.next() ? result.getString(1) + " created " + result.getString(2)
          + " expires " + result.getString(3) + " token " + result.getLong(4) + " now "
          + result.getString(5) : "(not in PostgreSQL)";
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<String> keyState(String key) {
    return KeyStoreFixture.of(service, database)
        .state(KeyHash.of(new Principal(device), new IdempotencyKey(key)));
  }

  HttpLoad.Answer upload(String key, String body) {
    try {
      return http.post("/api/v1/locations/batch", token, key, body, CLIENT_TIMEOUT);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends an upload over a raw socket and resets the connection after a while. */
  private void sendAndHangUp(String key, String body, int afterMillis) throws Exception {
    int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST /api/v1/locations/batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + token + "\r\nIdempotency-Key: " + key + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      Thread.sleep(afterMillis);
      socket.setSoLinger(true, 0); // close with a reset, as a phone losing its radio does
    }
  }

  static String points(String prefix, int count) {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        items.append(',');
      }
      items.append(EndToEndTest.location(prefix + "-" + i, 10 + i * 0.001));
    }
    return "{\"locations\":[" + items + "]}";
  }

  static long count(Pattern pattern, String body) {
    Matcher matcher = pattern.matcher(body);
    assertThat(matcher.find()).as("%s in %s", pattern, body).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  long storedPoints() {
    return query("SELECT count(*) FROM locations WHERE principal = ?", device);
  }

  long storedPoints(String idPrefix) {
    return query("SELECT count(*) FROM locations WHERE principal = ? AND point_id LIKE ?",
        device, idPrefix + "%");
  }

  long query(String sql, Object... parameters) {
    try (Connection connection = database.openJdbc();
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      ResultSet result = statement.executeQuery();
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void awaitTrue(Duration within, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("condition not met within %s", within).isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
