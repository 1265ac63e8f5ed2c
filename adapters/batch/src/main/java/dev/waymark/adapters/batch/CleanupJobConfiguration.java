package dev.waymark.adapters.batch;

import dev.waymark.domain.port.IdempotencyKeyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.batch.autoconfigure.BatchTransactionManager;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The cleanup job and what Spring Batch needs beside R2DBC (docs/adr/0006-cleanup-job.md): its
 * JDBC job repository schema (this module's own Flyway history), a JDBC transaction manager
 * declared explicitly (the R2DBC one would otherwise make Boot's JDBC one back off), and an
 * executor so launches return at once.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CleanupProperties.class)
class CleanupJobConfiguration {

  static final String JOB_NAME = "expiredIdempotencyKeyCleanup";
  static final String STEP_NAME = "deleteExpiredKeys";

  /** Applies the job repository schema before anything reads it. */
  @Bean
  BatchSchemaMigration batchSchemaMigration(DataSource dataSource) {
    return new BatchSchemaMigration(dataSource);
  }

  @Bean
  @BatchTransactionManager
  JdbcTransactionManager batchTransactionManager(DataSource dataSource) {
    return new JdbcTransactionManager(dataSource);
  }

  @Bean
  @BatchTaskExecutor
  ThreadPoolTaskExecutor batchTaskExecutor() {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setThreadNamePrefix("cleanup-");
    // One cleanup runs at a time (per cluster, see CleanupLauncher); a second thread only
    // serves a launch that races the end of the previous run.
    executor.setCorePoolSize(2);
    executor.setMaxPoolSize(2);
    // A shutdown lets the running cleanup finish (its chunks are short) instead of cutting it
    // off with its database connections already closed.
    executor.setWaitForTasksToCompleteOnShutdown(true);
    executor.setAwaitTerminationSeconds(60);
    return executor;
  }

  @Bean
  Counter deletedKeysCounter(MeterRegistry meters) {
    return Counter.builder("waymark.cleanup.deleted.keys")
        .description("Expired idempotency keys deleted by the cleanup job")
        .register(meters);
  }

  @Bean
  @DependsOn("batchSchemaMigration")
  Step deleteExpiredKeysStep(JobRepository jobRepository,
      @BatchTransactionManager JdbcTransactionManager transactionManager,
      IdempotencyKeyStore keyStore, CleanupProperties properties, Counter deletedKeysCounter) {
    return new StepBuilder(STEP_NAME, jobRepository)
        .tasklet(new ExpiredKeysTasklet(keyStore, properties.chunkSize(), deletedKeysCounter),
            transactionManager)
        .build();
  }

  @Bean
  @DependsOn("batchSchemaMigration")
  Job expiredKeyCleanupJob(JobRepository jobRepository, Step deleteExpiredKeysStep,
      CleanupRunLock runLock, MeterRegistry meters) {
    return new JobBuilder(JOB_NAME, jobRepository)
        .listener(runLock)
        .listener(new CleanupDurationListener(meters))
        .start(deleteExpiredKeysStep)
        .build();
  }
}
