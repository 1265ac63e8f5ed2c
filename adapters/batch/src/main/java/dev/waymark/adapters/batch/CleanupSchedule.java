package dev.waymark.adapters.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Starts the cleanup on {@code waymark.cleanup.cron} unless {@code waymark.cleanup.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "waymark.cleanup.enabled", havingValue = "true",
    matchIfMissing = true)
class CleanupSchedule {

  private static final Logger log = LoggerFactory.getLogger(CleanupSchedule.class);

  private final CleanupLauncher launcher;

  CleanupSchedule(CleanupLauncher launcher) {
    this.launcher = launcher;
  }

  /** Runs on the scheduler's own thread, so the blocking launch is fine here. */
  @Scheduled(cron = "${waymark.cleanup.cron:0 0 * * * *}")
  void runScheduledCleanup() {
    try {
      CleanupLauncher.Launch launch = launcher.launch();
      if (launch instanceof CleanupLauncher.AlreadyRunning running) {
        log.info("Scheduled cleanup skipped: execution {} is still running",
            running.executionId());
      }
    } catch (RuntimeException e) {
      log.warn("Scheduled cleanup could not start; the next schedule will retry", e);
    }
  }
}
