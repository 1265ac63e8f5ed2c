package dev.waymark.adapters.web;

import dev.waymark.domain.location.FieldError;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/** An answer that is an RFC 9457 problem: thrown on the request path, rendered by the advice. */
final class ApiProblem extends RuntimeException {

  private final ProblemType type;
  private final List<FieldError> errors;
  private final Map<String, Object> extensions;
  private final HttpHeaders headers;

  ApiProblem(ProblemType type, String detail) {
    this(type, detail, List.of(), Map.of(), HttpHeaders.EMPTY);
  }

  ApiProblem(ProblemType type, String detail, List<FieldError> errors) {
    this(type, detail, errors, Map.of(), HttpHeaders.EMPTY);
  }

  ApiProblem(ProblemType type, String detail, List<FieldError> errors,
      Map<String, Object> extensions, HttpHeaders headers) {
    super(detail, null, false, false);
    this.type = type;
    this.errors = List.copyOf(errors);
    this.extensions = Map.copyOf(extensions);
    this.headers = headers;
  }

  ProblemType type() {
    return type;
  }

  String detail() {
    return getMessage();
  }

  List<FieldError> errors() {
    return errors;
  }

  Map<String, Object> extensions() {
    return extensions;
  }

  HttpHeaders headers() {
    return headers;
  }
}
