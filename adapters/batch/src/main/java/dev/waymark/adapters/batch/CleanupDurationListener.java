package dev.waymark.adapters.batch;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDateTime;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/** Records each cleanup's duration ({@code waymark_cleanup_duration_seconds}) by outcome. */
class CleanupDurationListener implements JobExecutionListener {

  private final MeterRegistry meters;

  CleanupDurationListener(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void afterJob(JobExecution execution) {
    if (execution.getStartTime() == null) {
      return;
    }
    LocalDateTime end = execution.getEndTime() != null ? execution.getEndTime()
        : LocalDateTime.now();
    Timer.builder("waymark.cleanup.duration")
        .description("Duration of expired-key cleanup runs")
        .tag("status", execution.getStatus().name())
        .register(meters)
        .record(Duration.between(execution.getStartTime(), end));
  }
}
