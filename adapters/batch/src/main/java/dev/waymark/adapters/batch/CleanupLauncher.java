package dev.waymark.adapters.batch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Starts the cleanup unless one is already running anywhere. Blocking (JDBC, the job
 * repository): callers run it off the event loop.
 *
 * <p>Under the cluster-wide launch lock it looks for a running execution in the shared job
 * repository; one whose instance still holds the run lock is running, and the launch is refused
 * with its id. One whose run lock is free and that is past its start-up grace was left behind
 * by a dead instance: it is marked FAILED and the launch proceeds.
 */
@Component
public class CleanupLauncher {

  private static final Logger log = LoggerFactory.getLogger(CleanupLauncher.class);
  /** Between its creation and its run lock, an execution is starting, not orphaned. */
  private static final Duration START_GRACE = Duration.ofMinutes(1);

  private final JobOperator jobOperator;
  private final JobRepository jobRepository;
  private final Job job;
  private final DataSource dataSource;
  private final Clock clock;

  CleanupLauncher(JobOperator jobOperator, JobRepository jobRepository, Job expiredKeyCleanupJob,
      DataSource dataSource, Clock clock) {
    this.jobOperator = jobOperator;
    this.jobRepository = jobRepository;
    this.job = expiredKeyCleanupJob;
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** The outcome of a launch attempt. */
  public sealed interface Launch {}

  /** A new execution was started. */
  public record Started(long executionId) implements Launch {}

  /** A cleanup is running already; nothing was started. */
  public record AlreadyRunning(long executionId) implements Launch {}

  /**
   * Synchronised so that an instance spends at most one pooled connection waiting for the
   * cluster-wide launch lock; the lock holder needs the others for the job repository.
   */
  public synchronized Launch launch() {
    try (Connection session = dataSource.getConnection()) {
      session.setAutoCommit(true);
      CleanupRunLock.lock(session, CleanupRunLock.LAUNCH_LOCK);
      try {
        Optional<Long> running = runningExecution(session);
        if (running.isPresent()) {
          return new AlreadyRunning(running.get());
        }
        JobParameters parameters = new JobParametersBuilder()
            .addString(ExpiredKeysTasklet.CUTOFF, clock.instant().toString())
            .addString("run", UUID.randomUUID().toString())
            .toJobParameters();
        JobExecution execution = jobOperator.start(job, parameters);
        log.info("Cleanup execution {} started", execution.getId());
        return new Started(execution.getId());
      } finally {
        CleanupRunLock.unlock(session, CleanupRunLock.LAUNCH_LOCK);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the job repository's database", e);
    } catch (org.springframework.batch.core.launch.JobExecutionAlreadyRunningException
        | org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException
        | org.springframework.batch.core.launch.JobRestartException
        | org.springframework.batch.core.job.parameters.InvalidJobParametersException e) {
      // Parameters are unique per launch, so none of these can happen; if one does, it is a bug.
      throw new IllegalStateException("the cleanup could not start", e);
    }
  }

  private Optional<Long> runningExecution(Connection session) throws SQLException {
    List<JobExecution> running = unfinishedExecutions(session);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    if (CleanupRunLock.runLockHeld(session)) {
      return Optional.of(running.get(0).getId());
    }
    LocalDateTime graceLimit = LocalDateTime.now().minus(START_GRACE);
    for (JobExecution execution : running) {
      if (execution.getCreateTime().isAfter(graceLimit)) {
        return Optional.of(execution.getId());
      }
    }
    running.forEach(this::markOrphaned);
    return Optional.empty();
  }

  /**
   * Executions of the cleanup not ended yet, newest first, STARTING included (the job
   * repository's own "running" query only sees them once their step began).
   */
  private List<JobExecution> unfinishedExecutions(Connection session) throws SQLException {
    List<JobExecution> unfinished = new ArrayList<>();
    try (var query = session.prepareStatement("""
        SELECT e.job_execution_id FROM batch_job_execution e
          JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
         WHERE i.job_name = ? AND e.end_time IS NULL
           AND e.status IN ('STARTING', 'STARTED', 'STOPPING')
         ORDER BY e.job_execution_id DESC""")) {
      query.setString(1, CleanupJobConfiguration.JOB_NAME);
      var rows = query.executeQuery();
      while (rows.next()) {
        unfinished.add(jobRepository.getJobExecution(rows.getLong(1)));
      }
    }
    return unfinished;
  }

  private void markOrphaned(JobExecution execution) {
    log.warn("Cleanup execution {} is marked running but no instance runs it: marking it FAILED",
        execution.getId());
    execution.setStatus(BatchStatus.FAILED);
    execution.setExitStatus(ExitStatus.FAILED.addExitDescription(
        "abandoned: the instance running it stopped"));
    execution.setEndTime(LocalDateTime.now());
    jobRepository.update(execution);
  }
}
