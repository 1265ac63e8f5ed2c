package dev.waymark.adapters.web;

import dev.waymark.domain.port.StorageUnavailableException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every failure on the request path into problem+json: the API's own problems, Spring's
 * (404, 405, ...), storage outages (503 with Retry-After) and, last, bugs (500, logged).
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
  /** How long a client is asked to wait when storage is down: long enough to not hammer it. */
  static final String STORAGE_RETRY_AFTER_SECONDS = "2";

  private final ProblemWriter problems;

  ApiExceptionHandler(ProblemWriter problems) {
    this.problems = problems;
  }

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<byte[]> apiProblem(ApiProblem problem) {
    return problems.entity(problem);
  }

  @ExceptionHandler(StorageUnavailableException.class)
  ResponseEntity<byte[]> storageUnavailable(StorageUnavailableException error) {
    log.warn("Upload refused, storage unavailable: {}", error.getMessage());
    log.debug("Storage failure behind the refusal", error);
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, STORAGE_RETRY_AFTER_SECONDS);
    return problems.entity(new ApiProblem(ProblemType.STORAGE_UNAVAILABLE,
        // A timed-out upload may still finish after this answer, so it does not say "nothing
        // was stored": with the same key the retry is answered with whatever happened.
        "Storage is unavailable or too slow to answer in time. Retry later with the same"
            + " Idempotency-Key: a keyed upload is stored once whatever happened to this request.",
        List.of(), Map.of(), headers));
  }

  /**
   * Failures that carry their own problem (Spring's 404, 405, 406, bad input, and problems
   * other adapters raise as {@link ErrorResponse}): status, type, detail and extension members
   * are kept.
   */
  private ResponseEntity<byte[]> framework(ErrorResponse error) {
    ProblemDetail body = error.getBody();
    URI type = body.getType();
    if (type == null || "about:blank".equals(type.toString())) {
      type = body.getStatus() == 404
          ? ProblemType.NOT_FOUND.uri()
          : URI.create(ProblemType.BASE + "http-" + body.getStatus());
    }
    String title = body.getTitle() != null ? body.getTitle() : "Error";
    String detail = body.getDetail() != null ? body.getDetail() : title;
    ResponseEntity<byte[]> entity = problems.entity(error.getStatusCode(), type, title, detail,
        body.getProperties() == null ? Map.of() : body.getProperties());
    return ResponseEntity.status(entity.getStatusCode())
        .headers(headers -> {
          headers.addAll(error.getHeaders());
          headers.addAll(entity.getHeaders());
        })
        .body(entity.getBody());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<byte[]> otherwise(Exception error) {
    if (error instanceof ErrorResponse frameworkError) {
      return framework(frameworkError);
    }
    if (DisconnectedClientHelper.isClientDisconnectedException(error)) {
      // The client hung up (a phone losing its radio): no one reads this answer, and it is
      // not a fault of the service. Its upload was rolled back or completed; the retry says.
      log.debug("Client went away before its answer: {}", error.toString());
      return problems.entity(new ApiProblem(ProblemType.INTERNAL_ERROR,
          "The client closed the connection."));
    }
    log.error("Unexpected failure on the request path", error);
    return problems.entity(new ApiProblem(ProblemType.INTERNAL_ERROR,
        "An unexpected error occurred."));
  }
}
