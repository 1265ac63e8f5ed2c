package dev.waymark.adapters.memory;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.port.ClaimLostException;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * Reference key store held in memory: the simplest implementation that passes the kit, used by
 * the application's tests and as the worked example of docs/extending-adapters.md. Each
 * operation is one atomic map update.
 */
public class InMemoryIdempotencyKeyStore implements IdempotencyKeyStore {

  private final ConcurrentHashMap<KeyHash, KeyState> records = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();

  @Override
  public Mono<ClaimResult> claim(KeyHash key, RequestFingerprint fingerprint, Instant leaseEnd) {
    return Mono.fromSupplier(() -> {
      AtomicReference<ClaimResult> result = new AtomicReference<>();
      records.compute(key, (k, current) -> {
        if (current != null) {
          result.set(new ClaimResult.Taken(current));
          return current;
        }
        FencingToken token = new FencingToken(tokens.incrementAndGet());
        result.set(new ClaimResult.Claimed(token));
        return new KeyState.InFlight(fingerprint, token, leaseEnd);
      });
      return result.get();
    });
  }

  @Override
  public Mono<ClaimResult> takeOver(
      KeyHash key, FencingToken expected, RequestFingerprint fingerprint, Instant leaseEnd) {
    return Mono.fromSupplier(() -> {
      AtomicReference<ClaimResult> result = new AtomicReference<>();
      records.compute(key, (k, current) -> {
        if (current == null || !expected.equals(tokenOf(current))) {
          result.set(new ClaimResult.Taken(current == null ? new KeyState.Absent() : current));
          return current;
        }
        FencingToken token = new FencingToken(tokens.incrementAndGet());
        result.set(new ClaimResult.Claimed(token));
        return new KeyState.InFlight(fingerprint, token, leaseEnd);
      });
      return result.get();
    });
  }

  @Override
  public Mono<Void> complete(KeyHash key, FencingToken token, StoredResponse response,
      Instant completedAt, Instant expiresAt) {
    return Mono.fromRunnable(() -> {
      AtomicReference<Boolean> completed = new AtomicReference<>(false);
      records.computeIfPresent(key, (k, current) -> {
        if (current instanceof KeyState.InFlight inFlight && inFlight.token().equals(token)) {
          completed.set(true);
          return new KeyState.Completed(inFlight.fingerprint(), token, response, expiresAt);
        }
        return current;
      });
      if (!completed.get()) {
        throw new ClaimLostException("the claim is no longer held");
      }
    });
  }

  @Override
  public Mono<Void> release(KeyHash key, FencingToken token) {
    return Mono.fromRunnable(() -> records.computeIfPresent(key, (k, current) ->
        current instanceof KeyState.InFlight inFlight && inFlight.token().equals(token)
            ? null
            : current));
  }

  @Override
  public Mono<KeyState> find(KeyHash key) {
    return Mono.fromSupplier(() -> records.getOrDefault(key, new KeyState.Absent()));
  }

  @Override
  public Mono<Integer> deleteExpired(Instant cutoff, int limit) {
    return Mono.fromSupplier(() -> {
      synchronized (this) {
        var expired = records.entrySet().stream()
            .filter(entry -> entry.getValue() instanceof KeyState.Completed completed
                && !completed.expiresAt().isAfter(cutoff))
            .sorted(java.util.Comparator.comparing(
                entry -> ((KeyState.Completed) entry.getValue()).expiresAt()))
            .limit(limit)
            .toList();
        int deleted = 0;
        for (var entry : expired) {
          if (records.remove(entry.getKey(), entry.getValue())) {
            deleted++;
          }
        }
        return deleted;
      }
    });
  }

  private static FencingToken tokenOf(KeyState state) {
    if (state instanceof KeyState.InFlight inFlight) {
      return inFlight.token();
    }
    return state instanceof KeyState.Completed completed ? completed.token() : null;
  }
}
