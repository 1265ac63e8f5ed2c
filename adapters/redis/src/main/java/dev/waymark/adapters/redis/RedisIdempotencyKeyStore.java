package dev.waymark.adapters.redis;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyHash;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import dev.waymark.domain.port.ClaimLostException;
import dev.waymark.domain.port.ClaimResult;
import dev.waymark.domain.port.IdempotencyKeyStore;
import dev.waymark.domain.port.StorageUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * The key store on Redis (docs/adr/0007-redis-key-store.md). One string key per record,
 * {@code waymark:idem:{<key hash>}}, whose Redis TTL is the record's own expiry: the lease
 * while in flight, the retention once completed, so Redis expires keys by itself.
 *
 * <ul>
 *   <li>claim: {@code SET key value NX PX lease}, one atomic command;
 *   <li>take over, complete, release: Lua compare-and-set on the fencing token the value starts
 *       with. Every script touches one key, so it runs on Redis Cluster too.
 * </ul>
 */
public class RedisIdempotencyKeyStore implements IdempotencyKeyStore {

  static final String PREFIX = "waymark:idem:";

  private static final RedisScript<List> TAKE_OVER = RedisScript.of("""
      local current = redis.call('GET', KEYS[1])
      if not current then return {0} end
      if string.sub(current, 1, string.len(ARGV[1])) ~= ARGV[1] then return {1, current} end
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      return {2}""", List.class);

  // Keeps the in-flight record's fingerprint (its fourth field, 64 hex characters) so that
  // completing is one round trip: ARGV = token prefix, expiresAt millis, response tail, TTL.
  private static final RedisScript<Long> COMPLETE = RedisScript.of("""
      local current = redis.call('GET', KEYS[1])
      if not current then return 0 end
      local prefix = ARGV[1]
      if string.sub(current, 1, string.len(prefix) + 1) ~= prefix .. 'F' then return 0 end
      local expiry_end = string.find(current, ':', string.len(prefix) + 3, true)
      local fingerprint = string.sub(current, expiry_end + 1, expiry_end + 64)
      redis.call('SET', KEYS[1], prefix .. 'C:' .. ARGV[2] .. ':' .. fingerprint .. ':' .. ARGV[3],
                 'PX', ARGV[4])
      return 1""", Long.class);

  private static final RedisScript<Long> RELEASE = RedisScript.of("""
      local current = redis.call('GET', KEYS[1])
      if current and string.sub(current, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. 'F' then
        return redis.call('DEL', KEYS[1])
      end
      return 0""", Long.class);

  private final ReactiveRedisTemplate<String, byte[]> redis;
  private final Clock clock;

  public RedisIdempotencyKeyStore(ReactiveRedisTemplate<String, byte[]> redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  @Override
  public Mono<ClaimResult> claim(KeyHash key, RequestFingerprint fingerprint, Instant leaseEnd) {
    FencingToken token = newToken();
    return redis.opsForValue()
        .setIfAbsent(redisKey(key), RedisRecord.inFlight(token, fingerprint, leaseEnd),
            ttlUntil(leaseEnd))
        .flatMap(claimed -> Boolean.TRUE.equals(claimed)
            ? Mono.<ClaimResult>just(new ClaimResult.Claimed(token))
            : find(key).map(ClaimResult.Taken::new))
        .onErrorMap(RedisIdempotencyKeyStore::translate);
  }

  @Override
  public Mono<ClaimResult> takeOver(
      KeyHash key, FencingToken expected, RequestFingerprint fingerprint, Instant leaseEnd) {
    FencingToken token = newToken();
    return redis.execute(TAKE_OVER, List.of(redisKey(key)), List.of(
            ascii(RedisRecord.tokenPrefix(expected)),
            RedisRecord.inFlight(token, fingerprint, leaseEnd),
            ascii(Long.toString(ttlUntil(leaseEnd).toMillis()))))
        .next()
        .map(result -> switch (((Number) result.get(0)).intValue()) {
          case 0 -> (ClaimResult) new ClaimResult.Taken(new KeyState.Absent());
          case 1 -> new ClaimResult.Taken(RedisRecord.decode((byte[]) result.get(1)));
          default -> new ClaimResult.Claimed(token);
        })
        .onErrorMap(RedisIdempotencyKeyStore::translate);
  }

  @Override
  public Mono<Void> complete(KeyHash key, FencingToken token, StoredResponse response,
      Instant completedAt, Instant expiresAt) {
    return redis.execute(COMPLETE, List.of(redisKey(key)), List.of(
            ascii(RedisRecord.tokenPrefix(token)),
            ascii(Long.toString(expiresAt.toEpochMilli())),
            RedisRecord.responseTail(response),
            ascii(Long.toString(ttlUntil(expiresAt).toMillis()))))
        .next()
        .onErrorMap(RedisIdempotencyKeyStore::translate)
        .flatMap(done -> done == 1 ? Mono.<Void>empty() : Mono.error(lost(key)));
  }

  @Override
  public Mono<Void> release(KeyHash key, FencingToken token) {
    return redis.execute(RELEASE, List.of(redisKey(key)),
            List.of(ascii(RedisRecord.tokenPrefix(token))))
        .then()
        .onErrorMap(RedisIdempotencyKeyStore::translate);
  }

  @Override
  public Mono<KeyState> find(KeyHash key) {
    return redis.opsForValue().get(redisKey(key))
        .map(RedisRecord::decode)
        .defaultIfEmpty(new KeyState.Absent())
        .onErrorMap(RedisIdempotencyKeyStore::translate);
  }

  /** Redis expires records by their TTL: there is never anything left to delete. */
  @Override
  public Mono<Integer> deleteExpired(Instant cutoff, int limit) {
    return Mono.just(0);
  }

  static String redisKey(KeyHash key) {
    // The braces are a hash tag: the record's slot is fixed by the hash alone (Redis Cluster).
    return PREFIX + "{" + HexFormat.of().formatHex(key.bytes()) + "}";
  }

  private static FencingToken newToken() {
    // Random, not a counter: a counter would have to live beside the record (and expire with
    // it, repeating tokens) or in another slot. 63 random bits never repeat in practice, and
    // tokens never leave the server, so they need to be unique, not unpredictable:
    // ThreadLocalRandom, because SecureRandom reads /dev/urandom, a blocking call on an event
    // loop (BlockHound caught it).
    return new FencingToken(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /** A record must outlive its instant only by Redis's granularity; PX needs at least 1 ms. */
  private Duration ttlUntil(Instant end) {
    return Duration.ofMillis(Math.max(1, Duration.between(clock.instant(), end).toMillis()));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static ClaimLostException lost(KeyHash key) {
    return new ClaimLostException("the claim on " + key + " was taken over or released");
  }

  private static Throwable translate(Throwable error) {
    if (error instanceof ClaimLostException || error instanceof StorageUnavailableException) {
      return error;
    }
    return new StorageUnavailableException("Redis is unavailable: " + error.getMessage(), error);
  }
}
