package dev.waymark.adapters.testkit;

import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers can start containers here, asked once per JVM. */
public final class DockerEngine {

  private static Boolean available;

  private DockerEngine() {}

  public static synchronized boolean available() {
    if (available == null) {
      try {
        available = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
    }
    return available;
  }
}
