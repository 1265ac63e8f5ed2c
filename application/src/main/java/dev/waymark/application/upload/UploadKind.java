package dev.waymark.application.upload;

/** Which endpoint an upload came through: it decides the operation name and the answer's shape. */
public enum UploadKind {
  SINGLE("POST /api/v1/locations"),
  BATCH("POST /api/v1/locations/batch");

  private final String operation;

  UploadKind(String operation) {
    this.operation = operation;
  }

  /** The operation name that goes into a request fingerprint. */
  public String operation() {
    return operation;
  }
}
