package dev.waymark.application.upload;

import dev.waymark.domain.idempotency.StoredResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How an upload ended, for the web adapter to turn into HTTP. */
public sealed interface UploadOutcome {

  /**
   * The upload was processed now. {@code keyExpiresAt} is when its key stops protecting it, for
   * keyed uploads.
   */
  record Processed(StoredResponse response, Optional<Instant> keyExpiresAt)
      implements UploadOutcome {}

  /** The same request was processed before: answer with what was stored then. */
  record Replayed(StoredResponse response, Instant keyExpiresAt) implements UploadOutcome {}

  /** The key was used for a different request. Nothing was stored. */
  record KeyMismatch() implements UploadOutcome {}

  /** The same request is being processed right now. Nothing was stored. */
  record KeyInFlight(Duration retryAfter) implements UploadOutcome {}
}
