package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The two ways the service starts: the embedded default, and a configured database. */
@ExtendWith(OutputCaptureExtension.class)
class StartupModesTest {

  @Test
  void withoutADatabaseItRunsOnEmbeddedPostgresAndPrintsWorkingDemoTokens(
      CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(WaymarkApplication.class).run("--server.port=0")) {
      String port = context.getEnvironment().getProperty("local.server.port");
      assertThat(output.getOut()).contains("Waymark is running on the embedded default")
          .contains("curl -i -X POST http://localhost:" + port + "/api/v1/locations");
      String device = tokenAfter(output.getOut(), "device (scope locations:write): ");
      String admin = tokenAfter(output.getOut(), "admin  (scope admin):           ");
      WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
          .responseTimeout(Duration.ofSeconds(30)).build();

      http.post().uri("/api/v1/locations").headers(h -> {
        h.setBearerAuth(device);
        h.set("Idempotency-Key", "demo-1");
      }).contentType(MediaType.APPLICATION_JSON).bodyValue("""
          {"id":"demo-point-1","latitude":48.8584,"longitude":2.2945,"accuracy":12.5,\
          "timestamp":"2026-12-04T10:15:30Z"}""").exchange()
          .expectStatus().isOk()
          .expectBody().json("{\"processedCount\":1,\"duplicateCount\":0}", true);
      http.post().uri("/api/v1/locations").headers(h -> h.setBearerAuth(admin))
          .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
          .expectStatus().isForbidden();
      // The cleanup is scheduled hourly by default...
      assertThat(context.getBeansOfType(
              org.springframework.scheduling.config.ScheduledTaskHolder.class).values().stream()
          .flatMap(holder -> holder.getScheduledTasks().stream())
          .map(task -> task.getTask())
          .filter(org.springframework.scheduling.config.CronTask.class::isInstance)
          .map(task -> ((org.springframework.scheduling.config.CronTask) task).getExpression()))
          .contains("0 0 * * * *");
      // ...and runs on the embedded PostgreSQL's JDBC job repository too.
      java.util.Map<?, ?> started = http.post().uri("/api/v1/admin/idempotency-keys/cleanup")
          .headers(h -> h.setBearerAuth(admin)).exchange()
          .expectStatus().isAccepted()
          .expectBody(java.util.Map.class).returnResult().getResponseBody();
      String execution = "/api/v1/admin/idempotency-keys/cleanup/" + started.get("executionId");
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
      Object status = null;
      while (java.time.Instant.now().isBefore(deadline) && !"COMPLETED".equals(status)) {
        status = http.get().uri(execution).headers(h -> h.setBearerAuth(admin)).exchange()
            .expectStatus().isOk().expectBody(java.util.Map.class).returnResult()
            .getResponseBody().get("status");
      }
      assertThat(status).isEqualTo("COMPLETED");
    }
  }

  @Test
  void withADatabaseButNoJwtSecretItRefusesToStartAndSaysWhy(CapturedOutput output) {
    var application = new SpringApplicationBuilder(WaymarkApplication.class);
    assertThatThrownBy(() -> application.run("--server.port=0",
        "--spring.r2dbc.url=r2dbc:postgresql://localhost:5432/waymark"))
        .isInstanceOf(MissingJwtConfigurationException.class)
        .hasMessageContaining("waymark.security.jwt.hmac-secret");
    assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
        .contains("WAYMARK_SECURITY_JWT_HMAC_SECRET");
  }

  @Test
  void aSecretShorterThan32BytesIsRefused() {
    var application = new SpringApplicationBuilder(WaymarkApplication.class);
    assertThatThrownBy(() -> application.run("--server.port=0",
        "--waymark.security.jwt.hmac-secret=too-short"))
        .hasStackTraceContaining("at least 32 bytes");
  }

  private static String tokenAfter(String output, String label) {
    Matcher matcher = Pattern.compile(Pattern.quote(label) + "(\\S+)").matcher(output);
    assertThat(matcher.find()).as(label).isTrue();
    return matcher.group(1);
  }
}
