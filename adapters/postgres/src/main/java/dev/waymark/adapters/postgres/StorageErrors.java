package dev.waymark.adapters.postgres;

import dev.waymark.domain.port.KeyLockedException;
import dev.waymark.domain.port.StorageUnavailableException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/** Translates PostgreSQL/R2DBC failures into the ports' technology-free exceptions. */
final class StorageErrors {

  /** SQLSTATE lock_not_available: a lock wait exceeded {@code lock_timeout}. */
  static final String LOCK_NOT_AVAILABLE = "55P03";

  private StorageErrors() {}

  /**
   * A lock wait that outlasted {@code lock_timeout} becomes {@link KeyLockedException}: only
   * claims wait on locks long enough to hit it. Failures a retry may cure (connection lost, pool exhausted, timeouts, serialization or
   * deadlock aborts) become {@link StorageUnavailableException}; anything else is a bug and
   * propagates as it is.
   */
  static Throwable translate(Throwable error) {
    if (isLockTimeout(error)) {
      return new KeyLockedException("a lock wait outlasted lock_timeout", error);
    }
    if (isUnavailability(error)) {
      return new StorageUnavailableException("PostgreSQL is unavailable: " + error.getMessage(),
          error);
    }
    return error;
  }

  private static boolean isLockTimeout(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof R2dbcException r2dbc && LOCK_NOT_AVAILABLE.equals(r2dbc.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailability(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StorageUnavailableException || cause instanceof KeyLockedException) {
        return false;
      }
      if (cause instanceof TransientDataAccessException
          || cause instanceof DataAccessResourceFailureException
          || cause instanceof RecoverableDataAccessException
          || cause instanceof R2dbcTransientException
          || cause instanceof R2dbcNonTransientResourceException
          || cause instanceof TimeoutException
          || cause instanceof IOException) {
        return true;
      }
      if (cause instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null
          && (r2dbc.getSqlState().startsWith("08") // connection exception
              || r2dbc.getSqlState().startsWith("57") // operator intervention (shutdown)
              || r2dbc.getSqlState().startsWith("40") // rollback: serialization, deadlock
              || r2dbc.getSqlState().startsWith("53"))) { // insufficient resources
        return true;
      }
    }
    return false;
  }
}
