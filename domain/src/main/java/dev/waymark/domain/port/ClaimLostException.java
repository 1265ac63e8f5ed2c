package dev.waymark.domain.port;

/** A claim was taken over or released before its holder completed it: its result is void. */
public class ClaimLostException extends RuntimeException {

  public ClaimLostException(String message) {
    super(message);
  }
}
