package dev.waymark.adapters.batch;

import dev.waymark.domain.port.IdempotencyKeyStore;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Deletes one chunk of expired keys per call through the key-store port, oldest first, and asks
 * to be called again while chunks come back full. Each chunk is one DELETE statement, so it is
 * deleted whole or not at all.
 */
class ExpiredKeysTasklet implements Tasklet {

  static final String CUTOFF = "cutoff";
  static final String DELETED_COUNT = "deletedCount";
  /** A chunk is one indexed DELETE; a minute means the database is not answering. */
  private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(1);

  private final IdempotencyKeyStore keyStore;
  private final int chunkSize;
  private final Counter deletedKeys;

  ExpiredKeysTasklet(IdempotencyKeyStore keyStore, int chunkSize, Counter deletedKeys) {
    this.keyStore = keyStore;
    this.chunkSize = chunkSize;
    this.deletedKeys = deletedKeys;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
    Instant cutoff = Instant.parse(chunkContext.getStepContext().getStepExecution()
        .getJobParameters().getString(CUTOFF));
    // Blocking is right here: Spring Batch runs steps on its own executor threads, never on
    // an event loop, and a step must know the chunk's outcome before it commits its metadata.
    Integer deleted = keyStore.deleteExpired(cutoff, chunkSize).block(CHUNK_TIMEOUT);
    int count = deleted == null ? 0 : deleted;
    contribution.incrementWriteCount(count);
    var context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
    context.putLong(DELETED_COUNT, context.getLong(DELETED_COUNT, 0L) + count);
    deletedKeys.increment(count);
    return count == chunkSize ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
  }
}
