package dev.waymark.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** BlockHound is really installed for this suite: blocking on a non-blocking thread fails. */
class BlockHoundActiveTest {

  @Test
  void sleepingOnAParallelSchedulerThreadIsReported() {
    Mono<Integer> blocking = Mono.fromCallable(() -> {
      Thread.sleep(1);
      return 1;
    }).subscribeOn(Schedulers.parallel());
    assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
        .satisfies(thrown -> assertThat(thrown instanceof BlockingOperationError
            || thrown.getCause() instanceof BlockingOperationError)
            .as("BlockingOperationError, possibly wrapped: %s", thrown).isTrue());
  }
}
