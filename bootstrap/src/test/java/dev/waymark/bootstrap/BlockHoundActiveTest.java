package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** BlockHound is really installed for this suite: our code blocking on an event loop fails. */
class BlockHoundActiveTest {

  @Test
  void waymarkCodeSleepingOnAParallelSchedulerThreadIsReported() {
    Mono<Integer> blocking = Mono.fromCallable(BlockHoundActiveTest::sleepBriefly)
        .subscribeOn(Schedulers.parallel());
    assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
        .satisfies(thrown -> assertThat(thrown instanceof BlockingOperationError
            || thrown.getCause() instanceof BlockingOperationError)
            .as("BlockingOperationError, possibly wrapped: %s", thrown).isTrue());
  }

  private static int sleepBriefly() throws InterruptedException {
    Thread.sleep(1);
    return 1;
  }
}
