package dev.waymark.bootstrap;

import dev.waymark.application.upload.UploadLocationsCommand;
import dev.waymark.application.upload.UploadLocationsUseCase;
import dev.waymark.application.upload.UploadOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Counts the idempotency outcomes of keyed uploads ({@code waymark_idempotency_requests_total}
 * with tag {@code outcome}: processed, replayed, mismatch, in_flight), keeping metrics out of
 * the application module.
 */
final class MeteredUploadLocationsUseCase implements UploadLocationsUseCase {

  static final String METER = "waymark.idempotency.requests";

  private final UploadLocationsUseCase delegate;
  private final Counter processed;
  private final Counter replayed;
  private final Counter mismatch;
  private final Counter inFlight;

  MeteredUploadLocationsUseCase(UploadLocationsUseCase delegate, MeterRegistry meters) {
    this.delegate = delegate;
    this.processed = counter(meters, "processed");
    this.replayed = counter(meters, "replayed");
    this.mismatch = counter(meters, "mismatch");
    this.inFlight = counter(meters, "in_flight");
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder(METER)
        .description("Keyed uploads by idempotency outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public Mono<UploadOutcome> upload(UploadLocationsCommand command) {
    Mono<UploadOutcome> outcome = delegate.upload(command);
    return command.idempotency().isEmpty() ? outcome : outcome.doOnNext(this::count);
  }

  private void count(UploadOutcome outcome) {
    if (outcome instanceof UploadOutcome.Processed) {
      processed.increment();
    } else if (outcome instanceof UploadOutcome.Replayed) {
      replayed.increment();
    } else if (outcome instanceof UploadOutcome.KeyMismatch) {
      mismatch.increment();
    } else {
      inFlight.increment();
    }
  }
}
