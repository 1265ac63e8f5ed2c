package dev.waymark.domain.port;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyState;
import java.util.Objects;

/** The answer of a key store to an attempt to claim a key. */
public sealed interface ClaimResult {

  /** The caller now holds the key; it must complete or release the claim with {@code token}. */
  record Claimed(FencingToken token) implements ClaimResult {
    public Claimed {
      Objects.requireNonNull(token, "token");
    }
  }

  /** The key is held or was replaced meanwhile: {@code state} is what the store holds now. */
  record Taken(KeyState state) implements ClaimResult {
    public Taken {
      Objects.requireNonNull(state, "state");
    }
  }
}
