package dev.waymark.adapters.redis;

import dev.waymark.domain.idempotency.FencingToken;
import dev.waymark.domain.idempotency.KeyState;
import dev.waymark.domain.idempotency.RequestFingerprint;
import dev.waymark.domain.idempotency.StoredResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The value of one idempotency record in Redis. It starts with {@code <token>:} so the Lua
 * scripts can compare-and-set on the fencing token with a prefix test and no decoding:
 *
 * <pre>token:state:expiresAtMillis:fingerprintHex:status:contentTypeLength:contentType body</pre>
 *
 * where state is {@code F} (in flight) or {@code C} (completed) and the body follows raw.
 */
final class RedisRecord {

  static final char IN_FLIGHT = 'F';

  private RedisRecord() {}

  /** A claim: the header with no response ({@code status 0}, empty content type and body). */
  static byte[] inFlight(FencingToken token, RequestFingerprint fingerprint, Instant leaseEnd) {
    return (token.value() + ":" + IN_FLIGHT + ":" + leaseEnd.toEpochMilli() + ":"
        + HexFormat.of().formatHex(fingerprint.bytes()) + ":0:0:")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * What follows the fingerprint in a completed record, {@code status:contentTypeLength:} then
   * the content type and the body: the COMPLETE script puts it after the claim's token, the
   * state {@code C}, the retention end and the claim's own fingerprint.
   */
  static byte[] responseTail(StoredResponse response) {
    byte[] type = response.contentType().getBytes(StandardCharsets.UTF_8);
    byte[] body = response.body();
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + type.length + body.length);
    out.writeBytes((response.status() + ":" + type.length + ":")
        .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** The token prefix the scripts compare against: {@code <token>:}. */
  static String tokenPrefix(FencingToken token) {
    return token.value() + ":";
  }

  static KeyState decode(byte[] value) {
    int[] separators = new int[6];
    int found = 0;
    for (int i = 0; i < value.length && found < separators.length; i++) {
      if (value[i] == ':') {
        separators[found++] = i;
      }
    }
    if (found < separators.length) {
      throw new IllegalStateException("not an idempotency record (" + value.length + " bytes)");
    }
    FencingToken token = new FencingToken(Long.parseLong(field(value, -1, separators[0])));
    char state = field(value, separators[0], separators[1]).charAt(0);
    Instant expiresAt = Instant.ofEpochMilli(
        Long.parseLong(field(value, separators[1], separators[2])));
    RequestFingerprint fingerprint = RequestFingerprint.fromBytes(
        HexFormat.of().parseHex(field(value, separators[2], separators[3])));
    if (state == IN_FLIGHT) {
      return new KeyState.InFlight(fingerprint, token, expiresAt);
    }
    int status = Integer.parseInt(field(value, separators[3], separators[4]));
    int typeLength = Integer.parseInt(field(value, separators[4], separators[5]));
    int typeStart = separators[5] + 1;
    String contentType = new String(value, typeStart, typeLength, StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOfRange(value, typeStart + typeLength, value.length);
    return new KeyState.Completed(fingerprint, token,
        new StoredResponse(status, contentType, body), expiresAt);
  }

  private static String field(byte[] value, int after, int before) {
    return new String(value, after + 1, before - after - 1, StandardCharsets.US_ASCII);
  }
}
