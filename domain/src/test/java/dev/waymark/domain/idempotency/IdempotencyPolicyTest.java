package dev.waymark.domain.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.idempotency.IdempotencyDecision.InFlight;
import dev.waymark.domain.idempotency.IdempotencyDecision.Mismatch;
import dev.waymark.domain.idempotency.IdempotencyDecision.Process;
import dev.waymark.domain.idempotency.IdempotencyDecision.ProcessReason;
import dev.waymark.domain.idempotency.IdempotencyDecision.Replay;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdempotencyPolicyTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final RequestFingerprint REQUEST = RequestFingerprint.of("POST /x", "{\"a\":1}");
  static final RequestFingerprint OTHER = RequestFingerprint.of("POST /x", "{\"a\":2}");
  static final FencingToken TOKEN = new FencingToken(7);
  static final StoredResponse RESPONSE =
      new StoredResponse(200, "application/json", "{\"processedCount\":1}".getBytes());

  final IdempotencyPolicy policy = new IdempotencyPolicy();

  @Test
  void absentKeyIsProcessedAsNew() {
    assertThat(policy.decide(new KeyState.Absent(), REQUEST, NOW))
        .isEqualTo(new Process(ProcessReason.NEW_KEY, Optional.empty()));
  }

  @Test
  void completedSameRequestWithinRetentionIsReplayed() {
    var completed = completed(REQUEST, NOW.plusMillis(1));
    assertThat(policy.decide(completed, REQUEST, NOW)).isEqualTo(new Replay(completed));
  }

  @Test
  void completedDifferentRequestWithinRetentionIsAMismatch() {
    assertThat(policy.decide(completed(REQUEST, NOW.plusSeconds(60)), OTHER, NOW))
        .isEqualTo(new Mismatch());
  }

  @Test
  void completedKeyExpiresExactlyAtItsExpiryInstant() {
    assertThat(policy.decide(completed(REQUEST, NOW), REQUEST, NOW))
        .isEqualTo(new Process(ProcessReason.EXPIRED, Optional.of(TOKEN)));
  }

  @Test
  void expiredKeyIsNewEvenForADifferentPayload() {
    assertThat(policy.decide(completed(REQUEST, NOW.minusSeconds(1)), OTHER, NOW))
        .isEqualTo(new Process(ProcessReason.EXPIRED, Optional.of(TOKEN)));
  }

  @Test
  void inFlightSameRequestIsInFlight() {
    assertThat(policy.decide(inFlight(REQUEST, NOW.plusSeconds(5)), REQUEST, NOW))
        .isEqualTo(new InFlight());
  }

  @Test
  void inFlightDifferentRequestIsAMismatchBeforeInFlight() {
    assertThat(policy.decide(inFlight(REQUEST, NOW.plusSeconds(5)), OTHER, NOW))
        .isEqualTo(new Mismatch());
  }

  @Test
  void inFlightClaimWhoseLeaseLapsedIsTakenOver() {
    assertThat(policy.decide(inFlight(REQUEST, NOW), REQUEST, NOW))
        .isEqualTo(new Process(ProcessReason.ABANDONED, Optional.of(TOKEN)));
    assertThat(policy.decide(inFlight(OTHER, NOW.minusSeconds(1)), REQUEST, NOW))
        .isEqualTo(new Process(ProcessReason.ABANDONED, Optional.of(TOKEN)));
  }

  @Test
  void lockedKeyWithUnseenPayloadIsInFlight() {
    assertThat(policy.decide(new KeyState.Locked(), REQUEST, NOW)).isEqualTo(new InFlight());
  }

  static KeyState.Completed completed(RequestFingerprint fingerprint, Instant expiresAt) {
    return new KeyState.Completed(fingerprint, TOKEN, RESPONSE, expiresAt);
  }

  static KeyState.InFlight inFlight(RequestFingerprint fingerprint, Instant leaseExpiresAt) {
    return new KeyState.InFlight(fingerprint, TOKEN, leaseExpiresAt);
  }
}
