package dev.waymark.domain.port;

/**
 * A key is held by an unfinished claim whose record the store cannot show yet (on PostgreSQL:
 * another transaction's uncommitted claim that outlasted the lock wait). The operation was
 * abandoned and the surrounding unit of work is void; the key's state counts as
 * {@link dev.waymark.domain.idempotency.KeyState.Locked}.
 */
public class KeyLockedException extends RuntimeException {

  public KeyLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
