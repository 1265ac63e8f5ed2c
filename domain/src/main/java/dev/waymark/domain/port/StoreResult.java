package dev.waymark.domain.port;

/**
 * What a location repository did with the locations it was given: {@code stored} were new, and
 * {@code duplicates} carried a point id already stored for the principal (or repeated in the
 * same call).
 */
public record StoreResult(int stored, int duplicates) {

  public StoreResult {
    if (stored < 0 || duplicates < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
