package dev.waymark.adapters.web;

import dev.waymark.domain.location.FieldError;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every error as {@code application/problem+json} with {@code type}, {@code title},
 * {@code status}, {@code detail}, and {@code errors} for validation failures: the controller
 * advice and the security entry points share it, so 401/403 look like every other error.
 */
@Component
class ProblemWriter {

  private final JsonMapper json = JsonMapper.builder().build();

  ResponseEntity<byte[]> entity(ApiProblem problem) {
    HttpHeaders headers = new HttpHeaders();
    headers.addAll(problem.headers());
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return ResponseEntity.status(problem.type().status()).headers(headers).body(body(problem));
  }

  ResponseEntity<byte[]> entity(HttpStatusCode status, URI type, String title, String detail,
      Map<String, Object> extensions) {
    Map<String, Object> fields = fields(type, title, status.value(), detail);
    extensions.forEach(fields::putIfAbsent);
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(json.writeValueAsBytes(fields));
  }

  /** Writes a problem straight to a response, for code outside the controllers (security). */
  Mono<Void> write(ServerHttpResponse response, ApiProblem problem) {
    response.setStatusCode(problem.type().status());
    response.getHeaders().addAll(problem.headers());
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return response.writeWith(Mono.fromSupplier(
        () -> response.bufferFactory().wrap(body(problem))));
  }

  private byte[] body(ApiProblem problem) {
    Map<String, Object> fields = fields(problem.type().uri(), problem.type().title(),
        problem.type().status().value(), problem.detail());
    if (!problem.errors().isEmpty()) {
      fields.put("errors", errors(problem.errors()));
    }
    fields.putAll(problem.extensions());
    return json.writeValueAsBytes(fields);
  }

  private static Map<String, Object> fields(URI type, String title, int status, String detail) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", type.toString());
    fields.put("title", title);
    fields.put("status", status);
    fields.put("detail", detail);
    return fields;
  }

  /** A field error as it appears on the wire: {@code {"field": ..., "message": ...}}. */
  record FieldErrorBody(String field, String message) {}

  static List<FieldErrorBody> errors(List<FieldError> errors) {
    return errors.stream()
        .map(error -> new FieldErrorBody(error.field(), error.message()))
        .toList();
  }
}
