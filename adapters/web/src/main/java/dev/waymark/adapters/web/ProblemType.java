package dev.waymark.adapters.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** The problem types the API answers with (RFC 9457), each with its status and title. */
enum ProblemType {
  INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request"),
  INVALID_IDEMPOTENCY_KEY(
      "invalid-idempotency-key", HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key header"),
  UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Authentication required"),
  FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Insufficient scope"),
  NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
  IDEMPOTENCY_KEY_IN_FLIGHT(
      "idempotency-key-in-flight", HttpStatus.CONFLICT, "Request with this key is in flight"),
  PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  IDEMPOTENCY_KEY_MISMATCH(
      "idempotency-key-mismatch", HttpStatus.UNPROCESSABLE_CONTENT,
      "Idempotency-Key reused for a different request"),
  STORAGE_UNAVAILABLE(
      "storage-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Storage temporarily unavailable"),
  INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

  static final String BASE = "https://waymark.dev/problems/";

  private final URI uri;
  private final HttpStatus status;
  private final String title;

  ProblemType(String slug, HttpStatus status, String title) {
    this.uri = URI.create(BASE + slug);
    this.status = status;
    this.title = title;
  }

  URI uri() {
    return uri;
  }

  HttpStatus status() {
    return status;
  }

  String title() {
    return title;
  }
}
