package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.Principal;
import dev.waymark.domain.idempotency.IdempotencyKey;
import dev.waymark.domain.idempotency.KeyHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.batch.autoconfigure.BatchTransactionManager;
import org.springframework.http.MediaType;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.transaction.PlatformTransactionManager;

/** The expired-key cleanup job over HTTP: trigger, poll, history, exclusivity, failure. */
class CleanupEndToEndTest extends EndToEndTest {

  static final String CLEANUP = "/api/v1/admin/idempotency-keys/cleanup";
  static final String SLOW_DELETES = """
      CREATE OR REPLACE FUNCTION waymark_test_slow_delete() RETURNS trigger AS $$
      BEGIN PERFORM pg_sleep(1.5); RETURN NULL; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER waymark_test_slow_delete BEFORE DELETE ON idempotency_keys
        FOR EACH STATEMENT EXECUTE FUNCTION waymark_test_slow_delete();""";

  @Autowired JobRepository jobRepository;
  @Autowired @BatchTransactionManager PlatformTransactionManager batchTransactionManager;
  @Autowired List<ScheduledTaskHolder> schedules;

  String adminToken;

  @BeforeEach
  void startClean() throws SQLException {
    adminToken = TestTokens.admin("operator-" + device);
    dropTriggers();
    // Other tests leave expired keys behind: clear them so each test counts only its own. A
    // run an earlier test started may still be going (409 names it): let it end first.
    var first = trigger().expectBody(Map.class).returnResult();
    if (first.getStatus().value() == 409) {
      awaitEnd(first.getResponseBody().get("executionId"));
      first = trigger().expectBody(Map.class).returnResult();
    }
    assertThat(first.getStatus().value()).isEqualTo(202);
    awaitEnd(first.getResponseBody().get("executionId"));
  }

  @AfterEach
  void dropTriggers() throws SQLException {
    try (Connection connection = jdbc()) {
      connection.createStatement().execute("""
          DROP TRIGGER IF EXISTS waymark_test_slow_delete ON idempotency_keys;
          DROP TRIGGER IF EXISTS waymark_test_failing_delete ON idempotency_keys;""");
    }
  }

  @Test
  void springBatchUsesTheJdbcJobRepositoryAndTheJdbcTransactionManager() {
    assertThat(jobRepository).isNotInstanceOf(ResourcelessJobRepository.class);
    assertThat(batchTransactionManager).isInstanceOf(JdbcTransactionManager.class);
    long id = startedExecutionId();
    awaitEnd(id);
    assertThat(count("SELECT count(*) FROM batch_job_execution WHERE job_execution_id = ?"
        + " AND status = 'COMPLETED'", id)).isEqualTo(1);
  }

  @Test
  void theCleanupDeletesExpiredKeysKeepsTheRestAndReportsTheCount() throws SQLException {
    String point = location(null, 1);
    single("old-1", point).expectStatus().isOk();
    single("old-2", point).expectStatus().isOk();
    single("fresh", point).expectStatus().isOk();
    expire("old-1");
    expire("old-2");

    var accepted = trigger().expectStatus().isAccepted()
        .expectHeader().value("Location", location -> assertThat(location)
            .matches(".*" + CLEANUP + "/\\d+"))
        .expectBody(Map.class).returnResult();
    Map<?, ?> body = accepted.getResponseBody();
    long id = ((Number) body.get("executionId")).longValue();
    assertThat((String) body.get("status")).isIn("STARTING", "STARTED", "COMPLETED");
    assertThat(accepted.getResponseHeaders().getLocation().getPath())
        .isEqualTo(CLEANUP + "/" + id);

    Map<?, ?> done = awaitEnd(id);
    assertThat(done.get("status")).isEqualTo("COMPLETED");
    assertThat(done.get("exitCode")).isEqualTo("COMPLETED");
    assertThat(((Number) done.get("deletedCount")).longValue()).isEqualTo(2);
    assertThat(Instant.parse((String) done.get("startTime")))
        .isBeforeOrEqualTo(Instant.parse((String) done.get("endTime")));
    assertThat(keyRows("old-1") + keyRows("old-2")).isZero();
    assertThat(keyRows("fresh")).isEqualTo(1);

    single("fresh", point).expectStatus().isOk()
        .expectHeader().valueEquals("Idempotent-Replayed", "true");
    single("old-1", point).expectStatus().isOk()
        .expectHeader().doesNotExist("Idempotent-Replayed");

    http.get().uri(CLEANUP).headers(h -> h.setBearerAuth(adminToken)).exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.executions[0].executionId").isEqualTo(id)
        .jsonPath("$.executions[0].deletedCount").isEqualTo(2)
        .jsonPath("$.executions.length()").value(n -> assertThat((Integer) n).isBetween(2, 20));
  }

  @Test
  void theHistoryIsNewestFirst() {
    long first = startedExecutionId();
    awaitEnd(first);
    long second = startedExecutionId();
    awaitEnd(second);
    http.get().uri(CLEANUP).headers(h -> h.setBearerAuth(adminToken)).exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.executions[0].executionId").isEqualTo(second)
        .jsonPath("$.executions[1].executionId").isEqualTo(first);
  }

  @Test
  void onlyAdminsMayUseTheCleanupEndpoints() {
    http.post().uri(CLEANUP).exchange().expectStatus().isUnauthorized()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.post().uri(CLEANUP).headers(h -> h.setBearerAuth(deviceToken)).exchange()
        .expectStatus().isForbidden();
    http.get().uri(CLEANUP + "/1").headers(h -> h.setBearerAuth(deviceToken)).exchange()
        .expectStatus().isForbidden();
    http.get().uri(CLEANUP).exchange().expectStatus().isUnauthorized();
  }

  @Test
  void anUnknownExecutionIs404() {
    http.get().uri(CLEANUP + "/987654321").headers(h -> h.setBearerAuth(adminToken)).exchange()
        .expectStatus().isNotFound()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.detail").isNotEmpty();
    http.get().uri(CLEANUP + "/abc").headers(h -> h.setBearerAuth(adminToken)).exchange()
        .expectStatus().isBadRequest();
  }

  @Test
  void ofTriggersReleasedTogetherExactlyOneRunsAndTheOthersGet409WithItsId() throws Exception {
    insertExpiredKeys(10);
    slowDownDeletes();
    List<HttpResponse<String>> responses =
        triggersReleasedTogether(java.util.Collections.nCopies(6, port));
    List<HttpResponse<String>> started =
        responses.stream().filter(r -> r.statusCode() == 202).toList();
    assertThat(started).hasSize(1);
    long runningId = ((Number) new tools.jackson.databind.ObjectMapper()
        .readValue(started.get(0).body(), Map.class).get("executionId")).longValue();
    assertThat(responses.stream().filter(r -> r.statusCode() == 409)).hasSize(5)
        .allSatisfy(conflict -> {
          assertThat(conflict.headers().firstValue("Content-Type")).contains(
              "application/problem+json");
          assertThat(conflict.body()).contains("\"executionId\":" + runningId)
              .contains("\"status\":409");
        });
    awaitEnd(runningId);
  }

  @Test
  void twoInstancesSharingTheDatabaseRunOneCleanupAtATime() throws Exception {
    insertExpiredKeys(10);
    slowDownDeletes();
    try (var secondInstance = new org.springframework.boot.builder.SpringApplicationBuilder(
        WaymarkApplication.class).run("--server.port=0",
            "--spring.r2dbc.url=" + DATABASE.r2dbcUrl(),
            "--spring.r2dbc.username=" + DATABASE.user(),
            "--spring.r2dbc.password=" + DATABASE.password(),
            "--waymark.security.jwt.hmac-secret=" + TestTokens.SECRET,
            "--waymark.cleanup.enabled=false")) {
      int otherPort = Integer.parseInt(
          secondInstance.getEnvironment().getProperty("local.server.port"));
      List<HttpResponse<String>> responses = triggersReleasedTogether(
          List.of(port, otherPort, port, otherPort, port, otherPort));
      List<HttpResponse<String>> started =
          responses.stream().filter(r -> r.statusCode() == 202).toList();
      assertThat(started).hasSize(1);
      long runningId = ((Number) new tools.jackson.databind.ObjectMapper()
          .readValue(started.get(0).body(), Map.class).get("executionId")).longValue();
      assertThat(responses.stream().filter(r -> r.statusCode() == 409)).hasSize(5)
          .allSatisfy(conflict -> assertThat(conflict.body())
              .contains("\"executionId\":" + runningId));
      awaitEnd(runningId);
    }
  }

  @Test
  void aFailedRunEndsFailedWithItsReasonAndTheNextRunFinishesTheWork() throws SQLException {
    insertExpiredKeys(6000);
    try (Connection connection = jdbc()) {
      // Fails the second chunk (the 5,000 oldest go first), like a database lost mid-run.
      connection.createStatement().execute("""
          CREATE OR REPLACE FUNCTION waymark_test_failing_delete() RETURNS trigger AS $$
          BEGIN
            IF OLD.expires_at > '2001-01-01T00:00:00Z'::timestamptz + interval '5500 seconds' THEN
              RAISE EXCEPTION USING ERRCODE = '57P01', MESSAGE = 'injected: server shutting down';
            END IF;
            RETURN OLD;
          END $$ LANGUAGE plpgsql;
          CREATE TRIGGER waymark_test_failing_delete BEFORE DELETE ON idempotency_keys
            FOR EACH ROW EXECUTE FUNCTION waymark_test_failing_delete();""");
    }
    Map<?, ?> failed = awaitEnd(startedExecutionId());
    assertThat(failed.get("status")).isEqualTo("FAILED");
    assertThat(failed.get("exitCode")).isEqualTo("FAILED");
    assertThat((String) failed.get("exitDescription")).contains("injected: server shutting down");
    assertThat(((Number) failed.get("deletedCount")).longValue())
        .as("the first chunk was deleted whole, the failed one not at all").isEqualTo(5000);
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE expires_at < '2002-01-01'"))
        .isEqualTo(1000);

    dropTriggers();
    Map<?, ?> retried = awaitEnd(startedExecutionId());
    assertThat(retried.get("status")).isEqualTo("COMPLETED");
    assertThat(((Number) retried.get("deletedCount")).longValue()).isEqualTo(1000);
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE expires_at < '2002-01-01'"))
        .isZero();
  }

  @Test
  void anExecutionLeftRunningByADeadInstanceDoesNotBlockTheNextRun() throws SQLException {
    long id = startedExecutionId();
    awaitEnd(id);
    try (Connection connection = jdbc()) {
      // What a killed instance leaves: STARTED, no end, created long ago, no run lock held.
      try (var update = connection.prepareStatement("UPDATE batch_job_execution SET"
          + " status = 'STARTED', end_time = NULL, create_time = now() - interval '10 minutes'"
          + " WHERE job_execution_id = ?")) {
        update.setLong(1, id);
        update.executeUpdate();
      }
    }
    long next = startedExecutionId();
    assertThat(next).isNotEqualTo(id);
    assertThat(awaitEnd(next).get("status")).isEqualTo("COMPLETED");
    Map<?, ?> orphan = execution(id);
    assertThat(orphan.get("status")).isEqualTo("FAILED");
    assertThat((String) orphan.get("exitDescription")).contains("abandoned");
  }

  @Test
  void theScheduleUsesTheConfiguredCron() {
    assertThat(schedules.stream().flatMap(holder -> holder.getScheduledTasks().stream())
        .map(task -> task.getTask())
        .filter(CronTask.class::isInstance)
        .map(task -> ((CronTask) task).getExpression()))
        .contains(CLEANUP_CRON);
  }

  @Test
  void prometheusShowsDeletedKeysAndJobDuration() throws SQLException {
    insertExpiredKeys(3);
    awaitEnd(startedExecutionId());
    String scrape = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
    assertThat(scrape).containsPattern("waymark_cleanup_deleted_keys_total\\{[^}]*} [1-9]")
        .containsPattern("waymark_cleanup_duration_seconds_count\\{[^}]*status=\"COMPLETED\"");
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec trigger() {
    return http.post().uri(CLEANUP).headers(h -> h.setBearerAuth(adminToken)).exchange();
  }

  private long startedExecutionId() {
    return ((Number) trigger().expectStatus().isAccepted().expectBody(Map.class).returnResult()
        .getResponseBody().get("executionId")).longValue();
  }

  private Map<?, ?> execution(long id) {
    return http.get().uri(CLEANUP + "/" + id).headers(h -> h.setBearerAuth(adminToken))
        .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
  }

  private Map<?, ?> awaitEnd(Object id) {
    long executionId = ((Number) id).longValue();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      Map<?, ?> execution = execution(executionId);
      if (execution.get("endTime") != null) {
        return execution;
      }
      sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("cleanup " + executionId + " did not end within 60 s");
  }

  /** One trigger per listed server port, all released by one latch. */
  private List<HttpResponse<String>> triggersReleasedTogether(List<Integer> ports)
      throws Exception {
    int count = ports.size();
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      HttpClient client = HttpClient.newBuilder().executor(threads)
          .version(HttpClient.Version.HTTP_1_1).build();
      CountDownLatch ready = new CountDownLatch(count);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> pending = new ArrayList<>();
      for (int target : ports) {
        pending.add(threads.submit(() -> {
          ready.countDown();
          go.await();
          return client.send(HttpRequest.newBuilder(
                  URI.create("http://localhost:" + target + CLEANUP))
              .header("Authorization", "Bearer " + adminToken)
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
        }));
      }
      ready.await();
      go.countDown();
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (var response : pending) {
        responses.add(response.get());
      }
      return responses;
    } finally {
      threads.shutdownNow();
    }
  }

  private void slowDownDeletes() throws SQLException {
    try (Connection connection = jdbc()) {
      connection.createStatement().execute(SLOW_DELETES);
    }
  }

  /** Completed keys expired long ago, one second apart from 2001-01-01, oldest first. */
  private void insertExpiredKeys(int count) throws SQLException {
    try (Connection connection = jdbc(); var insert = connection.prepareStatement("""
        INSERT INTO idempotency_keys (key_hash, fingerprint, state, created_at, expires_at,
                                      completed_at, response_status, response_content_type,
                                      response_body)
        SELECT sha256(convert_to(? || i, 'UTF8')), sha256('f'::bytea), 'COMPLETED', now(),
               '2001-01-01T00:00:00Z'::timestamptz + i * interval '1 second', now(), 200,
               'application/json', '{}'::bytea
          FROM generate_series(1, ?) AS i""")) {
      insert.setString(1, device);
      insert.setInt(2, count);
      insert.executeUpdate();
    }
  }

  private long keyRows(String key) {
    return count("SELECT count(*) FROM idempotency_keys WHERE key_hash = ?",
        KeyHash.of(new Principal(device), new IdempotencyKey(key)).bytes());
  }

  /** Ends the key's retention behind the service's back, as time would. */
  private void expire(String key) {
    keys().expire(KeyHash.of(new Principal(device), new IdempotencyKey(key)));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
