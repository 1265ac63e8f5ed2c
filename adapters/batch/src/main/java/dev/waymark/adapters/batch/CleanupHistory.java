package dev.waymark.adapters.batch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/** Reads cleanup executions from the job repository. Blocking: callers run it off the event loop. */
@Component
class CleanupHistory {

  static final int RECENT = 20;

  /** One execution as the admin API shows it. */
  record CleanupExecution(long executionId, String status, long deletedCount,
      Instant startTime, Instant endTime, String exitCode, String exitDescription) {}

  private final JobRepository jobRepository;

  CleanupHistory(JobRepository jobRepository) {
    this.jobRepository = jobRepository;
  }

  Optional<CleanupExecution> find(long executionId) {
    JobExecution execution;
    try {
      execution = jobRepository.getJobExecution(executionId);
    } catch (org.springframework.dao.EmptyResultDataAccessException unknown) {
      return Optional.empty();
    }
    if (execution == null
        || !CleanupJobConfiguration.JOB_NAME.equals(execution.getJobInstance().getJobName())) {
      return Optional.empty();
    }
    return Optional.of(view(execution));
  }

  /** The most recent executions, newest first (one per job instance: runs are never restarted). */
  List<CleanupExecution> recent() {
    return jobRepository.getJobInstances(CleanupJobConfiguration.JOB_NAME, 0, RECENT).stream()
        .map(jobRepository::getLastJobExecution)
        .filter(Objects::nonNull)
        .sorted((a, b) -> Long.compare(b.getId(), a.getId()))
        .map(CleanupHistory::view)
        .toList();
  }

  static CleanupExecution view(JobExecution execution) {
    long deleted = execution.getStepExecutions().stream()
        .mapToLong(StepExecution::getWriteCount).sum();
    return new CleanupExecution(execution.getId(), execution.getStatus().name(), deleted,
        instant(execution.getStartTime()), instant(execution.getEndTime()),
        execution.getExitStatus().getExitCode(),
        execution.getExitStatus().getExitDescription());
  }

  /** Spring Batch keeps local date-times in the JVM's zone. */
  private static Instant instant(LocalDateTime time) {
    return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
  }
}
