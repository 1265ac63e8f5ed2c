package dev.waymark.domain.port;

/**
 * A store could not do its work (connection lost, timeout, database down). Adapters translate
 * their technology's failures into this, so callers can answer "try again later" without
 * knowing the technology.
 */
public class StorageUnavailableException extends RuntimeException {

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
