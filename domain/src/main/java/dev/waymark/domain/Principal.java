package dev.waymark.domain;

import java.util.Objects;

/** The authenticated caller (a device or an operator), identified by its token subject. */
public record Principal(String subject) {

  public Principal {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("a principal needs a non-blank subject");
    }
  }
}
