package dev.waymark.application.upload;

import reactor.core.publisher.Mono;

/** In-port: stores an upload of locations, exactly once per idempotency key when one is given. */
public interface UploadLocationsUseCase {

  Mono<UploadOutcome> upload(UploadLocationsCommand command);
}
