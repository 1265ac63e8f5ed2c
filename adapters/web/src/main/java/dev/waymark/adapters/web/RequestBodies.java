package dev.waymark.adapters.web;

import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an upload's body in the contract's order: content type (415), size while reading (413),
 * then JSON (400, duplicate object keys included).
 */
final class RequestBodies {

  private static final JsonMapper STRICT_JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // Exact decimals, so 1e400 stays a (huge) number instead of becoming Infinity, and the
      // fingerprint tells such numbers apart.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private RequestBodies() {}

  static void requireJson(ServerHttpRequest request) {
    MediaType type;
    try {
      type = request.getHeaders().getContentType();
    } catch (InvalidMediaTypeException e) {
      throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json (UTF-8); the one sent is not a media type.");
    }
    boolean json = type != null
        && MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
        && (type.getCharset() == null || "UTF-8".equalsIgnoreCase(type.getCharset().name()));
    if (!json) {
      throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json (UTF-8), not "
              + (type == null ? "absent" : type.toString()) + ".");
    }
  }

  /** The body's bytes, refused with 413 as soon as it exceeds {@code maxBytes}. */
  static Mono<byte[]> read(ServerHttpRequest request, int maxBytes) {
    long declared = request.getHeaders().getContentLength();
    if (declared > maxBytes) {
      return Mono.error(tooLarge(maxBytes));
    }
    return DataBufferUtils.join(request.getBody(), maxBytes)
        .map(RequestBodies::drain)
        .defaultIfEmpty(new byte[0])
        .onErrorMap(DataBufferLimitException.class, e -> tooLarge(maxBytes));
  }

  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw new ApiProblem(ProblemType.INVALID_REQUEST, "The request body is empty.",
          List.of(new dev.waymark.domain.location.FieldError("body", "must be a JSON object")));
    }
    try {
      return STRICT_JSON.readTree(body);
    } catch (JacksonException e) {
      throw new ApiProblem(ProblemType.INVALID_REQUEST,
          "The request body is not valid JSON: " + e.getOriginalMessage(),
          List.of(new dev.waymark.domain.location.FieldError("body", "must be valid JSON")));
    } catch (NumberFormatException | ArithmeticException e) {
      // Jackson lets these through for numbers beyond BigDecimal's range, e.g. 1e-999999999999.
      throw new ApiProblem(ProblemType.INVALID_REQUEST,
          "The request body holds a number beyond any representable range.",
          List.of(new dev.waymark.domain.location.FieldError("body", "must be valid JSON")));
    }
  }

  private static byte[] drain(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  private static ApiProblem tooLarge(int maxBytes) {
    return new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE,
        "The request body exceeds the limit of " + maxBytes + " bytes; split the batch.");
  }
}
